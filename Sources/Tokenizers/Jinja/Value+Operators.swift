import Foundation

extension Jinja {
    /// A runtime failure; the evaluator adds the position of the statement that was running.
    struct Failure: Error {
        enum Kind { case render, raised }

        var kind: Kind
        var message: String
        var location: Location?

        init(_ message: String, kind: Kind = .render) {
            self.kind = kind
            self.message = message
        }

        static func undefined(_ value: Value) -> Failure {
            if case .undefined(let hint) = value { return Failure("undefined value: \(hint)") }
            return Failure("undefined value")
        }

        static func type(_ message: String) -> Failure { Failure("type error: \(message)") }
    }
}

/// Python operator semantics (bool counts as int, `/` always gives a float, `//` and `%` floor).
extension Jinja.Value {
    typealias Value = Jinja.Value
    typealias Failure = Jinja.Failure

    /// `int`/`bool` as an integer, for arithmetic and indexing.
    var integer: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let f): return f
        default: return nil
        }
    }

    func requireDefined() throws(Failure) -> Value {
        if isUndefined { throw Failure.undefined(self) }
        return self
    }

    // MARK: equality and order

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a.unmarked, b.unmarked) {
        case (.iterator(let x), .iterator(let y)): return x === y
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let x), .string(let y)): return PythonText.equal(x, y)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in y[entry.key].map { equal(entry.value, $0) } ?? false }
        case (.namespace(let x), .namespace(let y)): return x === y
        default:
            if let i = a.integer, let j = b.integer { return i == j }
            if let x = a.number, let y = b.number { return x == y }
            return false
        }
    }

    /// Python `a < b`.
    static func less(_ a: Value, _ b: Value) throws(Failure) -> Bool {
        let a = try a.requireDefined().unmarked, b = try b.requireDefined().unmarked
        switch (a, b) {
        case (.string(let x), .string(let y)): return PythonText.less(x, y)
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) where !equal(p, q) { return try less(p, q) }
            return x.count < y.count
        default:
            if let i = a.integer, let j = b.integer { return i < j }
            if let x = a.number, let y = b.number { return x < y }
            throw Failure.type("'<' not supported between '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    static func compare(_ op: Jinja.CompareOperator, _ a: Value, _ b: Value) throws(Failure) -> Bool {
        switch op {
        case .equal: return equal(a, b)
        case .notEqual: return !equal(a, b)
        case .less: return try less(a, b)
        case .greater: return try less(b, a)
        case .lessOrEqual: return try !less(b, a)
        case .greaterOrEqual: return try !less(a, b)
        case .in: return try contains(b, a)
        case .notIn: return try !contains(b, a)
        }
    }

    /// Python `item in container`.
    static func contains(_ container: Value, _ item: Value) throws(Failure) -> Bool {
        let item = item.unmarked
        switch container.unmarked {
        case .iterator(let generator):  // consumes up to the match, as Python's `in` on a generator
            while let next = generator.next() { if equal(next, item) { return true } }
            return false
        case .undefined: return false
        case .string(let text):
            guard case .string(let needle) = item else {
                if item.isUndefined { throw Failure.undefined(item) }
                throw Failure.type("'in <string>' requires a string as left operand, not \(item.typeName)")
            }
            return PythonText.contains(text, needle)
        case .list(let items): return items.contains { equal($0, item) }
        case .dict(let dict):
            if Jinja.Dict.Key(item) == nil { throw Failure.type("unhashable type: '\(item.typeName)'") }
            return dict[item] != nil
        case .namespace(let namespace):
            return namespace.attributes[item] != nil
        default:
            throw Failure.type("argument of type '\(container.typeName)' is not iterable")
        }
    }

    // MARK: arithmetic

    static func binary(_ op: Jinja.BinaryOperator, _ a: Value, _ b: Value) throws(Failure) -> Value {
        _ = try a.requireDefined()
        _ = try b.requireDefined()
        switch (op, a, b) {
        case (.add, .markup(let x), .markup(let y)): return .markup(x + y)
        case (.add, .markup(let x), .string(let y)): return .markup(x + Jinja.Evaluator.htmlEscape(y))
        case (.add, .string(let x), .markup(let y)): return .markup(Jinja.Evaluator.htmlEscape(x) + y)
        default: break
        }
        let a = a.unmarked, b = b.unmarked
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.add, .list(let x), .list(let y)): return .list(x + y)
        case (.multiply, .string(let s), _) where b.integer != nil: return .string(try repeated(s, b.integer ?? 0))
        case (.multiply, _, .string(let s)) where a.integer != nil: return .string(try repeated(s, a.integer ?? 0))
        case (.multiply, .list(let items), _) where b.integer != nil:
            let count = max(0, b.integer ?? 0)
            let (total, overflow) = items.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= maximumRepetition else {
                throw Failure("'*' would build a list of more than \(maximumRepetition) items")
            }
            return .list(Array(repeating: items, count: count).flatMap { $0 })
        case (.modulo, .string(let format), _): return .string(try printf(format, b))
        default: break
        }
        if let x = a.integer, let y = b.integer { return try integerArithmetic(op, x, y) }
        guard let x = a.number, let y = b.number else {
            throw Failure.type("unsupported operand types for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            guard y != 0 else { throw Failure("division by zero") }
            return .float(x / y)
        case .floorDivide:
            guard y != 0 else { throw Failure("division by zero") }
            return .float((x / y).rounded(.down))
        case .modulo:
            guard y != 0 else { throw Failure("modulo by zero") }
            let r = x.truncatingRemainder(dividingBy: y)
            return .float(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power: return .float(pow(x, y))
        case .and, .or: return .bool(false)  // handled by the evaluator (short-circuit)
        }
    }

    private static func integerArithmetic(_ op: Jinja.BinaryOperator, _ x: Int, _ y: Int) throws(Failure) -> Value {
        func checked(_ result: (partialValue: Int, overflow: Bool)) throws(Failure) -> Value {
            if result.overflow { throw Failure("integer overflow") }
            return .int(result.partialValue)
        }
        switch op {
        case .add: return try checked(x.addingReportingOverflow(y))
        case .subtract: return try checked(x.subtractingReportingOverflow(y))
        case .multiply: return try checked(x.multipliedReportingOverflow(by: y))
        case .divide:
            guard y != 0 else { throw Failure("division by zero") }
            return .float(Double(x) / Double(y))
        case .floorDivide:
            guard y != 0 else { throw Failure("division by zero") }
            let (q, overflow) = x.dividedReportingOverflow(by: y)  // Int.min // -1
            if overflow { throw Failure("integer overflow") }
            return .int(q * y != x && (x < 0) != (y < 0) ? q - 1 : q)
        case .modulo:
            guard y != 0 else { throw Failure("modulo by zero") }
            let r = x.remainderReportingOverflow(dividingBy: y).partialValue  // Int.min % -1 is 0
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power:
            guard y >= 0 else { return .float(pow(Double(x), Double(y))) }
            // By squaring: `1 ** 10**18` must not loop 10^18 times. A square that overflows while bits remain means
            // the result would overflow too.
            func times(_ a: Int, _ b: Int) throws(Failure) -> Int {
                let (product, overflow) = a.multipliedReportingOverflow(by: b)
                if overflow { throw Failure("integer overflow") }
                return product
            }
            var result = 1, base = x, exponent = y
            while exponent > 0 {
                if exponent & 1 == 1 { result = try times(result, base) }
                exponent >>= 1
                if exponent > 0 { base = try times(base, base) }
            }
            return .int(result)
        case .and, .or: return .bool(false)
        }
    }

    /// Longest string or list `*` may build; a template asking for more is an error, not an allocation.
    static let maximumRepetition = 10_000_000

    private static func repeated(_ text: String, _ count: Int) throws(Failure) -> String {
        guard count > 0 else { return "" }
        let (total, overflow) = text.unicodeScalars.count.multipliedReportingOverflow(by: count)
        guard !overflow, total <= maximumRepetition, count <= maximumRepetition else {
            throw Failure("'*' would build a string of more than \(maximumRepetition) characters")
        }
        return String(repeating: text, count: count)
    }

    static func negate(_ value: Value) throws(Failure) -> Value {
        switch try value.requireDefined() {
        case .int(let i):
            guard i != .min else { throw Failure("integer overflow") }
            return .int(-i)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let f): return .float(-f)
        default: throw Failure.type("bad operand type for unary -: '\(value.typeName)'")
        }
    }

    /// `"…" % args` with the common conversions (`%s %r %d %i %f %%`, optional width/precision).
    static func printf(_ format: String, _ arguments: Value) throws(Failure) -> String {
        var queue: [Value]
        if case .list(let items) = arguments { queue = items } else { queue = [arguments.unmarked] }
        var out = ""
        let s = Array(format.unicodeScalars)
        var i = 0
        while i < s.count {
            guard s[i] == "%", i + 1 < s.count else { out.unicodeScalars.append(s[i]); i += 1; continue }
            i += 1
            if s[i] == "%" { out += "%"; i += 1; continue }
            var spec = ""
            while i < s.count, "0123456789.-+ ".unicodeScalars.contains(s[i]) { spec.unicodeScalars.append(s[i]); i += 1 }
            guard i < s.count else { throw Failure("incomplete format in '%' string formatting") }
            let conversion = s[i]
            i += 1
            guard !queue.isEmpty else { throw Failure("not enough arguments for format string") }
            let argument = queue.removeFirst()
            let parts = spec.split(separator: ".", omittingEmptySubsequences: false)
            let width = Int(parts.first.map(String.init)?.trimmingPrefix("-") ?? "") ?? 0
            guard width <= maximumRepetition else {
                throw Failure("'%' format width \(width) is more than \(maximumRepetition) characters")
            }
            let leftAlign = spec.hasPrefix("-")
            var piece: String
            switch conversion {
            case "s": piece = argument.text
            case "r": piece = argument.repr
            case "d", "i":
                guard let n = argument.number else { throw Failure.type("%d format: a number is required") }
                guard n.isFinite else { throw Failure("%d format: cannot convert float \(PythonText.repr(n)) to integer") }
                // `Int(n)` traps past Int's range; Python prints the float's exact integer value, as `%.0f` does.
                piece = abs(n) < 9.2e18 ? String(Int(n.rounded(.towardZero))) : String(format: "%.0f", n.rounded(.towardZero))
            case "f":
                guard let n = argument.number else { throw Failure.type("%f format: a number is required") }
                let precision = parts.count > 1 ? Int(parts[1]) ?? 6 : 6
                guard precision <= maximumRepetition else {
                    throw Failure("'%' format precision \(precision) is more than \(maximumRepetition) digits")
                }
                piece = fixed(n, precision: precision)
            default:
                throw Failure("unsupported format character '\(conversion)' in '%' string formatting")
            }
            let pad = max(0, width - PythonText.count(piece))
            piece = leftAlign ? piece + String(repeating: " ", count: pad) : String(repeating: " ", count: pad) + piece
            out += piece
        }
        if !queue.isEmpty, case .list = arguments {
            throw Failure("not all arguments converted during string formatting")
        }
        return out
    }

    /// `%.Nf` without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, precision: Int) -> String {
        guard value.isFinite else { return PythonText.repr(value) }
        var scale = 1.0
        for _ in 0..<min(precision, 400) { scale *= 10 }  // infinite from 309 on: no need to go further
        let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
        var digits = String(format: scaled)
        if precision > 0 {
            if digits.count <= precision { digits = String(repeating: "0", count: precision - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -precision))
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }
}

private extension String {
    /// Digits of a non-negative integral `Double`.
    init(format value: Double) {
        if value < 9.0e18 { self = String(Int64(value)) } else { self = String(value) }
    }
}
