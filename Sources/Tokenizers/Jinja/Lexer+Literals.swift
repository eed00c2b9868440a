/// Numbers, operators and string literals inside `{{ }}` / `{% %}`, read as Jinja reads them.
extension Jinja.Lexer {
    mutating func digits() -> String {
        var text = ""
        while position < source.count {
            let scalar = source[position]
            if scalar.isASCII, scalar.properties.numericType == .decimal {
                text.unicodeScalars.append(scalar)
            } else if scalar == "_", position + 1 < source.count, source[position + 1].isASCII,
                      source[position + 1].properties.numericType == .decimal {
                // digit separators, as in Python literals
            } else {
                break
            }
            position += 1
        }
        return text
    }

    func isDigit(_ offset: Int) -> Bool {
        offset < source.count && source[offset].isASCII && source[offset].properties.numericType == .decimal
    }

    mutating func number() -> Jinja.Token.Kind {
        // A number right after '.' is an attribute index (`foo.0`), never the fraction of a float.
        let afterDot = position > 0 && source[position - 1] == "."
        var text = digits()
        var isFloat = false
        if !afterDot, position + 1 < source.count, source[position] == ".", isDigit(position + 1) {
            position += 1
            text += "." + digits()
            isFloat = true
        }
        if !afterDot, position < source.count, source[position] == "e" || source[position] == "E" {
            var j = position + 1
            var sign = ""
            if j < source.count, source[j] == "+" || source[j] == "-" { sign = String(source[j]); j += 1 }
            if isDigit(j) {
                position = j
                text += "e" + sign + digits()
                isFloat = true
            }
        }
        if isFloat { return .float(Double(text) ?? .nan) }
        if let value = Int(text) { return .integer(value) }
        return .float(Double(text) ?? .infinity)
    }

    mutating func symbol() throws(ChatTemplateError) -> String {
        for candidate in ["//", "**", "==", "!=", ">=", "<="] where starts(with: candidate, at: position) {
            position += 2
            return candidate
        }
        let scalar = source[position]
        guard "+-/*%~[](){}><=.:|,;".unicodeScalars.contains(scalar) else {
            throw fail("unexpected character \(PythonText.repr(String(scalar))) inside a tag", at: position)
        }
        position += 1
        return String(scalar)
    }

    /// A quoted literal, decoded like Python's `unicode-escape` (what Jinja applies to string tokens).
    mutating func string(quote: Unicode.Scalar) throws(ChatTemplateError) -> String {
        let start = position
        position += 1
        var out = String.UnicodeScalarView()
        while position < source.count {
            let scalar = source[position]
            if scalar == quote { position += 1; return String(out) }
            if scalar == "\\", position + 1 < source.count {
                position += 1
                out.append(contentsOf: escape())
                continue
            }
            out.append(scalar)
            position += 1
        }
        throw fail("unterminated string literal", at: start)
    }

    /// Decodes the escape after a backslash (`position` is on the character after it).
    mutating func escape() -> [Unicode.Scalar] {
        let scalar = source[position]
        position += 1
        switch scalar {
        case "\n": return []
        case "\\", "'", "\"": return [scalar]
        case "a": return ["\u{07}"]
        case "b": return ["\u{08}"]
        case "f": return ["\u{0C}"]
        case "n": return ["\n"]
        case "r": return ["\r"]
        case "t": return ["\t"]
        case "v": return ["\u{0B}"]
        case "0"..."7":
            var value = scalar.value - 48
            var taken = 1
            while taken < 3, position < source.count, ("0"..."7").contains(source[position]) {
                value = value * 8 + source[position].value - 48
                position += 1
                taken += 1
            }
            return [Unicode.Scalar(value) ?? "\u{FFFD}"]
        case "x", "u", "U":
            let width = scalar == "x" ? 2 : scalar == "u" ? 4 : 8
            guard position + width <= source.count,
                  let value = UInt32(PythonText.string(source[position..<(position + width)]), radix: 16),
                  let decoded = Unicode.Scalar(value) else {
                return ["\\", scalar]
            }
            position += width
            return [decoded]
        default:
            return ["\\", scalar]  // Python keeps unknown escapes as written
        }
    }
}
