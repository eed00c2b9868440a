/// HTML character references: the named entities people actually write (Latin-1, typography, arrows, maths, Greek)
/// and numeric ones (`&#233;`, `&#xE9;`), with the HTML5 rules for bad numbers (NUL, surrogates and values past
/// U+10FFFF become U+FFFD; 0x80–0x9F are read as Windows-1252, as browsers do). An unknown name stays literal text.
enum HTMLEntities {
    /// Decodes the reference starting at `bytes[start] == "&"`. Returns the text and the index after the
    /// reference, or nil when it is not one (the `&` is then literal text).
    static func decode(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
        var i = start + 1
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "#") {
            i += 1
            let hex = i < bytes.count && (bytes[i] | 0x20) == UInt8(ascii: "x")
            if hex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < bytes.count, i - digitsStart < 8, let d = digit(bytes[i], hex: hex) {
                value = value * (hex ? 16 : 10) + d
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1 }
            return (String(Character(scalar(forNumber: value))), i)
        }
        let nameStart = i
        while i < bytes.count, i - nameStart < 32, isAlphanumeric(bytes[i]) { i += 1 }
        guard i > nameStart else { return nil }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        guard let value = named[name], let scalar = Unicode.Scalar(value) else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ";") { return (String(Character(scalar)), i + 1) }
        // Without the semicolon only the legacy few are references (`AT&Tsomething` stays as is).
        return legacyWithoutSemicolon.contains(name) ? (String(Character(scalar)), i) : nil
    }

    static func scalar(forNumber value: UInt32) -> Unicode.Scalar {
        if let mapped = windows1252[value] { return Unicode.Scalar(mapped) ?? "\u{FFFD}" }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    private static func digit(_ b: UInt8, hex: Bool) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }

    private static let legacyWithoutSemicolon: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]

    private static let windows1252: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    // `&nbsp;` decodes to a plain space: for search a no-break space is a space.
    static let named: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0x20, "copy": 0xA9, "reg": 0xAE,
        "trade": 0x2122, "hellip": 0x2026, "mdash": 0x2014, "ndash": 0x2013, "lsquo": 0x2018, "rsquo": 0x2019,
        "sbquo": 0x201A, "ldquo": 0x201C, "rdquo": 0x201D, "bdquo": 0x201E, "laquo": 0xAB, "raquo": 0xBB,
        "lsaquo": 0x2039, "rsaquo": 0x203A, "bull": 0x2022, "middot": 0xB7, "deg": 0xB0, "plusmn": 0xB1,
        "times": 0xD7, "divide": 0xF7, "para": 0xB6, "sect": 0xA7, "euro": 0x20AC, "pound": 0xA3, "yen": 0xA5,
        "cent": 0xA2, "curren": 0xA4, "iexcl": 0xA1, "iquest": 0xBF, "shy": 0xAD, "macr": 0xAF, "acute": 0xB4,
        "cedil": 0xB8, "uml": 0xA8, "ordf": 0xAA, "ordm": 0xBA, "not": 0xAC, "brvbar": 0xA6, "sup1": 0xB9,
        "sup2": 0xB2, "sup3": 0xB3, "frac12": 0xBD, "frac14": 0xBC, "frac34": 0xBE, "micro": 0xB5, "dagger": 0x2020,
        "Dagger": 0x2021, "permil": 0x2030, "prime": 0x2032, "Prime": 0x2033, "oline": 0x203E, "frasl": 0x2044,
        "larr": 0x2190, "rarr": 0x2192, "uarr": 0x2191, "darr": 0x2193, "harr": 0x2194, "lArr": 0x21D0,
        "rArr": 0x21D2, "hArr": 0x21D4, "le": 0x2264, "ge": 0x2265, "ne": 0x2260, "asymp": 0x2248, "equiv": 0x2261,
        "infin": 0x221E, "minus": 0x2212, "sum": 0x2211, "prod": 0x220F, "radic": 0x221A, "part": 0x2202,
        "nabla": 0x2207, "isin": 0x2208, "notin": 0x2209, "cap": 0x2229, "cup": 0x222A, "and": 0x2227, "or": 0x2228,
        "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "zwnj": 0x200C, "zwj": 0x200D, "lrm": 0x200E,
        "rlm": 0x200F, "Agrave": 0xC0, "Aacute": 0xC1, "Acirc": 0xC2, "Atilde": 0xC3, "Auml": 0xC4, "Aring": 0xC5,
        "AElig": 0xC6, "Ccedil": 0xC7, "Egrave": 0xC8, "Eacute": 0xC9, "Ecirc": 0xCA, "Euml": 0xCB, "Igrave": 0xCC,
        "Iacute": 0xCD, "Icirc": 0xCE, "Iuml": 0xCF, "ETH": 0xD0, "Ntilde": 0xD1, "Ograve": 0xD2, "Oacute": 0xD3,
        "Ocirc": 0xD4, "Otilde": 0xD5, "Ouml": 0xD6, "Oslash": 0xD8, "Ugrave": 0xD9, "Uacute": 0xDA, "Ucirc": 0xDB,
        "Uuml": 0xDC, "Yacute": 0xDD, "THORN": 0xDE, "szlig": 0xDF, "agrave": 0xE0, "aacute": 0xE1, "acirc": 0xE2,
        "atilde": 0xE3, "auml": 0xE4, "aring": 0xE5, "aelig": 0xE6, "ccedil": 0xE7, "egrave": 0xE8, "eacute": 0xE9,
        "ecirc": 0xEA, "euml": 0xEB, "igrave": 0xEC, "iacute": 0xED, "icirc": 0xEE, "iuml": 0xEF, "eth": 0xF0,
        "ntilde": 0xF1, "ograve": 0xF2, "oacute": 0xF3, "ocirc": 0xF4, "otilde": 0xF5, "ouml": 0xF6, "oslash": 0xF8,
        "ugrave": 0xF9, "uacute": 0xFA, "ucirc": 0xFB, "uuml": 0xFC, "yacute": 0xFD, "thorn": 0xFE, "yuml": 0xFF,
        "OElig": 0x152, "oelig": 0x153, "Scaron": 0x160, "scaron": 0x161, "Yuml": 0x178, "fnof": 0x192,
        "circ": 0x2C6, "tilde": 0x2DC, "Alpha": 0x391, "Beta": 0x392, "Gamma": 0x393, "Delta": 0x394,
        "Epsilon": 0x395, "Zeta": 0x396, "Eta": 0x397, "Theta": 0x398, "Iota": 0x399, "Kappa": 0x39A,
        "Lambda": 0x39B, "Mu": 0x39C, "Nu": 0x39D, "Xi": 0x39E, "Omicron": 0x39F, "Pi": 0x3A0, "Rho": 0x3A1,
        "Sigma": 0x3A3, "Tau": 0x3A4, "Upsilon": 0x3A5, "Phi": 0x3A6, "Chi": 0x3A7, "Psi": 0x3A8, "Omega": 0x3A9,
        "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "epsilon": 0x3B5, "zeta": 0x3B6, "eta": 0x3B7,
        "theta": 0x3B8, "iota": 0x3B9, "kappa": 0x3BA, "lambda": 0x3BB, "mu": 0x3BC, "nu": 0x3BD, "xi": 0x3BE,
        "omicron": 0x3BF, "pi": 0x3C0, "rho": 0x3C1, "sigmaf": 0x3C2, "sigma": 0x3C3, "tau": 0x3C4, "upsilon": 0x3C5,
        "phi": 0x3C6, "chi": 0x3C7, "psi": 0x3C8, "omega": 0x3C9, "spades": 0x2660, "clubs": 0x2663,
        "hearts": 0x2665, "diams": 0x2666, "loz": 0x25CA,
    ]
}
