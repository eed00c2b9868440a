extension Jinja {
    /// The filters (`value | name(args)`) the renderer knows; an unknown name is a syntax error at parse time,
    /// as Jinja reports it when compiling.
    enum Filters {
        static let names: Set<String> = [
            "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float", "format", "indent",
            "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
            "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string", "sum", "title", "tojson",
            "trim", "unique", "upper", "wordcount",
        ]
    }
}

extension Jinja.Evaluator {
    func applyFilter(_ name: String, _ original: Value, _ args: Jinja.CallArguments) throws(Failure) -> Value {
        func bind(_ parameters: [String]) throws(Failure) -> [Value?] { try args.bind(parameters, to: name) }
        if name == "safe" {
            _ = try bind([])
            return original.isUndefined ? original : .markup(original.text)
        }
        if name == "escape" || name == "e" {
            _ = try bind([])
            if case .markup = original { return original }
            return .markup(Self.htmlEscape(original.text))
        }
        let value = original.unmarked
        switch name {
        case "default", "d":
            let bound = try bind(["default_value", "boolean"])
            let useDefault = value.isUndefined || (bound[1]?.truthy == true && !value.truthy)
            return useDefault ? bound[0] ?? .string("") : original
        case "length", "count":
            _ = try bind([])
            return .int(try length(value))
        case "string":
            _ = try bind([])
            return .string(value.text)
        case "trim":
            switch try bind(["chars"])[0] {
            case nil, .none?, .undefined?: return .string(PythonText.strip(value.text, nil))
            case .string(let set)?: return .string(PythonText.strip(value.text, set))
            case let other?: throw Failure.type("trim() chars must be a string, not \(other.typeName)")
            }
        case "upper": _ = try bind([]); return .string(value.text.uppercased())
        case "lower": _ = try bind([]); return .string(value.text.lowercased())
        case "capitalize": _ = try bind([]); return .string(PythonText.capitalize(value.text))
        case "title": _ = try bind([]); return .string(PythonText.title(value.text))
        case "replace":
            let bound = try bind(["old", "new", "count"])
            return .string(PythonText.replace(value.text, bound[0]?.text ?? "", bound[1]?.text ?? "",
                                              count: bound[2]?.integer ?? -1))
        case "join":
            let bound = try bind(["d", "attribute"])
            var parts: [String] = []
            for element in try iterate(value) {
                parts.append(try bound[1].map { (key: Value) throws(Failure) in try self.item(element, key) }?.text ?? element.text)
            }
            return .string(parts.joined(separator: bound[0]?.text ?? ""))
        case "first":
            _ = try bind([])
            if case .iterator(let generator) = value {  // takes one item, as next(iter(generator))
                return generator.next() ?? .undefined(hint: "No first item, sequence was empty.")
            }
            return try iterate(value).first ?? .undefined(hint: "No first item, sequence was empty.")
        case "last":
            _ = try bind([])
            if case .iterator(let generator) = value {
                throw Failure.type("'\(generator.typeName)' object is not reversible (add '| list' before last)")
            }
            return try iterate(value).last ?? .undefined(hint: "No last item, sequence was empty.")
        case "list":
            _ = try bind([])
            return .list(try iterate(value))
        case "reverse":
            _ = try bind([])
            switch value {
            case .string(let text): return .string(PythonText.string(text.unicodeScalars.reversed()))
            case .list(let items): return .iterator(Jinja.Generator(items.reversed(), typeName: "list_reverseiterator"))
            case .dict(let dict): return .iterator(Jinja.Generator(dict.keys.reversed(), typeName: "dict_reversekeyiterator"))
            default: return .list(try iterate(value).reversed())  // reversed() fails on generators: Jinja lists them
            }
        case "items":
            _ = try bind([])
            switch value {
            case .undefined: return .iterator(Jinja.Generator([]))
            case .dict(let dict): return .iterator(Jinja.Generator(dict.entries.map { .list([$0.key, $0.value]) }))
            default: throw Failure.type("items filter: can only get item pairs from a mapping, not \(value.typeName)")
            }
        case "tojson":
            let bound = try bind(["ensure_ascii", "indent", "separators", "sort_keys"])
            return .string(try jsonEncoding(bound).encode(value))
        case "abs":
            switch try value.requireDefined() {
            case .int(let i):
                guard i != .min else { throw Failure("integer overflow") }
                return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let f): return .float(abs(f))
            default: throw Failure.type("bad operand type for abs(): '\(value.typeName)'")
            }
        case "int":
            let bound = try bind(["default", "base"])
            let base = bound[1]?.integer ?? 10
            // `Int(_:radix:)` traps outside 2...36 (Python also accepts 0, which reads the prefix; templates never use it).
            guard (2...36).contains(base) else { throw Failure("int filter: base must be between 2 and 36, not \(base)") }
            return toInt(value, base: base) ?? bound[0] ?? .int(0)
        case "float":
            let bound = try bind(["default"])
            return toFloat(value) ?? bound[0] ?? .float(0)
        case "round":
            let bound = try bind(["precision", "method"])
            return try round(value, precision: bound[0]?.integer ?? 0, method: bound[1]?.text ?? "common")
        case "indent":
            let bound = try bind(["width", "first", "blank"])
            return .string(try indent(value.text, width: bound[0] ?? .int(4), first: bound[1]?.truthy ?? false,
                                      blank: bound[2]?.truthy ?? false))
        case "format":
            return .string(try Value.printf(value.text, .list(args.positional)))
        case "attr":
            return try attribute(value, try bind(["name"])[0]?.text ?? "")
        case "wordcount":
            _ = try bind([])
            return .int(value.text.unicodeScalars.split { !($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }.count)
        default:
            return try applySequenceFilter(name, value, args)
        }
    }

    func length(_ value: Value) throws(Failure) -> Int {
        switch value {
        case .undefined: return 0
        case .string(let text), .markup(let text): return PythonText.count(text)
        case .list(let items): return items.count
        case .dict(let dict): return dict.count
        default: throw Failure.type("object of type '\(value.typeName)' has no len()")
        }
    }

    private func jsonEncoding(_ bound: [Value?]) throws(Failure) -> Jinja.JSONEncoding {
        var indent: String?
        switch bound[1] {
        case nil, .none?: indent = nil
        case .string(let text)?: indent = text
        case let value?:
            guard let width = value.integer else { throw Failure.type("tojson indent must be an integer or a string") }
            indent = try Self.spaces(width, for: "tojson indent")
        }
        var separators: (String, String)?
        if case .list(let pair)? = bound[2] {
            guard pair.count == 2, case .string(let item) = pair[0], case .string(let key) = pair[1] else {
                throw Failure.type("tojson separators must be a pair of strings")
            }
            separators = (item, key)
        }
        return Jinja.JSONEncoding(ensureASCII: bound[0]?.truthy ?? false, indent: indent, separators: separators,
                                  sortKeys: bound[3]?.truthy ?? false)
    }

    static func htmlEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func toInt(_ value: Value, base: Int) -> Value? {
        switch value {
        case .int, .bool: return .int(value.integer ?? 0)
        case .float(let f): return f.isFinite && abs(f) < 9.2e18 ? .int(Int(f)) : nil
        case .string(let text):
            let trimmed = PythonText.strip(text, nil).replacingOccurrences(of: "_", with: "")
            if let i = Int(trimmed, radix: base) { return .int(i) }
            if let f = Double(trimmed), f.isFinite, abs(f) < 9.2e18 { return .int(Int(f)) }
            return nil
        default: return nil
        }
    }

    private func toFloat(_ value: Value) -> Value? {
        switch value {
        case .int, .bool, .float: return .float(value.number ?? 0)
        case .string(let text): return Double(PythonText.strip(text, nil)).map { .float($0) }
        default: return nil
        }
    }

    private func round(_ value: Value, precision: Int, method: String) throws(Failure) -> Value {
        guard let number = try value.requireDefined().number else {
            throw Failure.type("round filter needs a number, not \(value.typeName)")
        }
        // Past 300 digits a Double is already exact (and the loop below would run for as long as the template asks).
        guard precision <= 300 else { return .float(number) }
        var scale = 1.0
        for _ in 0..<max(0, precision) { scale *= 10 }
        let rule: FloatingPointRoundingRule
        switch method {
        case "common": rule = .toNearestOrEven  // Python's round()
        case "ceil": rule = .up
        case "floor": rule = .down
        default: throw Failure("round filter method must be 'common', 'ceil' or 'floor'")
        }
        return .float((number * scale).rounded(rule) / scale)
    }

    /// Jinja's `indent`: every line but the first (unless `first`) gets the prefix; blank lines only with `blank`.
    private func indent(_ text: String, width: Value, first: Bool, blank: Bool) throws(Failure) -> String {
        let prefix: String
        if case .string(let s) = width { prefix = s } else { prefix = try Self.spaces(width.integer ?? 4, for: "indent width") }
        let lines = Self.splitLines(text + "\n")
        // Every line gets the prefix: the result, not just the prefix, must stay within the repetition limit.
        let (added, overflow) = prefix.unicodeScalars.count.multipliedReportingOverflow(by: lines.count + 1)
        guard !overflow, added <= Value.maximumRepetition else {
            throw Failure("indent would build a string of more than \(Value.maximumRepetition) characters")
        }
        var out: String
        if blank {
            out = lines.joined(separator: "\n" + prefix)
        } else {
            out = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty { out += "\n" + rest.map { $0.isEmpty ? $0 : prefix + $0 }.joined(separator: "\n") }
        }
        return first ? prefix + out : out
    }

    /// `width` spaces (none when negative); a width from the template is an allocation, so it is bounded.
    static func spaces(_ width: Int, for what: String) throws(Failure) -> String {
        guard width <= Value.maximumRepetition else {
            throw Failure("\(what) \(width) is more than \(Value.maximumRepetition) characters")
        }
        return String(repeating: " ", count: max(0, width))
    }

    /// Python `str.splitlines()`.
    static func splitLines(_ text: String) -> [String] {
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        let s = PythonText.scalars(text)
        var lines: [String] = []
        var start = 0, i = 0
        while i < s.count {
            if breaks.contains(s[i].value) {
                lines.append(PythonText.string(s[start..<i]))
                if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < s.count { lines.append(PythonText.string(s[start...])) }
        return lines
    }
}
