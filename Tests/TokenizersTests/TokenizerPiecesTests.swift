import Foundation
import Testing
@testable import Tokenizers

/// The hand-written regex scanners against the pieces `tokenizers` 0.22.1 (Oniguruma) produces for the same text,
/// copied from `pre_tokenizers.Split(Regex(LLAMA3_SPLIT), "isolated").pre_tokenize_str(...)` and
/// `pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)` (shown here as raw text, not byte-level).
struct TokenizerPiecesTests {
    static let llama3 = PreTokenizer(steps: [.split(.llama3(maxDigits: 3), keepsMatches: true),
                                             .byteLevel(addPrefixSpace: false, useRegex: false)])
    static let gpt2 = PreTokenizer(steps: [.byteLevel(addPrefixSpace: false, useRegex: true)])

    static let expectations: [(text: String, llama3: [String], gpt2: [String])] = [
        ("Hello world's  \n\n 1234567 (x)",
         ["Hello", " world", "'s", "  \n\n", " ", "123", "456", "7", " (", "x", ")"],
         ["Hello", " world", "'s", "  \n\n", " 1234567", " (", "x", ")"]),
        ("\tfoo  bar \r\n\r\n baz",
         ["\tfoo", " ", " bar", " \r\n\r\n", " baz"],
         ["\t", "foo", " ", " bar", " \r\n\r\n", " baz"]),
        ("I'M 'dog' x'ſ", ["I", "'M", " '", "dog", "'", " x", "'ſ"],
         ["I", "'", "M", " '", "dog", "'", " x", "'", "ſ"]),
        ("a...\n\nb", ["a", "...\n\n", "b"], ["a", "...", "\n", "\n", "b"]),
        ("  ", ["  "], ["  "]),
        ("日本語、テスト。", ["日本語", "、テスト", "。"], ["日本語", "、", "テスト", "。"]),
        ("e\u{301}t\u{E9} \u{A0}x", ["e", "\u{301}t\u{E9}", " ", "\u{A0}x"], ["e", "\u{301}", "t\u{E9}", " ", "\u{A0}", "x"]),
        ("👍🏽!! ok", ["👍🏽!!", " ok"], ["👍🏽!!", " ok"]),
    ]

    static func pieces(_ preTokenizer: PreTokenizer, _ text: String) -> [[UInt8]] {
        var buffer = Array(text.utf8)
        var scratch = PreTokenizerScratch()
        return preTokenizer.pieces(of: 0..<buffer.count, in: &buffer, scratch: &scratch).map { Array(buffer[$0]) }
    }

    @Test(arguments: expectations.indices)
    func scannersMatchOniguruma(_ index: Int) {
        let expected = Self.expectations[index]
        // Bytes, not Strings: Swift's String == would equate "é" and "e\u{301}".
        #expect(Self.pieces(Self.llama3, expected.text) == expected.llama3.map { Array($0.utf8) },
                "Llama-3 split of \(TokenizerFixtures.escaped(expected.text))")
        #expect(Self.pieces(Self.gpt2, expected.text) == expected.gpt2.map { Array($0.utf8) },
                "GPT-2 split of \(TokenizerFixtures.escaped(expected.text))")
    }

    @Test func knownRegexesAreRecognised() {
        let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        #expect(SplitPattern(regex: llama3) == .llama3(maxDigits: 3))
        #expect(SplitPattern(regex: llama3.replacingOccurrences(of: #"\p{N}{1,3}"#, with: #"\p{N}"#))
                == .llama3(maxDigits: 1))
        #expect(SplitPattern(regex: #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#) == .gpt2)
        #expect(SplitPattern(regex: #"\w+|[^\w\s]+"#) == nil)
    }

    /// Oniguruma in `tokenizers` 0.22 knows Unicode 16; a letter new in Unicode 17 is "other" to it.
    @Test func unicodeVersionMatchesOniguruma() {
        #expect(UnicodeClasses.classes(of: 0x61) == UnicodeClasses.letter)
        #expect(UnicodeClasses.classes(of: 0x10940) == 0)  // Unicode 17 letter
        #expect(UnicodeClasses.classes(of: 0x3000) == UnicodeClasses.whitespace)
        #expect(UnicodeClasses.classes(of: 0x0A) == UnicodeClasses.whitespace | UnicodeClasses.newline)
        #expect(UnicodeClasses.classes(of: 0x200B) == 0)  // zero width space is not White_Space
        #expect(UnicodeClasses.classes(of: 0x0661) == UnicodeClasses.number)
    }
}
