import Foundation
import Testing
@testable import Tokenizers

/// The streaming decoder gives, piece by piece, exactly what `decode` gives at once, and never a broken character.
struct TokenizerStreamingTests {
    static func stream(_ tokenizer: Tokenizer, _ ids: [Int], skipSpecialTokens: Bool = false) -> [String] {
        var decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: skipSpecialTokens)
        var chunks = ids.map { decoder.append($0) }
        chunks.append(decoder.finish())
        return chunks
    }

    /// Checks one id sequence both ways; returns a description of the mismatch, if any.
    static func mismatch(_ tokenizer: Tokenizer, _ ids: [Int], skipSpecialTokens: Bool) -> String? {
        let whole = tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
        let chunks = stream(tokenizer, ids, skipSpecialTokens: skipSpecialTokens)
        let joined = chunks.joined()
        if !TokenizerFixtures.sameScalars(joined, whole) {
            return "ids \(ids): decode \(TokenizerFixtures.escaped(whole)), stream \(chunks.map(TokenizerFixtures.escaped))"
        }
        // A chunk may only carry U+FFFD where the whole text has one too (bytes that never form a character).
        let replacements = whole.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
        if joined.unicodeScalars.filter({ $0 == "\u{FFFD}" }).count != replacements {
            return "ids \(ids): stream has extra U+FFFD: \(chunks.map(TokenizerFixtures.escaped))"
        }
        return nil
    }

    @Test(arguments: [true, false])
    func everyFixtureCaseStreamsToItsDecode(cleanUp: Bool) throws {
        let folder = try TokenizerFixtures.patchedFolder(.init(name: "stream", tokenizerPatch: [],
                                                                configPatch: ["clean_up_tokenization_spaces": cleanUp],
                                                                cases: []))
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = try Tokenizer.load(directory: folder)
        var failures: [String] = []
        for item in try TokenizerFixtures.cases() {
            for (ids, skip) in [(item.idsNoSpecial, false), (item.ids, false), (item.ids, true)] {
                if let problem = Self.mismatch(tokenizer, ids, skipSpecialTokens: skip) { failures.append(problem) }
            }
        }
        #expect(failures.count == 0, "mismatches, first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func charactersSplitAcrossByteTokensAreHeldUntilComplete() throws {
        let tokenizer = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
        let text = "👨‍👩‍👧‍👦 日本語 🇫🇷 👍🏿 𠜎 नमस्ते"
        let ids = tokenizer.encode(text, addSpecialTokens: false)
        // The test only means something if some token holds part of a character.
        let partial = ids.filter { tokenizer.decode([$0]).unicodeScalars.contains("\u{FFFD}") }
        #expect(partial.count > 5)
        let chunks = Self.stream(tokenizer, ids)
        for chunk in chunks { #expect(!chunk.unicodeScalars.contains("\u{FFFD}"), "chunk \(TokenizerFixtures.escaped(chunk))") }
        #expect(TokenizerFixtures.sameScalars(chunks.joined(), text))
        #expect(chunks.filter(\.isEmpty).count >= partial.count / 2)
    }

    /// Random byte tokens, special tokens, unknown ids and clean-up-prone pieces: invalid UTF-8 must turn into
    /// U+FFFD exactly where `decode` puts it, and clean-up must not depend on where the stream was cut.
    @Test func randomIDSequencesStreamToTheirDecode() throws {
        let tokenizer = try Tokenizer.load(directory: TokenizerFixtures.tokenizerDirectory)
        let byteTokens = (0..<256).compactMap { tokenizer.id(forToken: String(ByteLevel.character[$0])) }
        let cleanUpPieces = [" ", " ,", ",", " .", " '", "'", "m", "n", "t", "s", "ve", "re", " n", "x", "é", "!", "?"]
            .flatMap { tokenizer.encode($0, addSpecialTokens: false) }
        let pool = byteTokens + cleanUpPieces + cleanUpPieces + [1, 7, 2, -1, 999_999]
        var generator = TokenizerTestGenerator(seed: 0xF3)
        var failures: [String] = []
        for _ in 0..<2_000 {
            let ids = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? 0 }
            for skip in [false, true] {
                if let problem = Self.mismatch(tokenizer, ids, skipSpecialTokens: skip) { failures.append(problem) }
            }
        }
        #expect(failures.count == 0, "mismatches, first: \(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func decidedLengthHoldsOnlyCompletablePrefixes() {
        #expect(StreamingDecoder.decidedLength([]) == 0)
        #expect(StreamingDecoder.decidedLength([0x41, 0xF0, 0x9F]) == 1)  // start of an emoji
        #expect(StreamingDecoder.decidedLength([0x41, 0xF0, 0x9F, 0x91, 0x8D]) == 5)  // the whole emoji
        #expect(StreamingDecoder.decidedLength([0x41, 0xE0, 0x80]) == 3)  // E0 80 can never be completed
        #expect(StreamingDecoder.decidedLength([0x41, 0xED, 0xA0]) == 3)  // would be a surrogate
        #expect(StreamingDecoder.decidedLength([0x80, 0x80]) == 2)  // lone continuation bytes
        #expect(StreamingDecoder.decidedLength([0xC3]) == 0)
    }
}

/// A small seeded generator, so that the random test is the same on every run.
struct TokenizerTestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
