extension Jinja {
    /// The `tojson` filter as Hugging Face defines it for chat templates:
    /// `json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)` — Python's `json` module
    /// output, not Jinja's HTML-safe `tojson`.
    struct JSONEncoding {
        var ensureASCII = false
        /// `nil`: one line; otherwise the text repeated once per nesting level after each newline.
        var indent: String?
        var itemSeparator: String
        var keySeparator: String
        var sortKeys = false

        init(ensureASCII: Bool = false, indent: String? = nil, separators: (String, String)? = nil, sortKeys: Bool = false) {
            self.ensureASCII = ensureASCII
            self.indent = indent
            // Python's defaults: ", " without indent, "," with it (so lines do not end in a space).
            itemSeparator = separators?.0 ?? (indent == nil ? ", " : ",")
            keySeparator = separators?.1 ?? ": "
            self.sortKeys = sortKeys
        }

        func encode(_ value: Value) throws(Failure) -> String {
            var out = ""
            var indentation = 0
            try write(value, level: 0, into: &out, indentation: &indentation)
            return out
        }

        /// The template chooses `indent`, so the indentation written in total (`indent` × depth per line) is bounded.
        private func newline(_ level: Int, into out: inout String, indentation: inout Int) throws(Failure) {
            guard let indent else { return }
            let (width, overflow) = indent.unicodeScalars.count.multipliedReportingOverflow(by: level)
            indentation += overflow ? Value.maximumRepetition + 1 : width
            guard indentation <= Value.maximumRepetition else {
                throw Failure("tojson would write more than \(Value.maximumRepetition) characters of indentation")
            }
            out += "\n" + String(repeating: indent, count: level)
        }

        private func write(_ value: Value, level: Int, into out: inout String, indentation: inout Int) throws(Failure) {
            switch value.unmarked {
            case .none: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i): out += String(i)
            case .float(let f):
                if f.isNaN { out += "NaN" } else if f.isInfinite { out += f < 0 ? "-Infinity" : "Infinity" } else {
                    out += PythonText.repr(f)
                }
            case .string(let s): out += quoted(s)
            case .list(let items):
                guard !items.isEmpty else { out += "[]"; return }
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += itemSeparator }
                    try newline(level + 1, into: &out, indentation: &indentation)
                    try write(item, level: level + 1, into: &out, indentation: &indentation)
                }
                try newline(level, into: &out, indentation: &indentation)
                out += "]"
            case .dict(let dict):
                try writeObject(dict, level: level, into: &out, indentation: &indentation)
            case .iterator(let generator):
                throw Failure.type("Object of type \(generator.typeName) is not JSON serializable (add '| list' before tojson)")
            case .undefined:
                throw Failure.type("Object of type Undefined is not JSON serializable (a value passed to tojson is missing)")
            default:
                throw Failure.type("Object of type \(value.typeName) is not JSON serializable")
            }
        }

        private func writeObject(_ dict: Dict, level: Int, into out: inout String, indentation: inout Int) throws(Failure) {
            guard !dict.isEmpty else { out += "{}"; return }
            var entries: [(key: String, value: Value)] = []
            for entry in dict.entries { entries.append((try key(entry.key), entry.value)) }
            if sortKeys { entries.sort { PythonText.less($0.key, $1.key) } }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += itemSeparator }
                try newline(level + 1, into: &out, indentation: &indentation)
                out += quoted(entry.key) + keySeparator
                try write(entry.value, level: level + 1, into: &out, indentation: &indentation)
            }
            try newline(level, into: &out, indentation: &indentation)
            out += "}"
        }

        /// Object keys as `json.dumps` writes them: strings as they are, numbers, booleans and None as text.
        private func key(_ value: Value) throws(Failure) -> String {
            switch value.unmarked {
            case .string(let s): return s
            case .int(let i): return String(i)
            case .float(let f): return f.isNaN ? "NaN" : f.isInfinite ? (f < 0 ? "-Infinity" : "Infinity") : PythonText.repr(f)
            case .bool(let b): return b ? "true" : "false"
            case .none: return "null"
            default: throw Failure.type("keys must be str, int, float, bool or None, not \(value.typeName)")
            }
        }

        /// A JSON string literal with Python's escapes: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control
        /// characters as `\u00XX`; with `ensureASCII` every non-ASCII scalar as `\uXXXX` (surrogate pairs above
        /// U+FFFF).
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        out += "\\u" + PythonText.hex(scalar.value, width: 4)
                    } else if ensureASCII, scalar.value > 0x7E {
                        if scalar.value > 0xFFFF {
                            let v = scalar.value - 0x10000
                            out += "\\u" + PythonText.hex(0xD800 + (v >> 10), width: 4)
                            out += "\\u" + PythonText.hex(0xDC00 + (v & 0x3FF), width: 4)
                        } else {
                            out += "\\u" + PythonText.hex(scalar.value, width: 4)
                        }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
    }
}
