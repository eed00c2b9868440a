import ArgumentParser
import Foundation
import Generation
import LFM2
import Tokenizers

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with an LFM2 / LFM2.5 model, streamed to stdout.",
        discussion: "Temperature 0 (the default) is greedy decoding. Put `--` before a TEXT that starts with `-`.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    @Option(name: .long, help: "Raw text, encoded like `ferret tokenize`.")
    var prompt: String?

    @Option(name: .long, help: "One user turn, rendered through the model's chat template.")
    var chat: String?

    @Option(name: .long, help: "Most tokens to generate.")
    var maxTokens: Int = 256

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0

    @Option(name: .long, help: "Keep the K most likely tokens (0: off).")
    var topK: Int = 0

    @Option(name: .long, help: "Keep the smallest set of tokens whose probability reaches P (1: off).")
    var topP: Float = 1

    @Option(name: .long, help: "Drop tokens less likely than P × the most likely one (0: off).")
    var minP: Float = 0

    @Option(name: .long, help: "Penalise tokens already seen (1: off; LFM2 cards suggest 1.05).")
    var repeatPenalty: Float = 1

    @Option(name: .long, help: "Random seed for sampling.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Context size in tokens (default: prompt + max tokens, within the model's limit).")
    var context: Int?

    @Flag(name: .long, help: "Print one JSON object at the end instead of streaming.")
    var json = false

    var sampling: SamplingParameters {
        SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP,
                           repetitionPenalty: repeatPenalty, seed: seed)
    }

    func validate() throws {
        if (prompt == nil) == (chat == nil) { throw ValidationError("give exactly one of --prompt and --chat") }
        if maxTokens < 0 { throw ValidationError("--max-tokens must be ≥ 0") }
        if let problem = sampling.problem { throw ValidationError(problem) }
        if let context, context < 1 { throw ValidationError("--context must be at least 1") }
    }

    struct Output: Encodable {
        let prompt_ids: [Int]
        let ids: [Int]
        let text: String
        let stop: String
    }

    func run() throws {
        try reportingErrors {
            threadOptions.apply()
            let generator = try ModelLoading.generator(modelOptions.model, precision: precisionOptions.dtype)
            let tokenizer = generator.tokenizer
            let promptIDs: [Int]
            if let chat {
                promptIDs = try generator.chatPromptIDs([ChatMessage(role: "user", content: chat)])
            } else {
                promptIDs = tokenizer.encode(prompt ?? "")
            }
            let result = try generator.generate(
                promptIDs: promptIDs, maxTokens: maxTokens, sampling: sampling, capacity: context,
                onText: json ? { _ in } : { Console.stream($0) })
            if json {
                try Console.printJSON(Output(prompt_ids: result.promptIDs, ids: result.ids, text: result.text,
                                             stop: result.stop.rawValue))
            } else {
                Console.stream("\n")
                let prefill = String(format: "%.1f", result.prefillTokensPerSecond)
                let decode = String(format: "%.1f", result.decodeTokensPerSecond)
                Console.note("[\(result.promptIDs.count) prompt tokens, \(prefill) tok/s prefill; "
                             + "\(result.ids.count) generated, \(decode) tok/s; stop: \(result.stop.rawValue)]")
            }
        }
    }
}
