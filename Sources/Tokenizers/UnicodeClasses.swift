/// The character classes the split regexes use, as Oniguruma (the regex engine inside `tokenizers`) defines them.
///
/// - `\p{L}`: general category Lu, Ll, Lt, Lm, Lo. `\p{N}`: Nd, Nl, No.
/// - `\s`: the Unicode White_Space property (25 scalars: TAB…CR, space, U+0085, U+00A0, U+1680, U+2000…U+200A,
///   U+2028, U+2029, U+202F, U+205F, U+3000). Checked against `tokenizers` 0.22.1 over every scalar.
/// - Oniguruma in `tokenizers` 0.22 knows Unicode 16.0; Swift 6.3 knows 17.0. The 4,657 letters and digits new in
///   17.0 are unassigned for Oniguruma, so scalars younger than 16.0 count as neither letter nor number here.
enum UnicodeClasses {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 4
    /// `\r` or `\n`, which several branches of the regex treat apart from other whitespace.
    static let newline: UInt8 = 8

    /// Classes of the Basic Multilingual Plane, computed once (about 5 ms) on first use.
    private static let basicPlane: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 {
            if let scalar = Unicode.Scalar(UInt32(value)) { table[value] = computeClasses(scalar) }
        }
        return table
    }()

    @inline(__always)
    static func classes(of value: UInt32) -> UInt8 {
        if value < 0x10000 { return basicPlane[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        return computeClasses(scalar)
    }

    private static func computeClasses(_ scalar: Unicode.Scalar) -> UInt8 {
        let properties = scalar.properties
        var result: UInt8 = properties.isWhitespace ? whitespace : 0
        if scalar == "\r" || scalar == "\n" { result |= newline }
        let category: UInt8
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            category = letter
        case .decimalNumber, .letterNumber, .otherNumber:
            category = number
        default:
            category = 0
        }
        if category != 0, knownToOniguruma(properties) { result |= category }
        return result
    }

    private static func knownToOniguruma(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < 16 || (age.major == 16 && age.minor == 0)
    }

    /// Rust `regex`'s Unicode `\w` (Alphabetic, marks, Nd, Pc, Join_Control), which `tokenizers` uses to decide
    /// whether a `single_word` added token touches a word.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}
