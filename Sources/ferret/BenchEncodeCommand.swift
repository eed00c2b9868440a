import ArgumentParser
import Foundation
import Kernels
import LFM2

/// Encoder throughput of the LFM2-ColBERT-350M backbone: passages one by one against packed batches (the indexer's
/// path). Random weights of the real shape, so no download.
struct BenchEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Document-encoding speed of the LFM2-350M backbone (one by one vs packed), random weights.")

    @Option(name: .long, help: "Passages to encode per repetition.")
    var passages: Int = 32

    @Option(name: .long, help: "Tokens per passage.")
    var tokens: Int = 256

    @Option(name: .long, help: "Tokens per packed backbone pass.")
    var batchTokens: Int = 4096

    @Option(name: .long, help: "Repetitions; the median is reported.")
    var repeats: Int = 3

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    @Flag(name: .long, help: "Print one JSON object: rates, threads, sizes, dtype, kernel path, weight bytes, peak RSS, CPU.")
    var json = false

    func validate() throws {
        if passages < 1 || tokens < 1 || batchTokens < 1 || repeats < 1 {
            throw ValidationError("--passages, --tokens, --batch-tokens and --repeats must be at least 1")
        }
    }

    struct Output: Encodable {
        let single_tok_s: Double
        let packed_tok_s: Double
        let threads: Int
        let passages: Int
        let tokens: Int
        let batch_tokens: Int
    }

    func run() throws {
        try reportingErrors {
            let threads = threadOptions.apply()
            let config = LFM2Config.preset(.lfm2_350m)
            let storage = BenchMachine.storage(for: precisionOptions.dtype)
            if !json { Console.note("building random 350m \(storage.rawValue.uppercased()) weights (\(config.parameterCount) parameters)…") }
            let model = LFM2Model(config: config, weights: .random(config: config, type: storage))
            var random = SplitMix64(seed: 7)
            let inputs = (0..<passages).map { _ in
                EncoderSequence(tokens: (0..<tokens).map { _ in Int.random(in: 0..<64_000, using: &random) })
            }
            _ = try model.encode(batch: [EncoderSequence(tokens: Array(inputs[0].tokens.prefix(16)))])  // warm-up

            let total = Double(passages * tokens)
            var single: [Double] = [], packed: [Double] = []
            for _ in 0..<repeats {
                var start = DispatchTime.now()
                for input in inputs { _ = try model.encode(batch: [input]) }
                single.append(total / BenchClock.seconds(since: start))

                start = DispatchTime.now()
                var batch: [EncoderSequence] = [], held = 0
                for input in inputs {
                    if !batch.isEmpty && held + input.tokens.count > batchTokens {
                        _ = try model.encode(batch: batch)
                        batch.removeAll(keepingCapacity: true)
                        held = 0
                    }
                    batch.append(input)
                    held += input.tokens.count
                }
                if !batch.isEmpty { _ = try model.encode(batch: batch) }
                packed.append(total / BenchClock.seconds(since: start))
            }
            let output = Output(single_tok_s: BenchClock.median(single), packed_tok_s: BenchClock.median(packed),
                                threads: threads, passages: passages, tokens: tokens, batch_tokens: batchTokens)
            let machine = BenchMachine(storage: storage, weightBytes: model.weights.matrixBytes)
            if json {
                try Console.printJSON(BenchReport(numbers: output, machine: machine))
            } else {
                print("LFM2-350M backbone, random weights, \(threads) threads, \(passages) passages × \(tokens) tokens, "
                      + "median of \(repeats)")
                print(machine.summary)
                print("one by one: " + String(format: "%8.1f", output.single_tok_s) + " tok/s")
                print("packed:     " + String(format: "%8.1f", output.packed_tok_s) + " tok/s  (≤ \(batchTokens) tokens a pass, "
                      + String(format: "%.2f", output.packed_tok_s / output.single_tok_s) + "×)")
            }
        }
    }
}
