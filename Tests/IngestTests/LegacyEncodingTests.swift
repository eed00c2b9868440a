import Testing
@testable import Ingest

/// Files in pre-Unicode charsets: the test bytes are made here, from `EncodingSamples`, with ICU's converters
/// (`Charsets.encode`), so no binary fixture is needed; each must come back as the same text.
@Suite("Legacy encodings")
struct LegacyEncodingTests {
    /// Encodes `text` in `charset`, checking that every character had a mapping (else the test text is wrong).
    func bytes(_ text: String, _ charset: String) throws -> [UInt8] {
        let encoded = try #require(Charsets.encode(text, charset: charset), "ICU does not know \(charset)")
        #expect(encoded.substitutions == 0, "\(charset) cannot represent all of the sample")
        return encoded.bytes
    }

    func decoded(_ bytes: [UInt8]) throws -> TextDecoding.Decoded {
        try TextDecoding.decode(bytes).get()
    }

    /// Charsets the detector names exactly.
    @Test(arguments: [
        ("KOI8-R", EncodingSamples.russian), ("windows-1251", EncodingSamples.russian),
        ("ISO-8859-5", EncodingSamples.russian),
        ("Shift_JIS", EncodingSamples.japanese), ("EUC-JP", EncodingSamples.japanese),
        ("GB18030", EncodingSamples.simplifiedChinese), ("Big5", EncodingSamples.traditionalChinese),
        ("ISO-8859-7", EncodingSamples.greek),
        ("windows-1252", EncodingSamples.frenchTypographic),
    ])
    func detectedByName(charset: String, text: String) throws {
        let result = try decoded(bytes(text, charset))
        #expect(result.text == text)
        #expect(result.encoding == charset)
        let warning = try #require(result.warnings.first)
        #expect(warning.hasPrefix("read as \(charset) (detected, confidence "), "\(warning)")
        #expect(result.warnings.count == 1, "\(result.warnings)")
    }

    /// Western European charsets that agree on every character of these texts: the detector says ISO-8859-1 for
    /// all of them (it cannot know), and the text is what matters.
    @Test(arguments: ["windows-1252", "ISO-8859-1", "ISO-8859-15"],
          [EncodingSamples.french, EncodingSamples.german, EncodingSamples.spanish])
    func westernEuropean(charset: String, text: String) throws {
        let result = try decoded(bytes(text, charset))
        #expect(result.text == text)
        #expect(result.warnings.first?.hasPrefix("read as ") == true, "\(result.warnings)")
    }

    /// Greek in windows-1253 agrees with ISO-8859-7 on these letters: read as ISO-8859-7, the same text.
    @Test func greekWindows1253() throws {
        #expect(try decoded(bytes(EncodingSamples.greek, "windows-1253")).text == EncodingSamples.greek)
    }

    /// ISO-8859-15 is not among ICU's candidates; its euro sign (0xA4, ¤ in Latin-1) makes it ISO-8859-15.
    @Test func latin9EuroSign() throws {
        let text = EncodingSamples.frenchTypographic
            .replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "–", with: "-")
            .replacingOccurrences(of: "…", with: "...")   // characters Latin-9 does not have; it keeps € and œ
        let result = try decoded(bytes(text, "ISO-8859-15"))
        #expect(result.text == text)
        #expect(result.encoding == "ISO-8859-15")
        #expect(result.warnings.first?.contains("detected as ISO-8859-1") == true, "\(result.warnings)")
    }

    /// An English file with a single Latin-1 "é": detected, so the "é" is kept rather than replaced.
    @Test func asciiWithOneLatin1Letter() throws {
        let text = "A note about the café on the corner. " + String(repeating: "More plain English text. ", count: 30)
        let result = try decoded(bytes(text, "ISO-8859-1"))
        #expect(result.text == text)
    }

    /// The first non-ASCII byte 100 KB into the file: the detector reads from there, not the ASCII start.
    @Test func lateNonASCIIText() throws {
        let text = String(repeating: "ascii only line\n", count: 6_400) + EncodingSamples.russian
        let result = try decoded(bytes(text, "KOI8-R"))
        #expect(result.encoding == "KOI8-R")
        #expect(result.text == text)
    }

    /// Through `TextExtractor`: the file is indexed, the warning says how it was read, CRLF is normalised.
    @Test func extractorReportsTheEncoding() throws {
        let text = EncodingSamples.german.replacingOccurrences(of: "\n", with: "\r\n")
        let tree = try TestTree()
        try tree.write("alt.txt", bytes: try bytes(text, "windows-1252"))
        let doc = try TextExtractor.extract(tree.url("alt.txt"), maxBytes: 1_000_000)
        #expect(doc.text == EncodingSamples.german)
        #expect(doc.warnings.first?.hasPrefix("read as ISO-8859-1 (detected, confidence ") == true, "\(doc.warnings)")
        #expect(doc.language == "de")
    }

    /// A Shift_JIS file with broken double-byte characters: converted, the bad sequences replaced and counted.
    @Test func invalidBytesInALegacyFileAreCounted() throws {
        var encoded = try bytes(EncodingSamples.japanese, "Shift_JIS")
        encoded.insert(contentsOf: [0x81, 0x20, 0x82, 0x0A], at: 120)   // lead bytes followed by non-trail bytes
        let result = try decoded(encoded)
        #expect(result.encoding == "Shift_JIS")
        #expect(result.warnings.count == 2)
        #expect(result.warnings.last == "2 byte sequences invalid in Shift_JIS replaced with U+FFFD",
                "\(result.warnings)")
        #expect(result.text.filter { $0 == "\u{FFFD}" }.count == 2)
    }
}

/// The C interface through its Swift wrapper: counts, unknown names, outputs larger than the first guess.
@Suite("Charsets")
struct CharsetsTests {
    @Test func conversionCountsSubstitutionsBothWays() throws {
        // Unmappable on the way out: Latin-1 has no "日" or "€".
        let out = try #require(Charsets.encode("café 日本 €", charset: "ISO-8859-1"))
        #expect(out.bytes == Array("caf".utf8) + [0xE9, 0x20, 0x1A, 0x1A, 0x20, 0x1A])
        #expect(out.substitutions == 3)
        // Illegal on the way in: a truncated UTF-8 sequence and a lone continuation byte, one U+FFFD each.
        let back = try #require(Charsets.decode([0x61, 0xE2, 0x82, 0x62, 0x80], charset: "UTF-8"))
        #expect(back.text == "a\u{FFFD}b\u{FFFD}")
        #expect(back.substitutions == 2)
        // A single-byte charset's undefined byte is U+FFFD too, not U+001A (0xA5 has no character in ISO-8859-3).
        let undefined = try #require(Charsets.decode([0x41, 0xA5], charset: "ISO-8859-3"))
        #expect(undefined.text == "A\u{FFFD}")
        #expect(undefined.substitutions == 1)
    }

    @Test func unknownCharsetIsNil() {
        #expect(Charsets.decode([0x41], charset: "no-such-charset") == nil)
        #expect(Charsets.detect([][...]).isEmpty)
    }

    @Test func outputLargerThanTheFirstBufferIsRetried() throws {
        // UTF-32 takes 4 bytes per ASCII byte, more than the 3 per byte the first call allows for.
        let text = String(repeating: "abcdefgh", count: 1_000)
        let utf32 = try #require(Charsets.convert(Array(text.utf8), from: "UTF-8", to: "UTF-32LE"))
        #expect(utf32.bytes == TextDecodingTests.utf32(text, littleEndian: true))
        #expect(utf32.substitutions == 0)
        // And a conversion longer than one internal pivot buffer (4096 units) keeps every character in order.
        let long = String(repeating: EncodingSamples.japanese, count: 40)
        let sjis = try #require(Charsets.encode(long, charset: "Shift_JIS"))
        #expect(try #require(Charsets.decode(sjis.bytes, charset: "Shift_JIS")).text == long)
    }

    @Test func detectorRanksCandidates() throws {
        let bytes = try #require(Charsets.encode(EncodingSamples.japanese, charset: "EUC-JP")).bytes
        let matches = Charsets.detect(bytes[...], limit: 3)
        #expect(matches.count == 3)
        #expect(matches.first?.name == "EUC-JP")
        #expect(matches.first?.language == "ja")
        #expect(matches.map(\.confidence) == matches.map(\.confidence).sorted(by: >))
    }
}
