extension Jinja.Parser {
    typealias Expression = Jinja.Expression

    /// `a, b` (a list) or a single expression; `withConditional: false` leaves a trailing `if` to the statement
    /// (`{% for x in xs if … %}`).
    mutating func parseTuple(withConditional: Bool = true) throws(ChatTemplateError) -> Expression {
        let first = withConditional ? try parseExpression() : try parseOr()
        guard isSymbol(",") else { return first }
        var items = [first]
        while skipSymbol(",") {
            if case .blockEnd = current.kind { break }
            if case .variableEnd = current.kind { break }
            if isName("in") || isName("if") || isSymbol(")") || isSymbol("=") { break }
            items.append(withConditional ? try parseExpression() : try parseOr())
        }
        return .list(items)
    }

    /// An expression including `a if c else b` (Jinja's `parse_condexpr`).
    mutating func parseExpression() throws(ChatTemplateError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        var expression = try parseOr()
        while skipName("if") {
            let condition = try parseOr()
            let otherwise = skipName("else") ? try parseExpression() : nil
            expression = .conditional(condition: condition, then: expression, otherwise: otherwise)
        }
        return expression
    }

    mutating func parseOr() throws(ChatTemplateError) -> Expression {
        var left = try parseAnd()
        while skipName("or") { left = .binary(.or, left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(ChatTemplateError) -> Expression {
        var left = try parseNot()
        while skipName("and") { left = .binary(.and, left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws(ChatTemplateError) -> Expression {
        if skipName("not") {
            try enter()
            defer { nesting -= 1 }
            return .unary(.not, try parseNot())
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(ChatTemplateError) -> Expression {
        let left = try parseAdditive()
        var operations: [(Jinja.CompareOperator, Expression)] = []
        while true {
            if case .symbol(let symbol) = current.kind, let op = Jinja.CompareOperator(rawValue: symbol) {
                _ = advance()
                operations.append((op, try parseAdditive()))
            } else if skipName("in") {
                operations.append((.in, try parseAdditive()))
            } else if isName("not"), isName("in", peek()) {
                _ = advance()
                _ = advance()
                operations.append((.notIn, try parseAdditive()))
            } else {
                break
            }
        }
        return operations.isEmpty ? left : .compare(left, operations)
    }

    /// `+` and `-` (Jinja's `parse_math1`).
    mutating func parseAdditive() throws(ChatTemplateError) -> Expression {
        var left = try parseConcat()
        while true {
            if skipSymbol("+") {
                left = .binary(.add, left, try parseConcat())
            } else if skipSymbol("-") {
                left = .binary(.subtract, left, try parseConcat())
            } else {
                return left
            }
        }
    }

    mutating func parseConcat() throws(ChatTemplateError) -> Expression {
        let first = try parseMultiplicative()
        guard isSymbol("~") else { return first }
        var parts = [first]
        while skipSymbol("~") { parts.append(try parseMultiplicative()) }
        return .concat(parts)
    }

    /// `*`, `/`, `//`, `%` (Jinja's `parse_math2`).
    mutating func parseMultiplicative() throws(ChatTemplateError) -> Expression {
        var left = try parsePower()
        while case .symbol(let symbol) = current.kind,
              let op = [("*", Jinja.BinaryOperator.multiply), ("/", .divide), ("//", .floorDivide), ("%", .modulo)]
                .first(where: { $0.0 == symbol })?.1 {
            _ = advance()
            left = .binary(op, left, try parsePower())
        }
        return left
    }

    mutating func parsePower() throws(ChatTemplateError) -> Expression {
        var left = try parseUnary()
        while skipSymbol("**") { left = .binary(.power, left, try parseUnary()) }
        return left
    }

    /// Unary `-`/`+`, then a primary with its postfix operations; filters and tests bind tighter than any binary
    /// operator (`a + b | trim` is `a + (b | trim)`), but not to the operand of a unary minus.
    mutating func parseUnary(withFilters: Bool = true) throws(ChatTemplateError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        var expression: Expression
        if skipSymbol("-") {
            expression = .unary(.minus, try parseUnary(withFilters: false))
        } else if skipSymbol("+") {
            expression = .unary(.plus, try parseUnary(withFilters: false))
        } else {
            expression = try parsePrimary()
        }
        expression = try parsePostfix(expression)
        if withFilters { expression = try parseFiltersAndTests(expression) }
        return expression
    }

    mutating func parsePrimary() throws(ChatTemplateError) -> Expression {
        let token = current
        switch token.kind {
        case .name(let name):
            _ = advance()
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(name)
            }
        case .string(var text):
            _ = advance()
            while case .string(let more) = current.kind {  // adjacent literals concatenate, as in Python
                text += more
                _ = advance()
            }
            return .literal(.string(text))
        case .integer(let value):
            _ = advance()
            return .literal(.int(value))
        case .float(let value):
            _ = advance()
            return .literal(.float(value))
        case .symbol("("):
            _ = advance()
            if skipSymbol(")") { return .list([]) }
            let first = try parseExpression()
            if skipSymbol(")") { return first }
            var items = [first]
            while skipSymbol(",") {
                if isSymbol(")") { break }
                items.append(try parseExpression())
            }
            try expectSymbol(")", "to close the parenthesis")
            return .list(items)
        case .symbol("["):
            _ = advance()
            var items: [Expression] = []
            while !isSymbol("]") {
                if !items.isEmpty { try expectSymbol(",", "between list items") }
                if isSymbol("]") { break }
                items.append(try parseExpression())
            }
            _ = advance()
            return .list(items)
        case .symbol("{"):
            _ = advance()
            var items: [(key: Expression, value: Expression)] = []
            while !isSymbol("}") {
                if !items.isEmpty { try expectSymbol(",", "between dictionary items") }
                if isSymbol("}") { break }
                let key = try parseExpression()
                try expectSymbol(":", "after a dictionary key")
                items.append((key, try parseExpression()))
            }
            _ = advance()
            return .dict(items)
        default:
            throw fail("unexpected \(token.display) where a value was expected")
        }
    }

    mutating func parsePostfix(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var expression = base
        while true {
            if skipSymbol(".") {
                switch current.kind {
                case .name(let name):
                    _ = advance()
                    expression = .attribute(expression, name)
                case .integer(let index):
                    _ = advance()
                    expression = .index(expression, .literal(.int(index)))
                default:
                    throw fail("expected an attribute name after '.', found \(current.display)")
                }
            } else if skipSymbol("[") {
                expression = try parseSubscript(expression)
            } else if isSymbol("(") {
                let location = current.location
                expression = .call(expression, try parseCallArguments(), location)
            } else {
                return expression
            }
        }
    }

    /// After `[`: an index or a `start:stop:step` slice.
    mutating func parseSubscript(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var start: Expression?
        if !isSymbol(":") {
            start = try parseExpression()
            if skipSymbol("]") { return .index(base, start ?? .literal(.none)) }
        }
        try expectSymbol(":", "in the subscript")
        let stop = isSymbol("]") || isSymbol(":") ? nil : try parseExpression()
        var step: Expression?
        if skipSymbol(":"), !isSymbol("]") { step = try parseExpression() }
        try expectSymbol("]", "to close the subscript")
        return .slice(base, start: start, stop: stop, step: step)
    }

    mutating func parseCallArguments() throws(ChatTemplateError) -> Jinja.Arguments {
        try expectSymbol("(", "to start the arguments")
        var arguments = Jinja.Arguments()
        while !isSymbol(")") {
            if !arguments.positional.isEmpty || !arguments.keyword.isEmpty {
                try expectSymbol(",", "between arguments")
                if isSymbol(")") { break }
            }
            if isSymbol("*") || isSymbol("**") { throw fail("*args and **kwargs in calls are not supported") }
            if case .name(let name) = current.kind, isSymbol("=", peek()) {
                _ = advance()
                _ = advance()
                arguments.keyword.append((name, try parseExpression()))
            } else {
                guard arguments.keyword.isEmpty else { throw fail("positional argument after a keyword argument") }
                arguments.positional.append(try parseExpression())
            }
        }
        _ = advance()
        return arguments
    }

    mutating func parseFiltersAndTests(_ base: Expression) throws(ChatTemplateError) -> Expression {
        var expression = base
        while true {
            if skipSymbol("|") {
                let (name, arguments, location) = try parseFilterCall()
                expression = .filter(expression, name: name, arguments, location)
            } else if isName("is") {
                _ = advance()
                let negated = skipName("not")
                let location = current.location
                var name = try expectName()
                while skipSymbol(".") { name += "." + (try expectName()) }
                guard Jinja.Predicates.names.contains(name) else {
                    throw fail("no test named '\(name)' (supported: \(Jinja.Predicates.names.sorted().joined(separator: ", ")))",
                               at: location)
                }
                var arguments = Jinja.Arguments.none
                if isSymbol("(") {
                    arguments = try parseCallArguments()
                } else if startsBareTestArgument() {
                    arguments.positional = [try parsePostfix(try parsePrimary())]
                }
                expression = .test(expression, name: name, arguments, negated: negated, location)
            } else if isSymbol("(") {
                let location = current.location
                expression = .call(expression, try parseCallArguments(), location)
            } else {
                return expression
            }
        }
    }

    /// `name(args)` after `|` (or after `{% filter`); unknown names fail here, as Jinja fails at compile time.
    mutating func parseFilterCall() throws(ChatTemplateError) -> (String, Jinja.Arguments, Jinja.Location) {
        let location = current.location
        var name = try expectName()
        while skipSymbol(".") { name += "." + (try expectName()) }
        guard Jinja.Filters.names.contains(name) else {
            throw fail("no filter named '\(name)' (supported: \(Jinja.Filters.names.sorted().joined(separator: ", ")))",
                       at: location)
        }
        return (name, isSymbol("(") ? try parseCallArguments() : .none, location)
    }

    /// `x is divisibleby 3`, `x is sameas none`: a test may take one argument without parentheses.
    private func startsBareTestArgument() -> Bool {
        switch current.kind {
        case .name(let name): return !["else", "or", "and"].contains(name)
        case .string, .integer, .float: return true
        case .symbol(let symbol): return symbol == "[" || symbol == "{"
        default: return false
        }
    }
}
