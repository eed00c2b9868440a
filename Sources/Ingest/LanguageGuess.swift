/// A cheap language guess for a document, good enough to label a corpus and choose defaults — a heuristic, not a
/// classifier. Looks at the first 20,000 letters: the dominant script decides (Han with kana → `ja`, Han alone → `zh`,
/// Hangul → `ko`, Arabic → `ar`, Cyrillic → `ru`, Greek → `el`, Hebrew → `he`, Thai → `th`, Devanagari → `hi`); Latin
/// text is told apart by counting common function words of en/fr/de/es/it/pt/nl, each weighted by how few of these
/// languages share it. Returns nil for too little text or no clear winner.
enum LanguageGuess {
    static let sampleLetters = 20_000

    private enum Script: CaseIterable { case latin, han, kana, hangul, arabic, cyrillic, greek, hebrew, thai, devanagari }

    static func guess(_ text: String) -> String? {
        var counts = [Script: Int]()
        var letters = 0
        for scalar in text.unicodeScalars {
            guard let script = script(of: scalar) else { continue }
            counts[script, default: 0] += 1
            letters += 1
            if letters >= sampleLetters { break }
        }
        guard letters >= 10 else { return nil }
        let han = counts[.han, default: 0], kana = counts[.kana, default: 0]
        let cjk = han + kana
        guard let (top, topCount) = counts.max(by: { $0.value < $1.value }) else { return nil }
        if cjk >= topCount || cjk * 2 >= letters {
            // Japanese mixes kanji with kana; Chinese has no kana at all.
            return kana * 20 >= cjk ? "ja" : "zh"
        }
        switch top {
        case .latin: return latinLanguage(text)
        case .hangul: return "ko"
        case .arabic: return "ar"
        case .cyrillic: return "ru"
        case .greek: return "el"
        case .hebrew: return "he"
        case .thai: return "th"
        case .devanagari: return "hi"
        case .han, .kana: return nil
        }
    }

    private static func script(of s: Unicode.Scalar) -> Script? {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: return s.properties.isAlphabetic ? .latin : nil
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return .han
        case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
        case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return s.properties.isAlphabetic ? .arabic : nil
        case 0x0400...0x04FF: return .cyrillic
        case 0x0370...0x03FF: return .greek
        case 0x0590...0x05FF: return s.properties.isAlphabetic ? .hebrew : nil
        case 0x0E00...0x0E7F: return .thai
        case 0x0900...0x097F: return .devanagari
        default: return nil
        }
    }

    private static let functionWords: [String: [String]] = [
        "en": ["the", "and", "of", "to", "is", "in", "that", "it", "with", "for", "are", "this", "was", "on", "as",
               "be", "by", "you", "not", "or", "from", "have", "which"],
        "fr": ["le", "la", "les", "des", "est", "et", "une", "dans", "que", "pour", "du", "en", "qui", "sur", "pas",
               "au", "avec", "ce", "sont", "il", "aux", "ou", "nous", "vous"],
        "de": ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "zu", "den", "von", "im", "auf",
               "sich", "dem", "auch", "werden", "wird", "oder", "sie", "es", "für"],
        "es": ["el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "es", "por", "con", "para", "del", "se",
               "al", "como", "más", "lo", "pero", "su"],
        "it": ["il", "di", "che", "e", "la", "per", "un", "una", "sono", "non", "con", "gli", "del", "della", "è",
               "le", "nel", "si", "ma", "anche"],
        "pt": ["o", "a", "os", "as", "de", "que", "e", "do", "da", "em", "um", "uma", "para", "com", "não", "é", "dos",
               "das", "no", "na", "se", "mais"],
        "nl": ["de", "het", "een", "en", "van", "is", "dat", "op", "te", "niet", "met", "voor", "zijn", "die", "ook",
               "maar", "aan", "er"],
    ]

    /// Word → [(language, weight)], weight 1/(number of languages listing the word).
    private static let weights: [String: [(String, Double)]] = {
        var owners = [String: [String]]()
        for (language, words) in functionWords { for word in words { owners[word, default: []].append(language) } }
        return owners.mapValues { languages in languages.map { ($0, 1.0 / Double(languages.count)) } }
    }()

    private static func latinLanguage(_ text: String) -> String? {
        var scores = [String: Double]()
        var words = 0
        let sample = String(String.UnicodeScalarView(text.unicodeScalars.prefix(60_000))).lowercased()
        for word in sample.split(whereSeparator: { !$0.isLetter }).prefix(5_000) {
            words += 1
            for (language, weight) in weights[String(word)] ?? [] { scores[language, default: 0] += weight }
        }
        let ranked = scores.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        guard let best = ranked.first, best.value >= 2 else { return nil }
        // A clear winner only: ahead of the runner-up by a quarter.
        if ranked.count > 1, ranked[1].value * 1.25 > best.value { return nil }
        return best.key
    }
}
