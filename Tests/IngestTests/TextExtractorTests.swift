import Digests
import Foundation
import Testing
@testable import Ingest

@Suite("TextExtractor")
struct TextExtractorTests {
    func extract(_ name: String, _ bytes: [UInt8], maxBytes: Int = 20_000_000) throws -> ExtractedText {
        let tree = try TestTree()
        try tree.write(name, bytes: bytes)
        return try TextExtractor.extract(tree.url(name), maxBytes: maxBytes)
    }

    func error(_ name: String, _ bytes: [UInt8], maxBytes: Int = 20_000_000) -> IngestError? {
        do {
            _ = try extract(name, bytes, maxBytes: maxBytes)
            return nil
        } catch let error as IngestError {
            return error
        } catch {
            return nil
        }
    }

    @Test func plainTextKeepsLinesAndHashesRawBytes() throws {
        let bytes = Array("one\r\ntwo\rthree\n".utf8)
        let doc = try extract("a.txt", bytes)
        #expect(doc.text == "one\ntwo\nthree\n")
        #expect(doc.contentHash == Digest.sha256Hex(bytes))
        #expect(doc.format == .plainText)
        #expect(doc.warnings.isEmpty)
        #expect(doc.sourceLineSpans == nil)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(Digest.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Digest.sha256Hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func byteOrderMarksAreStrippedAndUTF16Decoded() throws {
        #expect(try extract("a.md", [0xEF, 0xBB, 0xBF] + Array("# Titre\nété".utf8)).text == "# Titre\nété")
        let utf16 = Array("Grüße\r\n日本".utf16)
        let le: [UInt8] = [0xFF, 0xFE] + utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try extract("le.txt", le).text == "Grüße\n日本")
        #expect(try extract("be.txt", be).text == "Grüße\n日本")
        // Without a mark, ASCII-heavy UTF-16 is recognised by its NUL pattern rather than rejected as binary.
        let unmarked = Array("plain ASCII text in UTF-16".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let doc = try extract("u.txt", unmarked)
        #expect(doc.text == "plain ASCII text in UTF-16")
        #expect(doc.warnings.first?.contains("UTF-16 LE") == true)
    }

    @Test func binaryFilesAreRejectedWithTheReason() {
        let nul = error("x.txt", Array("text".utf8) + [0, 1, 2])
        #expect(nul == .binary(file: nul?.file ?? "", detail: "NUL byte at offset 4"))
        #expect(nul?.description.contains("binary file (NUL byte at offset 4)") == true)
        let controls = error("y.md", [UInt8](repeating: 0x01, count: 50) + Array("words".utf8))
        #expect(controls?.reason.hasPrefix("binary file (91% control bytes") == true)
    }

    @Test func hugeFilesAreRejectedBeforeReading() {
        let big = error("big.txt", [UInt8](repeating: 0x61, count: 1_500), maxBytes: 1_000)
        #expect(big?.reason.hasPrefix("larger than 1 KB (1.5 KB)") == true)
        #expect(IngestError.tooLarge(file: "f", size: 23_400_000, limit: 20_000_000).reason
                .hasPrefix("larger than 20 MB (23.4 MB)"))
    }

    @Test func aFewInvalidBytesAreReplacedAndReported() throws {
        // One Windows-1252 "é" (0xE9) pasted into an otherwise UTF-8 file.
        let bytes = Array("Un résumé de la réunion, ".utf8) + [0xE9] + Array(String(repeating: " texte", count: 200).utf8)
        let doc = try extract("notes.txt", bytes)
        #expect(doc.text.contains("réunion, \u{FFFD} texte"))
        #expect(doc.warnings == ["1 invalid UTF-8 sequence replaced with U+FFFD (the first at byte offset 28)"])
    }

    @Test func aFileInAnotherEncodingIsConvertedNotRejected() throws {
        // Latin-1 French: every accented letter is an invalid UTF-8 byte and there is no valid UTF-8 beyond ASCII.
        // It used to be rejected with an `iconv` hint; now ICU's detector names the charset and the text is read.
        let latin1 = try #require(Charsets.encode(EncodingSamples.french, charset: "ISO-8859-1")).bytes
        let doc = try extract("latin1.txt", latin1)
        #expect(doc.text == EncodingSamples.french)
        #expect(doc.warnings.count == 1)
        #expect(doc.warnings.first?.hasPrefix("read as ISO-8859-1 (detected, confidence ") == true, "\(doc.warnings)")
        #expect(doc.language == "fr")
    }

    @Test func unreadableAndUnsupportedFilesAreErrors() throws {
        let tree = try TestTree(["photo.png": "x"])
        #expect(throws: IngestError.self) { try TextExtractor.extract(tree.url("photo.png"), maxBytes: 100) }
        #expect(throws: IngestError.self) { try TextExtractor.extract(tree.url("missing.md"), maxBytes: 100) }
        do {
            _ = try TextExtractor.extract(tree.url("missing.md"), maxBytes: 100)
        } catch let error as IngestError {
            #expect(error.description == "\(tree.url("missing.md").path): cannot be read: No such file or directory; "
                    + "check that it exists and its permissions")
        }
    }

    @Test func markdownAndRestructuredTextTitles() throws {
        #expect(try extract("a.md", Array("intro\n\n# The Title #\n\n## Sub".utf8)).title == "The Title")
        #expect(try extract("b.md", Array("---\ntitle: \"Front\"\n---\n# Heading".utf8)).title == "Front")
        #expect(try extract("c.md", Array("```\n# not a title\n```\nSetext\n======\n".utf8)).title == "Setext")
        #expect(try extract("d.rst", Array("=====\nTitle\n=====\n\nBody".utf8)).title == "Title")
        #expect(try extract("e.txt", Array("# plain".utf8)).title == nil)
    }

    @Test func minifiedJSONIsReindentedKeepingItsBytes() throws {
        let items = (0..<40).map { #"{"name":"item \#($0)","tags":["a, b",{"x":[]}],"n":1.50e3}"# }
        let json = "[" + items.joined(separator: ",") + "]"
        let doc = try extract("data.json", Array(json.utf8))
        #expect(doc.text.hasPrefix("[\n  {\n    \"name\": \"item 0\",\n    \"tags\": [\n      \"a, b\",\n      {\n"))
        #expect(doc.text.contains("\"x\": []"))
        #expect(doc.text.contains("\"n\": 1.50e3"))
        #expect(doc.text.filter { !$0.isWhitespace } == json.replacingOccurrences(of: " ", with: ""))
        #expect(doc.sourceLineSpans?.allSatisfy { $0 == 1...1 } == true)
        let pretty = "{\n  \"a\": 1\n}\n"
        #expect(try extract("p.json", Array(pretty.utf8)).text == pretty)
    }

    @Test func languageGuesses() {
        let samples: [(String, String?)] = [
            ("The water cycle is the path that water follows as it moves between the land and the sky.", "en"),
            ("Le cycle de l'eau est le chemin que suit l'eau entre la terre et le ciel, et il ne s'arrête pas.", "fr"),
            ("Der Wasserkreislauf ist der Weg, den das Wasser zwischen dem Land und dem Himmel nimmt, und er ist nie zu Ende.", "de"),
            ("El ciclo del agua es el camino que sigue el agua entre la tierra y el cielo, y no se detiene por la noche.", "es"),
            ("水循环是水在陆地和天空之间移动的路径。", "zh"),
            ("水の循環とは、水が陸と空の間を移動する道筋のことです。", "ja"),
            ("물의 순환은 물이 땅과 하늘 사이를 이동하는 경로입니다.", "ko"),
            ("دورة الماء هي المسار الذي يتبعه الماء بين الأرض والسماء.", "ar"),
            ("Круговорот воды — это путь воды между землёй и небом.", "ru"),
            ("1234 5678", nil),
        ]
        for (text, expected) in samples {
            #expect(LanguageGuess.guess(text) == expected, "\(text)")
        }
    }
}

/// Minified JSON nested absurdly deep: its re-indented text stays proportional to the file.
@Suite struct JSONLayoutBoundsTests {
    @Test func deepNestingDoesNotGrowQuadratically() throws {
        // 20,000 bytes on one line: indenting every line by its depth made 200 MB of spaces out of it.
        let depth = 10_000
        let json = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let doc = try TextExtractorTests().extract("deep.json", Array(json.utf8))
        #expect(doc.text.utf8.count <= 6 * json.utf8.count, "\(doc.text.utf8.count) bytes from \(json.utf8.count)")
        #expect(doc.text.filter { !$0.isWhitespace } == json)
        // Ordinary nesting keeps its full indentation.
        let shallow = "[" + String(repeating: #"{"a":[1,2,{"b":{"c":[3]}}]},"#, count: 30) + "0]"
        let reindented = try TextExtractorTests().extract("shallow.json", Array(shallow.utf8)).text
        let innermost = "\n" + String(repeating: " ", count: 10) + "\"c\": [\n" + String(repeating: " ", count: 12) + "3\n"
        #expect(reindented.contains(innermost), "\(reindented.prefix(300))")
    }
}
