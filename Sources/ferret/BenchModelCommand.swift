import ArgumentParser
import Foundation
import Kernels
import LFM2
import ModelFiles

struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Prefill and decode speed of LFM2 on random weights of a real shape (no download), or of a model file.")

    @Option(name: .long, help: "Model shape: 350m (LFM2-350M) or 1.2b (LFM2-1.2B).")
    var shape: String = "350m"

    @Option(name: .long, help: ArgumentHelp("Benchmark this model (a Hugging Face folder or a .gguf file) instead of random "
                                            + "weights of --shape.", valueName: "path"))
    var model: String?

    @Option(name: .long, help: "Prompt tokens to prefill.")
    var promptTokens: Int = 512

    @Option(name: .long, help: "Tokens to decode after the prompt.")
    var decodeTokens: Int = 128

    @Option(name: .long, help: "Repetitions; the median is reported.")
    var repeats: Int = 3

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    @Flag(name: .long, help: "Print one JSON object: rates, threads, shape, dtype, kernel path, weight bytes, peak RSS, CPU.")
    var json = false

    func validate() throws {
        guard LFM2Config.Shape(rawValue: shape) != nil else { throw ValidationError("--shape must be 350m or 1.2b") }
        if promptTokens < 2 || decodeTokens < 1 || repeats < 1 {
            throw ValidationError("--prompt-tokens ≥ 2, --decode-tokens ≥ 1 and --repeats ≥ 1")
        }
    }

    struct Output: Encodable {
        let prefill_tok_s: Double
        let decode_tok_s: Double
        let threads: Int
        let shape: String
        let parameters: Int
        let prompt_tokens: Int
        let decode_tokens: Int
    }

    func run() throws {
        try reportingErrors {
            let threads = threadOptions.apply()
            let model: LFM2Model
            let label: String
            if let path = self.model {
                model = try LanguageModelFiles.load(argument: path, precision: precisionOptions.dtype).model
                label = URL(fileURLWithPath: path).lastPathComponent
            } else {
                let config = LFM2Config.preset(LFM2Config.Shape(rawValue: shape)!)
                let storage = BenchMachine.storage(for: precisionOptions.dtype)
                if !json { Console.note("building random \(shape) \(storage.rawValue.uppercased()) weights (\(config.parameterCount) parameters)…") }
                model = LFM2Model(config: config, weights: .random(config: config, type: storage))
                label = "LFM2-\(shape.uppercased()) random weights"
            }
            let config = model.config
            let vocabulary = min(model.logitCount, 64_000)
            var random = SplitMix64(seed: 42)
            let prompt = (0..<promptTokens).map { _ in Int.random(in: 0..<vocabulary, using: &random) }
            var logits = [Float](repeating: 0, count: model.logitCount)
            let state = model.makeSequence(capacity: promptTokens + decodeTokens + 1)
            // Warm-up: page in the weights and let BLAS start its threads.
            try logits.withUnsafeMutableBufferPointer { try model.prefill(Array(prompt.prefix(16)), state: state, logits: $0.baseAddress!) }

            var prefillRates: [Double] = [], decodeRates: [Double] = []
            for _ in 0..<repeats {
                state.reset()
                let start = DispatchTime.now()
                try logits.withUnsafeMutableBufferPointer { try model.prefill(prompt, state: state, logits: $0.baseAddress!) }
                prefillRates.append(Double(promptTokens) / BenchClock.seconds(since: start))
                let decodeStart = DispatchTime.now()
                var token = 1
                for _ in 0..<decodeTokens {
                    try logits.withUnsafeMutableBufferPointer { try model.decode(token, state: state, logits: $0.baseAddress!) }
                    token = (token * 31 + 7) % vocabulary
                }
                decodeRates.append(Double(decodeTokens) / BenchClock.seconds(since: decodeStart))
            }
            let output = Output(prefill_tok_s: BenchClock.median(prefillRates), decode_tok_s: BenchClock.median(decodeRates),
                                threads: threads,
                                shape: self.model == nil ? shape : label, parameters: config.parameterCount, prompt_tokens: promptTokens,
                                decode_tokens: decodeTokens)
            let machine = BenchMachine(dtype: BenchMachine.storageSummary(model.weights.matrices),
                                       weightBytes: model.weights.matrixBytes)
            if json {
                try Console.printJSON(BenchReport(numbers: output, machine: machine))
            } else {
                print("\(label), \(threads) threads, median of \(repeats)")
                print(machine.summary)
                print("prefill \(promptTokens) tokens: " + String(format: "%8.1f", output.prefill_tok_s) + " tok/s   (runs: " + (
                             prefillRates.map { String(format: "%.1f", $0) }.joined(separator: ", ")) + ")")
                print("decode  \(decodeTokens) tokens: " + String(format: "%8.1f", output.decode_tok_s) + " tok/s   (runs: " + (
                             decodeRates.map { String(format: "%.1f", $0) }.joined(separator: ", ")) + ")")
            }
        }
    }
}
