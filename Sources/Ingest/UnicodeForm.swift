/// The Unicode encodings a file can be in, recognised by their byte-order mark or, for UTF-16 and UTF-32, by the
/// NUL bytes that ASCII-heavy text leaves in them.
enum UnicodeForm: Equatable, Sendable {
    case utf8, utf16LE, utf16BE, utf32LE, utf32BE

    /// The name warnings and `TextDecoding.Decoded.encoding` use (ICU's spelling).
    var name: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .utf32LE: return "UTF-32LE"
        case .utf32BE: return "UTF-32BE"
        }
    }

    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: return [0xEF, 0xBB, 0xBF]
        case .utf16LE: return [0xFF, 0xFE]
        case .utf16BE: return [0xFE, 0xFF]
        case .utf32LE: return [0xFF, 0xFE, 0x00, 0x00]
        case .utf32BE: return [0x00, 0x00, 0xFE, 0xFF]
        }
    }

    /// The form whose byte-order mark starts `bytes`. `FF FE 00 00` is UTF-32 LE when the length is a multiple of 4,
    /// else UTF-16 LE starting with U+0000 (which no text does, but the length rules UTF-32 out).
    static func marked(_ bytes: [UInt8]) -> UnicodeForm? {
        if bytes.starts(with: UnicodeForm.utf32LE.byteOrderMark) && bytes.count % 4 == 0 { return .utf32LE }
        for form in [UnicodeForm.utf8, .utf32BE, .utf16LE, .utf16BE] where bytes.starts(with: form.byteOrderMark) {
            return form
        }
        return nil
    }

    /// UTF-32 or UTF-16 without a byte-order mark, recognised in the first `TextDecoding.sniffLength` bytes.
    /// UTF-32 is tried first: its `xx 00 00 00` pattern also has a NUL at every odd offset, like UTF-16 LE.
    static func unmarked(_ bytes: [UInt8]) -> UnicodeForm? {
        let head = Array(bytes.prefix(TextDecoding.sniffLength))
        if let little = unmarkedUTF32(head) { return little ? .utf32LE : .utf32BE }
        if let little = unmarkedUTF16(head) { return little ? .utf16LE : .utf16BE }
        return nil
    }

    /// UTF-32: every 4-byte unit is a Unicode scalar value (at most 0x10FFFF, so its top byte is 0 and the next at
    /// most 0x10) and at most 10% of them are NULs or control characters, which rules out binary arrays of small
    /// integers. Returns `true` for LE, `false` for BE.
    static func unmarkedUTF32(_ head: [UInt8]) -> Bool? {
        guard head.count >= 8, head.count % 4 == 0 || head.count == TextDecoding.sniffLength else { return nil }
        for little in [true, false] {
            var controls = 0
            var units = 0
            var valid = true
            var i = 0
            while i + 3 < head.count {
                let b = little ? (head[i], head[i + 1], head[i + 2], head[i + 3])
                               : (head[i + 3], head[i + 2], head[i + 1], head[i])
                let value = UInt32(b.0) | UInt32(b.1) << 8 | UInt32(b.2) << 16 | UInt32(b.3) << 24
                guard let scalar = Unicode.Scalar(value) else { valid = false; break }
                if TextDecoding.isControl(scalar) { controls += 1 }
                units += 1
                i += 4
            }
            if valid && Double(controls) <= Double(units) * TextDecoding.maxControlRatio { return little }
        }
        return nil
    }

    /// UTF-16: ASCII-heavy UTF-16 has a NUL in (nearly) every other byte, on the odd offsets for little-endian and
    /// the even ones for big-endian. Returns `true` for LE, `false` for BE.
    static func unmarkedUTF16(_ head: [UInt8]) -> Bool? {
        guard head.count >= 4, head.count % 2 == 0 || head.count == TextDecoding.sniffLength else { return nil }
        var evenNul = 0, oddNul = 0
        for (i, b) in head.enumerated() where b == 0 {
            if i % 2 == 0 { evenNul += 1 } else { oddNul += 1 }
        }
        let pairs = head.count / 2
        if oddNul * 10 >= pairs * 7 && evenNul * 50 <= pairs { return true }
        if evenNul * 10 >= pairs * 7 && oddNul * 50 <= pairs { return false }
        return nil
    }

    /// Decodes UTF-16 or UTF-32 `bytes` (without their mark): unpaired surrogates and values past U+10FFFF become
    /// U+FFFD, a last incomplete code unit is dropped, and warnings say so.
    func decodeWide(_ bytes: ArraySlice<UInt8>) -> (text: String, warnings: [String]) {
        switch self {
        case .utf16LE, .utf16BE:
            return Self.decode(bytes, as: UTF16.self, littleEndian: self == .utf16LE, name: "UTF-16",
                               problem: "unpaired UTF-16 surrogate")
        case .utf32LE, .utf32BE:
            return Self.decode(bytes, as: UTF32.self, littleEndian: self == .utf32LE, name: "UTF-32",
                               problem: "invalid UTF-32 code unit")
        case .utf8:
            preconditionFailure("UTF-8 is not a wide form")
        }
    }

    private static func decode<Codec: UnicodeCodec>(_ bytes: ArraySlice<UInt8>, as codec: Codec.Type,
                                                    littleEndian: Bool, name: String,
                                                    problem: String) -> (text: String, warnings: [String]) {
        let width = MemoryLayout<Codec.CodeUnit>.size
        var units: [Codec.CodeUnit] = []
        units.reserveCapacity(bytes.count / width)
        var i = bytes.startIndex
        while i + width <= bytes.endIndex {
            var unit: Codec.CodeUnit = 0
            for k in 0..<width {
                let byte = Codec.CodeUnit(bytes[i + (littleEndian ? width - 1 - k : k)])
                unit = unit << 8 | byte
            }
            units.append(unit)
            i += width
        }
        var invalid = 0
        var scalars = String.UnicodeScalarView()
        var decoder = Codec()
        var iterator = units.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: invalid += 1; scalars.append("\u{FFFD}")
            }
        }
        var warnings: [String] = []
        let leftover = bytes.count % width
        if leftover == 1 && width == 2 {
            warnings.append("odd number of bytes for UTF-16: the last byte was dropped")
        } else if leftover > 0 {
            let what = leftover == 1 ? "1 byte at the end does" : "\(leftover) bytes at the end do"
            warnings.append("\(what) not make a whole \(name) code unit and \(leftover == 1 ? "was" : "were") dropped")
        }
        if invalid > 0 {
            warnings.append("\(invalid) \(problem)\(invalid == 1 ? "" : "s") replaced with U+FFFD")
        }
        return (String(scalars), warnings)
    }
}
