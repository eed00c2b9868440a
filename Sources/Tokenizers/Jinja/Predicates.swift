extension Jinja {
    /// Jinja "tests" (`value is name(args)`); an unknown name is a syntax error at parse time.
    enum Predicates {
        static let names: Set<String> = [
            "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false",
            "mapping", "iterable", "sequence", "callable", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne",
            "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "lower", "upper",
            "sameas",
        ]
    }
}

extension Jinja.Evaluator {
    func applyTest(_ name: String, _ value: Value, _ args: Jinja.CallArguments) throws(Failure) -> Bool {
        let value = value.unmarked
        func other() throws(Failure) -> Value {
            guard let argument = try args.bind(["other"], to: name)[0] else {
                throw Failure.type("test '\(name)' needs an argument")
            }
            return argument
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "number":  // Python's numbers.Number includes bool
            switch value { case .int, .float, .bool: return true; default: return false }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .float = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable":  // anything `iter()` accepts; Jinja's Undefined iterates as empty
            switch value { case .string, .list, .dict, .undefined, .iterator: return true; default: return false }
        case "sequence":  // has len() and []
            switch value { case .string, .list, .dict, .undefined: return true; default: return false }
        case "callable":
            switch value { case .macro, .function: return true; default: return false }
        case "odd", "even":
            guard let i = try value.requireDefined().integer else {
                throw Failure.type("test '\(name)' needs an integer, not \(value.typeName)")
            }
            return (i % 2 != 0) == (name == "odd")
        case "divisibleby":
            guard let i = try value.requireDefined().integer, let d = try other().integer, d != 0 else {
                throw Failure.type("test 'divisibleby' needs integers and a non-zero divisor")
            }
            return i % d == 0
        case "eq", "equalto", "==": return Value.equal(value, try other())
        case "ne", "!=": return !Value.equal(value, try other())
        case "lt", "lessthan", "<": return try Value.less(value, try other())
        case "le", "<=": return try !Value.less(try other(), value)
        case "gt", "greaterthan", ">": return try Value.less(try other(), value)
        case "ge", ">=": return try !Value.less(value, try other())
        case "in": return try Value.contains(try other(), value)
        case "lower": return value.text.lowercased() == value.text
        case "upper": return value.text.uppercased() == value.text
        case "sameas":
            let target = try other()
            switch (value, target) {
            case (.none, .none), (.undefined, .undefined): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            default: return false
            }
        default:
            throw Failure("no test named '\(name)'")
        }
    }
}
