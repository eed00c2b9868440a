/// The split regexes this module knows, each run by a hand-written scanner over Unicode scalars.
///
/// `tokenizers` runs them with Oniguruma: leftmost match, alternatives tried in order, greedy quantifiers with
/// backtracking. Each scanner below reproduces what that search returns at a given position, branch by branch.
/// Every scalar is covered by some branch (letters, numbers, whitespace, and "other" via `[^\s\p{L}\p{N}]`), so a
/// match always starts where the previous one ended and the scan never skips text.
enum SplitPattern: Equatable {
    /// The Llama-3 regex LFM2 uses, and close relatives that differ only in how many digits form a group:
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3(maxDigits: Int)
    /// GPT-2's regex, used by the ByteLevel pre-tokenizer when `use_regex` is true:
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2

    /// Recognises a regex from a tokenizer.json `Split` pre-tokenizer; nil for any other pattern.
    init?(regex: String) {
        let llamaBody = #"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        let contractions = [#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|"#, #"'(?i:[sdmt]|ll|ve|re)|"#]
        for prefix in contractions {
            // LFM2.5 writes `\s*[\r\n]` for the newline branch; after the greedy `\s*` it matches exactly what
            // `\s*[\r\n]+` matches (the scan backs off to the last CR/LF of the run either way).
            for newline in [#"\s*[\r\n]+"#, #"\s*[\r\n]"#] {
                let body = llamaBody.replacingOccurrences(of: #"\s*[\r\n]+"#, with: newline)
                if regex == prefix + body { self = .llama3(maxDigits: 3); return }
                // Qwen2 and others: one digit per piece.
                if regex == prefix + body.replacingOccurrences(of: #"\p{N}{1,3}"#, with: #"\p{N}"#) {
                    self = .llama3(maxDigits: 1)
                    return
                }
            }
        }
        if regex == #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"# {
            self = .gpt2
            return
        }
        return nil
    }

    /// The end (exclusive scalar index) of the match that starts at `start` in `text`.
    func matchEnd(in text: borrowing ScalarText, from start: Int) -> Int {
        switch self {
        case .llama3(let maxDigits): return Self.llama3End(text, start, maxDigits: maxDigits)
        case .gpt2: return Self.gpt2End(text, start)
        }
    }

    private static func llama3End(_ text: borrowing ScalarText, _ i: Int, maxDigits: Int) -> Int {
        let n = text.count
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if text.scalars[i] == 0x27, let end = contraction(text, i, ignoringCase: true) { return end }
        let c = text.classes[i]
        // [^\r\n\p{L}\p{N}]?\p{L}+ : one optional non-letter, non-number, non-CR/LF scalar (a space, a tab,
        // punctuation) glued to the letters that follow it.
        if c & (UnicodeClasses.letter | UnicodeClasses.number | UnicodeClasses.newline) == 0,
           i + 1 < n, text.classes[i + 1] & UnicodeClasses.letter != 0 {
            return text.run(from: i + 1, while: UnicodeClasses.letter)
        }
        if c & UnicodeClasses.letter != 0 { return text.run(from: i, while: UnicodeClasses.letter) }
        // \p{N}{1,3}
        if c & UnicodeClasses.number != 0 {
            var j = i + 1
            while j < n, j - i < maxDigits, text.classes[j] & UnicodeClasses.number != 0 { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let start = (text.scalars[i] == 0x20 && i + 1 < n && isOther(text.classes[i + 1])) ? i + 1 : i
        if isOther(text.classes[start]) {
            var j = start + 1
            while j < n, isOther(text.classes[j]) { j += 1 }
            while j < n, text.classes[j] & UnicodeClasses.newline != 0 { j += 1 }
            return j
        }
        // Only whitespace is left.
        let runEnd = text.run(from: i, while: UnicodeClasses.whitespace)
        // \s*[\r\n]+ : the greedy \s* backs off to the last CR/LF of the run; [\r\n]+ then takes just that one.
        var k = runEnd - 1
        while k >= i, text.classes[k] & UnicodeClasses.newline == 0 { k -= 1 }
        if k >= i { return k + 1 }
        return whitespaceEnd(text, i, runEnd)
    }

    private static func gpt2End(_ text: borrowing ScalarText, _ i: Int) -> Int {
        let n = text.count
        if text.scalars[i] == 0x27, let end = contraction(text, i, ignoringCase: false) { return end }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: the optional space only when the next scalar starts a run.
        let spaced = text.scalars[i] == 0x20 && i + 1 < n
        for kind in [UnicodeClasses.letter, UnicodeClasses.number] {
            if spaced, text.classes[i + 1] & kind != 0 { return text.run(from: i + 1, while: kind) }
            if text.classes[i] & kind != 0 { return text.run(from: i, while: kind) }
        }
        let start = (spaced && isOther(text.classes[i + 1])) ? i + 1 : i
        if isOther(text.classes[start]) {
            var j = start + 1
            while j < n, isOther(text.classes[j]) { j += 1 }
            return j
        }
        return whitespaceEnd(text, i, text.run(from: i, while: UnicodeClasses.whitespace))
    }

    /// `\s+(?!\S)|\s+` over the whitespace run `i..<runEnd`: leave the last space to the word that follows.
    private static func whitespaceEnd(_ text: borrowing ScalarText, _ i: Int, _ runEnd: Int) -> Int {
        if runEnd == text.count || runEnd - 1 == i { return runEnd }
        return runEnd - 1
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` after the apostrophe at `i`. Oniguruma's case folding also maps U+017F (long s)
    /// to `s`; no other scalar folds to one of these letters.
    private static func contraction(_ text: borrowing ScalarText, _ i: Int, ignoringCase: Bool) -> Int? {
        func letter(_ j: Int) -> UInt32? {
            guard j < text.count else { return nil }
            let value = text.scalars[j]
            guard ignoringCase else { return value }
            if value == 0x17F { return 0x73 }
            return (0x41...0x5A).contains(value) ? value + 0x20 : value
        }
        guard let first = letter(i + 1) else { return nil }
        switch first {
        case 0x73, 0x74, 0x6D, 0x64: return i + 2  // s t m d
        case 0x72, 0x76: return letter(i + 2) == 0x65 ? i + 3 : nil  // re ve
        case 0x6C: return letter(i + 2) == 0x6C ? i + 3 : nil  // ll
        default: return nil
        }
    }

    /// `[^\s\p{L}\p{N}]`
    @inline(__always)
    private static func isOther(_ classes: UInt8) -> Bool {
        classes & (UnicodeClasses.letter | UnicodeClasses.number | UnicodeClasses.whitespace) == 0
    }
}

/// A piece of UTF-8 decoded into scalars and their classes, with the byte offset of each scalar.
/// Reused across pieces so that scanning allocates nothing once warmed up.
struct ScalarText: ~Copyable {
    var scalars: [UInt32] = []
    var classes: [UInt8] = []
    /// `offsets[k]` is the byte offset of scalar `k`; `offsets[count]` the end of the piece.
    var offsets: [Int] = []

    var count: Int { scalars.count }

    /// Decodes `bytes[range]`, which must be valid UTF-8 (it always comes from a Swift `String`).
    mutating func load(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        scalars.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        while i < range.upperBound {
            let lead = UInt32(bytes[i])
            var value: UInt32
            var length: Int
            if lead < 0x80 {
                value = lead; length = 1
            } else if lead < 0xE0 {
                value = lead & 0x1F; length = 2
            } else if lead < 0xF0 {
                value = lead & 0x0F; length = 3
            } else {
                value = lead & 0x07; length = 4
            }
            for k in 1..<max(length, 1) where i + k < range.upperBound {
                value = value << 6 | UInt32(bytes[i + k] & 0x3F)
            }
            scalars.append(value)
            classes.append(UnicodeClasses.classes(of: value))
            offsets.append(i)
            i += length
        }
        offsets.append(range.upperBound)
    }

    /// The end of the run of scalars that all have `kind`, starting at `i`.
    @inline(__always)
    func run(from i: Int, while kind: UInt8) -> Int {
        var j = i
        while j < classes.count, classes[j] & kind != 0 { j += 1 }
        return j
    }
}
