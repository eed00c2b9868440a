import Testing
@testable import Ingest

/// The Unicode side of `TextDecoding`: byte-order marks, UTF-16 and UTF-32 without them, binary detection that does
/// not mistake them for binary, and UTF-8 that never goes near the charset detector.
@Suite("TextDecoding")
struct TextDecodingTests {
    static let sample = "Grüße, 日本, emoji 🌊\r\nsecond line"
    static let normalised = "Grüße, 日本, emoji 🌊\nsecond line"

    static func utf32(_ text: String, littleEndian: Bool) -> [UInt8] {
        text.unicodeScalars.flatMap { scalar -> [UInt8] in
            let v = scalar.value
            let bytes = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
            return littleEndian ? bytes : bytes.reversed()
        }
    }

    static func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { littleEndian ? [UInt8($0 & 0xFF), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    func decoded(_ bytes: [UInt8]) throws -> TextDecoding.Decoded {
        try TextDecoding.decode(bytes).get()
    }

    @Test func utf32WithByteOrderMarks() throws {
        let le = try decoded([0xFF, 0xFE, 0x00, 0x00] + Self.utf32(Self.sample, littleEndian: true))
        #expect(le.text == Self.normalised)
        #expect(le.encoding == "UTF-32LE")
        #expect(le.warnings.isEmpty)
        let be = try decoded([0x00, 0x00, 0xFE, 0xFF] + Self.utf32(Self.sample, littleEndian: false))
        #expect(be.text == Self.normalised)
        #expect(be.encoding == "UTF-32BE")
    }

    @Test func utf16LittleEndianMarkIsNotTakenForUTF32() throws {
        // FF FE then "\0a": a UTF-16 LE file starting with U+0000 U+0061 has the UTF-32 LE mark's first 4 bytes, but
        // an odd number of 16-bit units (6 bytes) rules UTF-32 out.
        let odd = try decoded([0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00])
        #expect(odd.encoding == "UTF-16LE")
        #expect(odd.text == "\u{0}a")
        // And ordinary UTF-16 LE with its mark is still UTF-16.
        let text = try decoded([0xFF, 0xFE] + Self.utf16(Self.sample, littleEndian: true))
        #expect(text.encoding == "UTF-16LE")
        #expect(text.text == Self.normalised)
    }

    @Test func utf32WithoutByteOrderMarkIsRecognisedByItsNulBytes() throws {
        let text = "plain ASCII text in UTF-32, with one é and one 🌊"
        let le = try decoded(Self.utf32(text, littleEndian: true))
        #expect(le.text == text)
        #expect(le.encoding == "UTF-32LE")
        #expect(le.warnings == ["no byte-order mark: read as UTF-32 LE from its NUL byte pattern"])
        let be = try decoded(Self.utf32(text, littleEndian: false))
        #expect(be.text == text)
        #expect(be.warnings == ["no byte-order mark: read as UTF-32 BE from its NUL byte pattern"])
        // Mostly CJK: no NUL in the low half of any unit, still UTF-32.
        let japanese = try decoded(Self.utf32("水の循環とは、水が海と陸と大気の間を移動する仕組みです。", littleEndian: true))
        #expect(japanese.text == "水の循環とは、水が海と陸と大気の間を移動する仕組みです。")
    }

    @Test func utf16WithoutByteOrderMarkBothOrders() throws {
        let text = "plain ASCII text in UTF-16, then Grüße"
        #expect(try decoded(Self.utf16(text, littleEndian: true)).encoding == "UTF-16LE")
        let be = try decoded(Self.utf16(text, littleEndian: false))
        #expect(be.encoding == "UTF-16BE")
        #expect(be.text == text)
    }

    @Test func brokenUTF32IsRepairedNotRejected() throws {
        // A value past U+10FFFF and a surrogate: U+FFFD each; 2 stray bytes at the end: dropped.
        let bytes = [0x00, 0x00, 0xFE, 0xFF] + Self.utf32("ab", littleEndian: false)
            + [0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0xD8, 0x00] + Self.utf32("c", littleEndian: false) + [0x00, 0x64]
        let result = try decoded(bytes)
        #expect(result.text == "ab\u{FFFD}\u{FFFD}c")
        #expect(result.warnings == ["2 bytes at the end do not make a whole UTF-32 code unit and were dropped",
                                    "2 invalid UTF-32 code units replaced with U+FFFD"])
    }

    @Test func binaryDetectionStillWorks() {
        #expect(TextDecoding.decode(Array("text".utf8) + [0, 1, 2]) == .failure(.binary("NUL byte at offset 4")))
        // Little-endian 32-bit integers look like UTF-32 by their NULs, but they are mostly control characters.
        let integers: [UInt8] = (0..<64).flatMap { (i: Int) -> [UInt8] in [UInt8(i % 20), 0, 0, 0] }
        guard case .failure(.binary) = TextDecoding.decode(integers) else {
            Issue.record("an array of small integers was read as UTF-32")
            return
        }
        // A JPEG-like header: not UTF-16 either.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00,
                             0x00, 0x01]
        guard case .failure(.binary) = TextDecoding.decode(jpeg) else {
            Issue.record("a JPEG header was read as text")
            return
        }
    }

    @Test func validUTF8IsUTF8WithoutAsking() throws {
        // Pure ASCII and valid UTF-8 in every script: UTF-8, no warning (the detector would call some of these
        // ISO-8859-1 or windows-1252; it is never consulted).
        for text in ["plain ASCII", "", EncodingSamples.french, EncodingSamples.russian, EncodingSamples.japanese] {
            let result = try decoded(Array(text.utf8))
            #expect(result.encoding == "UTF-8")
            #expect(result.warnings.isEmpty)
            #expect(result.text == text)
        }
        let bom = try decoded([0xEF, 0xBB, 0xBF] + Array("été".utf8))
        #expect(bom.text == "été")
        #expect(bom.encoding == "UTF-8")
    }

    @Test func strayBytesInUTF8AreReplacedAndCounted() throws {
        // Valid accented UTF-8 outnumbers the bad bytes: UTF-8 with two replacements (a Windows-1252 "é" and a
        // truncated last character).
        let bytes = Array("Un résumé de la réunion, ".utf8) + [0xE9] + Array(" et la suite ".utf8) + [0xE2, 0x82]
        let result = try decoded(bytes)
        #expect(result.encoding == "UTF-8")
        #expect(result.text == "Un résumé de la réunion, \u{FFFD} et la suite \u{FFFD}")
        #expect(result.warnings == ["2 invalid UTF-8 sequences replaced with U+FFFD (the first at byte offset 28)"])
    }

    @Test func undetectableBytesFallBackToUTF8WithReplacement() throws {
        // Bytes the detector can only shrug at (Windows-1252's five undefined bytes after ASCII): read as UTF-8,
        // each bad byte replaced, never a failure.
        let bytes = [UInt8](repeating: 0x41, count: 100) + [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        let result = try decoded(bytes)
        #expect(result.encoding == "UTF-8")
        #expect(result.text == String(repeating: "A", count: 100) + String(repeating: "\u{FFFD}", count: 5))
        #expect(result.warnings == ["5 invalid UTF-8 sequences replaced with U+FFFD (the first at byte offset 100); "
                                    + "the encoding could not be detected"])
        let single = try decoded([0xFF])
        #expect(single.text == "\u{FFFD}")
    }
}
