import CStemmer

/// Snowball stems (libstemmer) for Ferret's language codes, so that lexical search matches word forms: `descaled`
/// and `Descale` share the stem `descal`, `imprimeries` and `imprimerie` the stem `imprimer`.
///
/// Words are lower-cased first (Snowball expects lower-case UTF-8). Languages without a Snowball algorithm (zh, ja,
/// ko, th, he…) and words holding a digit or no letter are left alone: CJK and Thai stay ICU-segmented words.
/// Thread-safe: an `sb_stemmer` keeps per-call state, so each language has one behind a lock (stemming is a few
/// hundred nanoseconds; indexing segments passages outside the write transaction, on the caller's threads).
public enum Stemmer {
    /// Snowball algorithm names by ISO 639-1 code: every language `LanguageGuess` names that Snowball has, plus the
    /// other Snowball languages under their usual codes.
    public static let algorithms: [String: String] = [
        "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
        "nl": "dutch", "ru": "russian", "el": "greek", "ar": "arabic", "hi": "hindi",
        "sv": "swedish", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "da": "danish", "fi": "finnish",
        "hu": "hungarian", "ro": "romanian", "tr": "turkish", "ca": "catalan", "eu": "basque", "ga": "irish",
        "hy": "armenian", "id": "indonesian", "lt": "lithuanian", "ne": "nepali", "sr": "serbian", "ta": "tamil",
        "yi": "yiddish",
    ]

    /// Words longer than this (in UTF-8 bytes) are not stemmed: identifiers and URLs, not inflected words.
    static let maximumWordBytes = 100

    /// Whether `language` has a stemmer (nil, unknown codes and CJK/Thai do not).
    public static func supports(_ language: String?) -> Bool {
        guard let language else { return false }
        return stemmer(for: language) != nil
    }

    /// The stem of `word` in `language`, lower-cased, or nil when it is the lower-cased word itself, when the language
    /// has no stemmer, or when the word is not stemmed (digits, no letters, too long).
    public static func stem(_ word: some StringProtocol, language: String?) -> String? {
        guard let language, let stemmer = stemmer(for: language) else { return nil }
        var hasLetter = false
        for scalar in word.unicodeScalars {
            if scalar.properties.numericType != nil { return nil }
            if scalar.properties.isAlphabetic { hasLetter = true }
        }
        guard hasLetter, word.utf8.count <= maximumWordBytes else { return nil }
        let lower = word.lowercased()
        let stem = stemmer.stem(lower)
        return stem.isEmpty || stem == lower ? nil : stem
    }

    /// The word's stems under each of `languages` that differ from the lower-cased word, without repeats, in order.
    public static func stems(_ word: some StringProtocol, languages: [String]) -> [String] {
        var found: [String] = []
        for language in languages {
            if let stem = stem(word, language: language), !found.contains(stem) { found.append(stem) }
        }
        return found
    }

    // MARK: - libstemmer handles

    /// One stemmer per language code, made on first use and kept for the process (a few KB each).
    private static let cache = Locked<[String: SnowballStemmer?]>([:])

    private static func stemmer(for language: String) -> SnowballStemmer? {
        let code = language.lowercased()
        guard let algorithm = algorithms[code] else { return nil }
        return cache.withLock { cache in
            if let known = cache[code] { return known }
            let made = SnowballStemmer(algorithm: algorithm)
            cache[code] = made
            return made
        }
    }
}

/// One libstemmer handle behind a lock (`sb_stemmer_stem` writes into the handle's buffer).
private final class SnowballStemmer: @unchecked Sendable {  // `handle` is only used under `lock`
    private let handle: OpaquePointer
    private let lock = Locked(())

    init?(algorithm: String) {
        guard let handle = sb_stemmer_new(algorithm, "UTF_8") else { return nil }
        self.handle = handle
    }

    deinit { sb_stemmer_delete(handle) }

    func stem(_ lowerCased: String) -> String {
        var word = lowerCased
        return word.withUTF8 { bytes in
            lock.withLock { _ in
                guard let base = bytes.baseAddress,
                      let out = sb_stemmer_stem(handle, base, Int32(bytes.count)) else { return lowerCased }
                let length = Int(sb_stemmer_length(handle))
                return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
            }
        }
    }
}
