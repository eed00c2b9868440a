import Foundation
import TestSupport
import Testing
import Tokenizers

/// Encode throughput on one core, run by hand, never timed in CI:
///
///     FERRET_BENCH=1 swift test -c release --filter TokenizerBenchmarkTests
///
/// Text: the fixture corpus (English, French, German, Spanish, Arabic, Chinese, Japanese, Korean, code, emoji),
/// paragraphs shuffled into about a million characters; then the same text with a random two-letter tail on every
/// word, so that nearly every piece misses the word cache.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FERRET_BENCH"] != nil))
struct TokenizerBenchmarkTests {
    @Test func encodeThroughput() throws {
        var generator = TokenizerTestGenerator(seed: 7)
        let corpus = Fixtures.repositoryRoot.appendingPathComponent("scripts/fixtures/corpus")
        let paragraphs = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".txt") }
            .sorted()
            .flatMap { try String(contentsOf: corpus.appendingPathComponent($0), encoding: .utf8).components(separatedBy: "\n\n") }
        var text = ""
        while text.count < 1_000_000 { text += (paragraphs.randomElement(using: &generator) ?? "") + "\n\n" }
        var scrambled = String.UnicodeScalarView()
        var inWord = false
        for scalar in text.unicodeScalars {
            if inWord, !scalar.properties.isAlphabetic {
                for _ in 0..<2 { scrambled.append(Unicode.Scalar(UInt8.random(in: 97...122, using: &generator))) }
            }
            scrambled.append(scalar)
            inWord = scalar.properties.isAlphabetic
        }
        let machine = "\(ProcessInfo.processInfo.processorCount) cores visible, 1 thread"
        for (name, sample) in [("shuffled corpus", text), ("unique words", String(scrambled))] {
            // A fresh tokenizer: the first run starts with an empty word cache.
            let tokenizer = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
            var seconds: [Double] = []
            var count = 0
            for _ in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                count = tokenizer.encode(sample).count
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let characters = Double(sample.count)
            let warm = seconds.dropFirst().sorted()
            let median = warm[warm.count / 2], worst = warm.last ?? median
            print(String(format: "tokenizer encode, %@: %d characters → %d ids; cold %.2f M chars/s, warm median %.2f "
                         + "(slowest %.2f) M chars/s [%@]", name, sample.count, count, characters / seconds[0] / 1e6,
                         characters / median / 1e6, characters / worst / 1e6, machine))
        }
    }
}
