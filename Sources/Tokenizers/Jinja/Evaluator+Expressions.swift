extension Jinja.Evaluator {
    typealias Value = Jinja.Value
    typealias Failure = Jinja.Failure
    typealias Expression = Jinja.Expression

    mutating func evaluate(_ expression: Expression) throws(Failure) -> Value {
        switch expression {
        case .literal(let literal):
            return Value(literal)
        case .name(let name):
            return lookup(name)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .dict(let items):
            var dict = Jinja.Dict()
            for item in items {
                let key = try evaluate(item.key)
                try dict.set(key, try evaluate(item.value))
            }
            return .dict(dict)
        case .attribute(let base, let name):
            return try attribute(try evaluate(base), name)
        case .index(let base, let key):
            return try item(try evaluate(base), try evaluate(key))
        case .slice(let base, let start, let stop, let step):
            return try slice(try evaluate(base), start: start, stop: stop, step: step)
        case .call(let callee, let arguments, _):
            return try call(callee, arguments)
        case .filter(let base, let name, let arguments, _):
            let value = try evaluate(base)
            return try applyFilter(name, value, try evaluate(arguments))
        case .test(let base, let name, let arguments, let negated, _):
            let value = try evaluate(base)
            let result = try applyTest(name, value, try evaluate(arguments))
            return .bool(negated ? !result : result)
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            switch op {
            case .not: return .bool(!value.truthy)
            case .minus: return try Value.negate(value)
            case .plus:
                guard try value.requireDefined().number != nil else {
                    throw Failure.type("bad operand type for unary +: '\(value.typeName)'")
                }
                return value
            }
        case .binary(.and, let left, let right):
            let value = try evaluate(left)  // Python returns the deciding operand, not a bool
            return value.truthy ? try evaluate(right) : value
        case .binary(.or, let left, let right):
            let value = try evaluate(left)
            return value.truthy ? value : try evaluate(right)
        case .binary(let op, let left, let right):
            return try Value.binary(op, try evaluate(left), try evaluate(right))
        case .compare(let first, let operations):
            var left = try evaluate(first)
            for (op, rightExpression) in operations {
                let right = try evaluate(rightExpression)
                guard try Value.compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .concat(let parts):
            var text = ""
            for part in parts { text += try evaluate(part).text }
            return .string(text)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition).truthy { return try evaluate(then) }
            guard let otherwise else { return .undefined(hint: "the condition of an inline 'if' without 'else' was false") }
            return try evaluate(otherwise)
        }
    }

    mutating func evaluate(_ arguments: Jinja.Arguments) throws(Failure) -> Jinja.CallArguments {
        var result = Jinja.CallArguments()
        for expression in arguments.positional { result.positional.append(try evaluate(expression)) }
        for (name, expression) in arguments.keyword { result.keyword.append((name, try evaluate(expression))) }
        return result
    }

    // MARK: access

    /// `value.name`: Jinja tries the Python attribute, then the item (so `message.role` reads the dict key).
    func attribute(_ value: Value, _ name: String) throws(Failure) -> Value {
        let value = value.unmarked
        switch value {
        case .undefined: throw Failure.undefined(value)
        case .dict(let dict): return dict[name] ?? .undefined(hint: "'dict object' has no attribute '\(name)'")
        case .namespace(let namespace):
            return namespace.attributes[name] ?? .undefined(hint: "'Namespace' object has no attribute '\(name)'")
        case .loop(let state):
            return state.attribute(name) ?? .undefined(hint: "'loop' has no attribute '\(name)'")
        default: return .undefined(hint: "'\(value.typeName) object' has no attribute '\(name)'")
        }
    }

    /// `value[key]`; anything missing (or not subscriptable) is undefined, as in Jinja.
    func item(_ value: Value, _ key: Value) throws(Failure) -> Value {
        let value = value.unmarked, key = key.unmarked
        switch (value, key) {
        case (.undefined, _): throw Failure.undefined(value)
        case (.list(let items), _) where key.integer != nil:
            let i = key.integer ?? 0
            let index = i < 0 ? i + items.count : i
            guard items.indices.contains(index) else { return .undefined(hint: "list object has no element \(i)") }
            return items[index]
        case (.string(let text), _) where key.integer != nil:
            let scalars = PythonText.scalars(text)
            let i = key.integer ?? 0
            let index = i < 0 ? i + scalars.count : i
            guard scalars.indices.contains(index) else { return .undefined(hint: "str object has no element \(i)") }
            return .string(String(scalars[index]))
        case (.dict(let dict), _) where dict[key] != nil:
            return dict[key] ?? .none
        case (_, .string(let name)):
            return try attribute(value, name)
        default:
            return .undefined(hint: "'\(value.typeName) object' has no element \(key.repr)")
        }
    }

    mutating func slice(_ value: Value, start: Expression?, stop: Expression?, step: Expression?) throws(Failure) -> Value {
        func bound(_ expression: Expression?) throws(Failure) -> Int? {
            guard let expression else { return nil }
            let v = try evaluate(expression)
            if case .none = v { return nil }
            guard let i = v.integer else { throw Failure.type("slice indices must be integers or None") }
            return i
        }
        let from = try bound(start), to = try bound(stop), by = try bound(step) ?? 1
        guard by != 0 else { throw Failure("slice step cannot be zero") }
        switch value.unmarked {
        case .undefined: throw Failure.undefined(value)
        case .list(let items):
            return .list(PythonText.sliceIndices(count: items.count, start: from, stop: to, step: by).map { items[$0] })
        case .string(let text):
            let scalars = PythonText.scalars(text)
            let picked = PythonText.sliceIndices(count: scalars.count, start: from, stop: to, step: by).map { scalars[$0] }
            return .string(PythonText.string(picked))
        default:
            return .undefined(hint: "'\(value.typeName) object' cannot be sliced")
        }
    }

    // MARK: calls

    mutating func call(_ callee: Expression, _ arguments: Jinja.Arguments) throws(Failure) -> Value {
        if case .attribute(let baseExpression, let name) = callee {
            let base = try evaluate(baseExpression)
            let args = try evaluate(arguments)
            if let result = try callMethod(base, name, args) { return result }
            return try callValue(try attribute(base, name), args, name: name)
        }
        let function = try evaluate(callee)
        return try callValue(function, try evaluate(arguments), name: nil)
    }

    mutating func callValue(_ function: Value, _ args: Jinja.CallArguments, name: String?) throws(Failure) -> Value {
        switch function {
        case .undefined: throw Failure.undefined(function)
        case .macro(let definition): return try callMacro(definition, args)
        case .function(let builtin): return try callBuiltin(builtin, args)
        default: throw Failure.type("'\(function.typeName)' object\(name.map { " '\($0)'" } ?? "") is not callable")
        }
    }

    mutating func callMacro(_ macro: Jinja.MacroDefinition, _ args: Jinja.CallArguments) throws(Failure) -> Value {
        guard callDepth < 64 else { throw Failure("macro '\(macro.name)' calls nest deeper than 64 levels") }
        var scope: [String: Value] = [:]
        guard args.positional.count <= macro.parameters.count else {
            throw Failure.type("macro '\(macro.name)' takes \(macro.parameters.count) arguments, \(args.positional.count) given")
        }
        for (i, value) in args.positional.enumerated() { scope[macro.parameters[i].name] = value }
        for (key, value) in args.keyword {
            guard macro.parameters.contains(where: { $0.name == key }) else {
                throw Failure.type("macro '\(macro.name)' has no parameter named '\(key)'")
            }
            scope[key] = value
        }
        var inner = Jinja.Evaluator(variables: scopes[0])
        inner.callDepth = callDepth + 1
        inner.location = location
        inner.scopes.append([:])
        for parameter in macro.parameters where scope[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue {
                scope[parameter.name] = try inner.evaluate(defaultValue)
            } else {
                scope[parameter.name] = .undefined(hint: "parameter '\(parameter.name)' of macro '\(macro.name)' was not passed")
            }
        }
        inner.scopes[1] = scope
        _ = try inner.run(macro.body)
        return .string(inner.output)
    }
}
