extension Jinja {
    /// Runs a parsed template against a context, with Jinja2's scoping: `if` shares the enclosing scope, every
    /// iteration of a `for` body gets a fresh scope (so `set` inside a loop is not seen by the next iteration or
    /// after the loop — use `namespace()`), and a macro body sees the template's top level plus its parameters.
    struct Evaluator {
        private(set) var output = ""
        /// Innermost last; `scopes[0]` holds the render variables and the template's top-level `set`s.
        var scopes: [[String: Value]]
        /// The statement being run, for error positions.
        var location = Location(line: 1, column: 1)
        /// Macro calls nested deeper than this are reported instead of overflowing the stack.
        var callDepth = 0

        enum Flow { case normal, breakLoop, continueLoop }

        init(variables: [String: Value]) {
            scopes = [variables]
        }

        /// Renders `nodes` and returns the text, converting failures into `ChatTemplateError` with a position.
        static func render(_ nodes: [Node], variables: [String: Value]) throws(ChatTemplateError) -> String {
            var evaluator = Evaluator(variables: variables)
            do {
                _ = try evaluator.run(nodes)
            } catch {
                let at = error.location ?? evaluator.location
                switch error.kind {
                case .render: throw .render(error.message, line: at.line, column: at.column)
                case .raised: throw .raised(error.message, line: at.line, column: at.column)
                }
            }
            return evaluator.output
        }

        // MARK: variables

        func lookup(_ name: String) -> Value {
            for scope in scopes.reversed() {
                if let value = scope[name] { return value }
            }
            if let function = Value.Function(rawValue: name) { return .function(function) }
            return .undefinedName(name)
        }

        mutating func assign(_ name: String, _ value: Value) {
            scopes[scopes.count - 1][name] = value
        }

        mutating func assign(_ target: Target, _ value: Value) throws(Failure) {
            switch target {
            case .name(let name):
                assign(name, value)
            case .attribute(let object, let attribute):
                guard case .namespace(let namespace) = lookup(object) else {
                    throw Failure("cannot assign attribute '\(attribute)' on '\(object)': only a namespace() object "
                        + "can be assigned to with 'set \(object).\(attribute) = …'")
                }
                namespace.attributes[attribute] = value
            case .tuple(let names):
                let items = try iterate(value)
                guard items.count == names.count else {
                    throw Failure("cannot unpack \(items.count) values into \(names.count) names (\(names.joined(separator: ", ")))")
                }
                for (name, item) in zip(names, items) { assign(name, item) }
            }
        }

        // MARK: statements

        mutating func run(_ nodes: [Node]) throws(Failure) -> Flow {
            for node in nodes {
                let flow = try run(node)
                if flow != .normal { return flow }
            }
            return .normal
        }

        private mutating func located<T>(_ at: Location, _ body: (inout Evaluator) throws(Failure) -> T) throws(Failure) -> T {
            location = at
            do {
                return try body(&self)
            } catch {
                var failure = error
                if failure.location == nil { failure.location = at }
                throw failure
            }
        }

        mutating func run(_ node: Node) throws(Failure) -> Flow {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression, let at):
                let text = try located(at) { (e: inout Evaluator) throws(Failure) in try e.evaluate(expression).text }
                output += text
            case .ifChain(let branches, let otherwise, let at):
                for branch in branches {
                    let taken = try located(at) { (e: inout Evaluator) throws(Failure) in
                        try e.evaluate(branch.condition).truthy
                    }
                    if taken { return try run(branch.body) }
                }
                return try run(otherwise)
            case .forLoop(let loop, let at):
                return try runFor(loop, at: at)
            case .set(let target, let expression, let at):
                try located(at) { (e: inout Evaluator) throws(Failure) in
                    try e.assign(target, try e.evaluate(expression))
                }
            case .setBlock(let target, let body, let at):
                let text = try capture(body)
                try located(at) { (e: inout Evaluator) throws(Failure) in try e.assign(target, .string(text)) }
            case .macro(let definition, _):
                assign(definition.name, .macro(definition))
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .filterBlock(let body, let filters, let at):
                var value = Value.string(try capture(body))
                for filter in filters {
                    value = try located(filter.location) { (e: inout Evaluator) throws(Failure) in
                        try e.applyFilter(filter.name, value, try e.evaluate(filter.arguments))
                    }
                }
                location = at
                output += value.text
            case .generation(let body):
                return try run(body)
            }
            return .normal
        }

        /// Runs `nodes` into a separate buffer and returns what they printed.
        mutating func capture(_ nodes: [Node]) throws(Failure) -> String {
            let saved = output
            output = ""
            defer { output = saved }
            _ = try run(nodes)
            return output
        }

        private mutating func runFor(_ loop: ForLoop, at: Location) throws(Failure) -> Flow {
            var items = try located(at) { (e: inout Evaluator) throws(Failure) in try e.iterate(try e.evaluate(loop.iterable)) }
            if let filter = loop.filter {
                var kept: [Value] = []
                for item in items {
                    scopes.append([:])
                    defer { scopes.removeLast() }
                    let keep = try located(at) { (e: inout Evaluator) throws(Failure) in
                        try e.assign(loop.target, item)
                        return try e.evaluate(filter).truthy
                    }
                    if keep { kept.append(item) }
                }
                items = kept
            }
            guard !items.isEmpty else { return try run(loop.otherwise) }
            for (index, item) in items.enumerated() {
                scopes.append([:])
                defer { scopes.removeLast() }
                let state = LoopState(index0: index, length: items.count,
                                      previous: index > 0 ? items[index - 1] : nil,
                                      next: index + 1 < items.count ? items[index + 1] : nil)
                try located(at) { (e: inout Evaluator) throws(Failure) in
                    e.assign("loop", .loop(state))
                    try e.assign(loop.target, item)
                }
                if try run(loop.body) == .breakLoop { break }
            }
            return .normal
        }

        /// Python iteration: lists, dict keys, string characters; an undefined value iterates as empty.
        func iterate(_ value: Value) throws(Failure) -> [Value] {
            switch value.unmarked {
            case .iterator(let generator): return generator.consume()
            case .undefined: return []
            case .list(let items): return items
            case .dict(let dict): return dict.keys
            case .string(let text): return text.unicodeScalars.map { .string(String($0)) }
            default: throw Failure.type("'\(value.typeName)' object is not iterable")
            }
        }
    }
}
