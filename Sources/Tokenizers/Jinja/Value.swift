extension Jinja {
    /// A runtime value, modelled on the Python objects a Hugging Face chat template sees.
    indirect enum Value {
        /// Jinja's default `Undefined`: falsy, renders empty, iterates as empty; using it further raises.
        /// `hint` says what was missing, for the error message.
        case undefined(hint: String)
        case none
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        /// A `markupsafe.Markup` string (from `safe` / `escape`): `markup + str` HTML-escapes the plain operand.
        case markup(String)
        /// Lists and tuples (Python distinguishes them only in `repr`).
        case list([Value])
        case dict(Dict)
        case namespace(Namespace)
        case macro(MacroDefinition)
        case loop(LoopState)
        case function(Function)
        /// A Python generator or iterator, as `map`, `select`, `items`, `reverse` return.
        case iterator(Generator)

        /// Functions available as globals in HF's environment (plus Jinja's `range`, `namespace`, `dict`).
        enum Function: String, CaseIterable {
            case raiseException = "raise_exception"
            case namespace
            case range
            case dict
            case strftimeNow = "strftime_now"
        }

        static func undefinedName(_ name: String) -> Value { .undefined(hint: "'\(name)' is undefined") }

        /// A `Markup` string as the plain `str` it is for every operation except `+`.
        var unmarked: Value {
            if case .markup(let s) = self { return .string(s) }
            return self
        }

        var isUndefined: Bool {
            if case .undefined = self { return true }
            return false
        }

        /// Python truthiness.
        var truthy: Bool {
            switch self {
            case .markup(let s): return !s.isEmpty
            case .iterator: return true  // Python: a generator is truthy even when it yields nothing
            case .undefined, .none: return false
            case .bool(let b): return b
            case .int(let i): return i != 0
            case .float(let f): return f != 0
            case .string(let s): return !s.isEmpty
            case .list(let items): return !items.isEmpty
            case .dict(let dict): return !dict.isEmpty
            case .namespace, .macro, .loop, .function: return true
            }
        }

        /// The Python type name, for error messages (`'dict object' has no attribute …`).
        var typeName: String {
            switch self {
            case .undefined: return "Undefined"
            case .none: return "NoneType"
            case .bool: return "bool"
            case .int: return "int"
            case .float: return "float"
            case .string: return "str"
            case .markup: return "Markup"
            case .iterator(let generator): return generator.typeName
            case .list: return "list"
            case .dict: return "dict"
            case .namespace: return "Namespace"
            case .macro: return "Macro"
            case .loop: return "LoopContext"
            case .function: return "function"
            }
        }

        init(_ literal: Literal) {
            switch literal {
            case .none: self = .none
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .float(let f): self = .float(f)
            case .string(let s): self = .string(s)
            }
        }

        /// Python `str(value)`: what `{{ value }}`, `~` and the `string` filter produce.
        var text: String {
            switch self {
            case .undefined: return ""
            case .string(let s), .markup(let s): return s
            default: return repr
            }
        }

        /// Python `repr(value)` (how values print inside lists and dicts).
        var repr: String {
            switch self {
            case .undefined: return ""
            case .none: return "None"
            case .bool(let b): return b ? "True" : "False"
            case .int(let i): return String(i)
            case .float(let f): return PythonText.repr(f)
            case .string(let s): return PythonText.repr(s)
            case .markup(let s): return "Markup(" + PythonText.repr(s) + ")"
            case .iterator(let generator): return "<\(generator.typeName) object>"
            case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
            case .dict(let dict):
                return "{" + dict.entries.map { $0.key.repr + ": " + $0.value.repr }.joined(separator: ", ") + "}"
            case .namespace(let namespace):
                return "<Namespace " + Value.dict(namespace.attributes).repr + ">"
            case .macro(let macro): return "<Macro '\(macro.name)'>"
            case .loop: return "<LoopContext>"
            case .function(let function): return "<function \(function.rawValue)>"
            }
        }
    }

    /// A Python `dict`: insertion order is kept (it shows in `tojson`, `items()` and iteration), and keys compare
    /// like Python's (`1`, `1.0` and `true` are one key; strings by code point).
    struct Dict {
        enum Key: Hashable {
            case text([UInt32])
            case integer(Int)
            case float(UInt64)
            case none

            /// `nil` for values Python cannot hash (lists, dicts, …).
            init?(_ value: Value) {
                switch value {
                case .string(let s), .markup(let s): self = .text(s.unicodeScalars.map(\.value))
                case .int(let i): self = .integer(i)
                case .bool(let b): self = .integer(b ? 1 : 0)
                case .float(let f):
                    if f == f.rounded(), abs(f) < 9.2e18 { self = .integer(Int(f)) } else { self = .float(f.bitPattern) }
                case .none: self = .none
                default: return nil
                }
            }
        }

        private var order: [Key] = []
        private var storage: [Key: (key: Value, value: Value)] = [:]

        init() {}

        init(_ entries: [(String, Value)]) {
            for (key, value) in entries { self[key] = value }
        }

        var isEmpty: Bool { order.isEmpty }
        var count: Int { order.count }
        var keys: [Value] { order.compactMap { storage[$0]?.key } }
        var entries: [(key: Value, value: Value)] { order.compactMap { storage[$0] } }

        subscript(key: Value) -> Value? {
            Key(key).flatMap { storage[$0]?.value }
        }

        subscript(key: String) -> Value? {
            get { self[Value.string(key)] }
            set {
                let hashed = Key.text(key.unicodeScalars.map(\.value))
                guard let newValue else { return }
                if let existing = storage[hashed] {
                    storage[hashed] = (existing.key, newValue)
                } else {
                    order.append(hashed)
                    storage[hashed] = (.string(key), newValue)
                }
            }
        }

        /// `d[key] = value`; fails for keys Python cannot hash.
        mutating func set(_ key: Value, _ value: Value) throws(Failure) {
            guard let hashed = Key(key) else { throw Failure.type("unhashable type: '\(key.typeName)'") }
            if let existing = storage[hashed] {
                storage[hashed] = (existing.key, value)
            } else {
                order.append(hashed)
                storage[hashed] = (key, value)
            }
        }
    }

    /// The object `namespace(...)` returns: the one mutable value, shared by reference so that `{% set ns.x = … %}`
    /// inside a loop is seen after it.
    final class Namespace {
        var attributes: Dict

        init(_ attributes: Dict) { self.attributes = attributes }
    }

    /// A one-shot sequence: the first loop over it (or `list`, `join`, …) takes everything, later ones get nothing.
    final class Generator {
        let typeName: String
        private var items: [Value]
        private var position = 0

        init(_ items: [Value], typeName: String = "generator") {
            self.items = items
            self.typeName = typeName
        }

        func consume() -> [Value] {
            defer { position = items.count }
            return Array(items[position...])
        }

        func next() -> Value? {
            guard position < items.count else { return nil }
            defer { position += 1 }
            return items[position]
        }
    }

    /// The `loop` variable inside a `for` body.
    struct LoopState {
        var index0: Int
        var length: Int
        var previous: Value?
        var next: Value?

        func attribute(_ name: String) -> Value? {
            switch name {
            case "index0": return .int(index0)
            case "index": return .int(index0 + 1)
            case "revindex0": return .int(length - index0 - 1)
            case "revindex": return .int(length - index0)
            case "first": return .bool(index0 == 0)
            case "last": return .bool(index0 == length - 1)
            case "length": return .int(length)
            case "depth": return .int(1)
            case "depth0": return .int(0)
            case "previtem": return previous ?? .undefined(hint: "there is no previous item")
            case "nextitem": return next ?? .undefined(hint: "there is no next item")
            default: return nil
            }
        }
    }
}
