import Index
import Testing

@Suite struct StemmerTests {
    /// Inflected form, base form and the stem both share, per language.
    static let pairs: [(language: String, inflected: String, base: String, stem: String)] = [
        ("en", "descaled", "Descale", "descal"),
        ("fr", "imprimeries", "imprimerie", "imprimer"),
        ("de", "Schaltungen", "Schaltung", "schaltung"),
        ("es", "imprentas", "imprenta", "imprent"),
        ("it", "biblioteche", "biblioteca", "bibliotec"),
        ("pt", "bibliotecas", "biblioteca", "bibliotec"),
        ("nl", "handleidingen", "handleiding", "handleid"),
        ("ru", "библиотеки", "библиотека", "библиотек"),
        ("el", "βιβλιοθήκες", "βιβλιοθήκη", "βιβλιοθηκ"),
    ]

    @Test(arguments: pairs.indices) func inflectedAndBaseFormsShareAStem(_ i: Int) {
        let pair = Self.pairs[i]
        let inflected = Stemmer.stem(pair.inflected, language: pair.language) ?? pair.inflected.lowercased()
        let base = Stemmer.stem(pair.base, language: pair.language) ?? pair.base.lowercased()
        #expect(inflected == pair.stem, "\(pair.language): \(pair.inflected) → \(inflected)")
        #expect(base == pair.stem, "\(pair.language): \(pair.base) → \(base)")
    }

    @Test func wordsAreLowerCasedAndAnUnchangedWordHasNoStem() {
        #expect(Stemmer.stem("DESCALED", language: "en") == "descal")
        #expect(Stemmer.stem("month", language: "en") == nil)  // its own stem
        #expect(Stemmer.stem("Month", language: "en") == nil)  // lower-casing alone is FTS5's job
    }

    @Test func cjkThaiNumbersAndUnknownLanguagesAreLeftAlone() {
        #expect(Stemmer.stem("图书馆", language: "zh") == nil)
        #expect(Stemmer.stem("図書館", language: "ja") == nil)
        #expect(Stemmer.stem("ภาษาไทย", language: "th") == nil)
        #expect(Stemmer.stem("도서관들", language: "ko") == nil)
        #expect(Stemmer.stem("图书馆", language: "en") == nil)  // a Chinese word in an English document
        #expect(Stemmer.stem("2024s", language: "en") == nil)
        #expect(Stemmer.stem("3.14", language: "en") == nil)
        #expect(Stemmer.stem("running", language: nil) == nil)
        #expect(Stemmer.stem("running", language: "xx") == nil)
        #expect(!Stemmer.supports("he") && Stemmer.supports("sv") && Stemmer.supports("FI"))
    }

    @Test func stemsUnderSeveralLanguagesAreDistinct() {
        #expect(Stemmer.stems("imprentas", languages: ["en", "es", "fr"]).contains("imprent"))
        let stems = Stemmer.stems("descaled", languages: ["en", "en", "de"])
        #expect(stems.count == Set(stems).count && stems.contains("descal"))
    }

    @Test func concurrentStemmingGivesTheSameStems() async {
        let expected = Self.pairs.map { Stemmer.stem($0.inflected, language: $0.language) }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { _ in Self.pairs.map { Stemmer.stem($0.inflected, language: $0.language) } == expected }
                }
            }
            for await same in group { #expect(same) }
        }
    }

    @Test func ftsTextKeepsSurfaceFormsAndAddsStems() {
        #expect(WordSegmenter.ftsText("Descale once a month.", language: "en") == "Descale descal once onc a month")
        #expect(WordSegmenter.ftsText("Descale once a month.", language: nil) == "Descale once a month")
        #expect(WordSegmenter.ftsText("我昨天去了北京大学图书馆。", language: "zh") == WordSegmenter.ftsText("我昨天去了北京大学图书馆。"))
        #expect(WordSegmenter.ftsText("Les imprimeries de 1850", language: "fr") == "Les le imprimeries imprimer de 1850")
    }

    @Test func lexicalQueryGroupsSurfaceAndStemsAndQuotesEverything() {
        let query = LexicalQuery(words: ["descaled", "Descaled", "\"x", "图书馆"], languages: ["en", "fr"])
        #expect(query.groups.map(\.alternatives) == [["descaled", "descal"], ["\"x"], ["图书馆"]])
        #expect(query.expression == "\"descaled\" OR \"descal\" OR \"\"\"x\" OR \"图书馆\"")
    }
}
