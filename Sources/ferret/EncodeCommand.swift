import ArgumentParser
import ColBERT
import Foundation

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode TEXT with a PyLate ColBERT model into one normalised vector per kept token.",
        discussion: """
            DIR is a ColBERT folder such as LiquidAI/LFM2-ColBERT-350M or LFM2.5-ColBERT-350M (modules.json, \
            config_sentence_transformers.json, 1_Dense/). --json prints {"ids":[…],"vectors":[[…],…]}: the kept token \
            ids and their vectors, in order. Put `--` before a TEXT that starts with `-`.
            """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    @Flag(name: .long, help: "Encode TEXT as a query (prefix, padded to query_length, every position kept).")
    var query = false

    @Flag(name: .long, help: "Encode TEXT as a document (prefix, truncated to document_length, no punctuation).")
    var document = false

    @Flag(name: .long, help: "Print {\"ids\":[…],\"vectors\":[[…],…]}.")
    var json = false

    @Argument(help: "The text to encode.")
    var text: String

    struct Output: Encodable {
        let ids: [Int]
        let vectors: [[Float]]
    }

    func validate() throws {
        if query == document { throw ValidationError("give exactly one of --query and --document") }
    }

    func run() throws {
        try reportingErrors {
            threadOptions.apply()
            let encoder = try ModelLoading.encoder(modelOptions.model, precision: precisionOptions.dtype)
            let role: TextRole = query ? .query : .document
            let result = try encoder.encode(text, as: role)
            if json {
                try Console.printJSON(Output(ids: result.ids, vectors: (0..<result.count).map { Array(result.vector($0)) }))
            } else {
                printSummary(result, role: role, encoder: encoder)
            }
        }
    }

    private func printSummary(_ result: TokenVectors, role: TextRole, encoder: ColBERTEncoder) {
        print("\(role.rawValue): \(result.count) vectors × \(result.dimension) dimensions "
              + "(\(encoder.name), fingerprint \(encoder.fingerprint))")
        let shown = 8
        for row in 0..<min(result.count, shown) {
            let values = result.vector(row).prefix(4).map { String(format: "%+.4f", $0) }.joined(separator: " ")
            print(String(format: "%8d  ", result.ids[row]) + values + " …")
        }
        if result.count > shown { print("     … \(result.count - shown) more (use --json for all)") }
    }
}
