import ArgumentParser
import Foundation
import Tokenizers

struct BenchTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Encoding speed of a tokenizer.json on one core, in characters per second.")

    @Option(name: .long, help: ArgumentHelp("A folder with tokenizer.json.", valueName: "dir"))
    var model: String

    @Option(name: .long, help: "UTF-8 text files to encode (default: every file under corpora/ or the text built in).")
    var file: [String] = []

    @Option(name: .long, help: "Repeat the text until it has at least this many characters.")
    var characters: Int = 4_000_000

    @Option(name: .long, help: "Repetitions; the median is reported.")
    var repeats: Int = 3

    @Flag(name: .long, help: "Print {\"chars_per_s\",\"tokens_per_s\",\"characters\",\"tokens\"} only.")
    var json = false

    struct Output: Encodable { let chars_per_s: Double; let tokens_per_s: Double; let characters: Int; let tokens: Int }

    func run() throws {
        try reportingErrors {
            let tokenizer = try ModelLoading.tokenizer(model)
            var pieces = try file.map { try String(contentsOfFile: $0, encoding: .utf8) }
            if pieces.isEmpty { pieces = Self.sampleTexts() }
            // Lines, so the benchmark encodes many documents of realistic length rather than one giant string.
            let lines = pieces.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            guard !lines.isEmpty else { throw ValidationError("no text to encode") }
            var texts: [String] = [], total = 0
            while total < characters {
                for line in lines { texts.append(line); total += line.count }
            }
            var rates: [Double] = [], tokens = 0
            for _ in 0..<repeats {
                tokens = 0
                let start = DispatchTime.now()
                for text in texts { tokens += tokenizer.encode(text, addSpecialTokens: false).count }
                rates.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            }
            let seconds = rates.sorted()[rates.count / 2]
            let output = Output(chars_per_s: Double(total) / seconds, tokens_per_s: Double(tokens) / seconds,
                                characters: total, tokens: tokens)
            if json {
                try Console.printJSON(output)
            } else {
                print("tokenizer encode, 1 thread, \(total) characters in \(texts.count) texts, median of \(repeats)")
                print(String(format: "%.2f M characters/s, %.2f M tokens/s", output.chars_per_s / 1e6, output.tokens_per_s / 1e6))
            }
        }
    }

    /// The sample corpus when run from the repository, else a small multilingual built-in text.
    static func sampleTexts() -> [String] {
        let corpora = URL(fileURLWithPath: "corpora")
        if let walker = FileManager.default.enumerator(at: corpora, includingPropertiesForKeys: nil) {
            let texts = walker.compactMap { ($0 as? URL).flatMap { try? String(contentsOf: $0, encoding: .utf8) } }
            if !texts.isEmpty { return texts }
        }
        return ["""
        The quick brown fox jumps over the lazy dog while 42 engineers measure 1,000,000 characters per second.
        Le renard brun rapide saute par-dessus le chien paresseux. Der schnelle braune Fuchs springt über den Hund.
        El rápido zorro marrón salta sobre el perro perezoso. 敏捷的棕色狐狸跳过了懒狗。素早い茶色の狐がのろまな犬を飛び越える。
        빠른 갈색 여우가 게으른 개를 뛰어넘는다. الثعلب البني السريع يقفز فوق الكلب الكسول. func add(a: Int) -> Int { a + 1 } 🦊👩‍💻
        """]
    }
}
