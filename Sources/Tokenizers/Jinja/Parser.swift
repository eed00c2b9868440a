extension Jinja {
    /// Builds the statement tree from tokens, following Jinja2's parser (`jinja2/parser.py`) for the supported tags:
    /// `if/elif/else`, `for … in … [if …]` with `else`, `set` (plain, tuple, `ns.attr`, block form), `macro`,
    /// `break`/`continue` (the loopcontrols extension HF enables), `raw` (in the lexer) and HF's `generation`.
    struct Parser {
        var tokens: [Token]
        var index = 0
        /// How many `for` bodies enclose the current position (outside a macro): `break`/`continue` need one.
        var loopDepth = 0
        /// Open brackets, operators and blocks around the current position: a template nested deeper than
        /// `maximumNesting` is rejected instead of exhausting the stack.
        var nesting = 0
        static let maximumNesting = 200

        mutating func enter() throws(ChatTemplateError) {
            nesting += 1
            if nesting > Self.maximumNesting {
                throw fail("the template nests deeper than \(Self.maximumNesting) levels")
            }
        }

        static func parse(_ source: String) throws(ChatTemplateError) -> [Node] {
            var parser = Parser(tokens: try Lexer.tokenize(source))
            let (nodes, stop) = try parser.parseNodes(until: [])
            if let stop { throw parser.unexpectedEndTag(stop) }
            return nodes
        }

        // MARK: token helpers

        var current: Token { tokens[index] }

        func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

        mutating func advance() -> Token {
            let token = tokens[index]
            if index < tokens.count - 1 { index += 1 }
            return token
        }

        func fail(_ message: String, at token: Token? = nil) -> ChatTemplateError {
            let location = (token ?? current).location
            return .syntax(message, line: location.line, column: location.column)
        }

        func fail(_ message: String, at location: Location) -> ChatTemplateError {
            .syntax(message, line: location.line, column: location.column)
        }

        func isName(_ name: String, _ token: Token? = nil) -> Bool {
            if case .name(name) = (token ?? current).kind { return true }
            return false
        }

        func isSymbol(_ symbol: String, _ token: Token? = nil) -> Bool {
            if case .symbol(symbol) = (token ?? current).kind { return true }
            return false
        }

        mutating func skipName(_ name: String) -> Bool {
            guard isName(name) else { return false }
            _ = advance()
            return true
        }

        mutating func skipSymbol(_ symbol: String) -> Bool {
            guard isSymbol(symbol) else { return false }
            _ = advance()
            return true
        }

        mutating func expectSymbol(_ symbol: String, _ context: String) throws(ChatTemplateError) {
            guard skipSymbol(symbol) else { throw fail("expected '\(symbol)' \(context), found \(current.display)") }
        }

        mutating func expectName() throws(ChatTemplateError) -> String {
            guard case .name(let name) = current.kind else { throw fail("expected a name, found \(current.display)") }
            _ = advance()
            return name
        }

        mutating func expectBlockEnd(_ tag: String) throws(ChatTemplateError) {
            guard case .blockEnd = current.kind else {
                throw fail("expected '%}' to end the '\(tag)' tag, found \(current.display)")
            }
            _ = advance()
        }

        /// Consumes `{% name %}` for a closing tag the caller already saw (the parser stopped on its name).
        mutating func expectEndTag(_ name: String) throws(ChatTemplateError) {
            guard skipName(name) else { throw fail("expected '\(name)', found \(current.display)") }
            try expectBlockEnd(name)
        }

        func unexpectedEndTag(_ name: String, at token: Token? = nil) -> ChatTemplateError {
            let opener = ["endif": "if", "elif": "if", "else": "if or for", "endfor": "for", "endset": "set",
                          "endmacro": "macro", "endgeneration": "generation", "endraw": "raw", "endfilter": "filter"][name]
            if let opener { return fail("unexpected '\(name)': there is no open '\(opener)' block here", at: token) }
            return fail("unknown tag '\(name)'", at: token)
        }

        // MARK: statements

        /// Parses nodes until `{%` followed by one of `endTags` (left unconsumed, on the name) or the end.
        mutating func parseNodes(until endTags: Set<String>) throws(ChatTemplateError) -> ([Node], String?) {
            var nodes: [Node] = []
            while true {
                let token = current
                switch token.kind {
                case .end:
                    return (nodes, nil)
                case .text(let text):
                    _ = advance()
                    nodes.append(.text(text))
                case .variableBegin:
                    _ = advance()
                    let expression = try parseTuple()
                    guard case .variableEnd = current.kind else {
                        throw fail("expected '}}' to end the expression, found \(current.display)")
                    }
                    _ = advance()
                    nodes.append(.output(expression, token.location))
                case .blockBegin:
                    _ = advance()
                    guard case .name(let tag) = current.kind else {
                        throw fail("expected a tag name after '{%', found \(current.display)")
                    }
                    if endTags.contains(tag) { return (nodes, tag) }
                    nodes.append(try parseStatement(tag, at: token.location))
                default:
                    throw fail("unexpected \(token.display)")
                }
            }
        }

        mutating func parseStatement(_ tag: String, at location: Location) throws(ChatTemplateError) -> Node {
            try enter()
            defer { nesting -= 1 }
            let tagToken = advance()
            switch tag {
            case "if": return try parseIf(at: location)
            case "for": return try parseFor(at: location)
            case "set": return try parseSet(at: location)
            case "macro": return try parseMacro(at: location)
            case "generation":
                try expectBlockEnd(tag)
                let (body, stop) = try parseNodes(until: ["endgeneration"])
                guard stop != nil else { throw fail("missing '{% endgeneration %}' for this block", at: location) }
                try expectEndTag("endgeneration")
                return .generation(body)
            case "filter":
                var filters: [(name: String, arguments: Arguments, location: Location)] = []
                repeat {
                    let (name, arguments, at) = try parseFilterCall()
                    filters.append((name, arguments, at))
                } while skipSymbol("|")
                try expectBlockEnd(tag)
                let (body, stop) = try parseNodes(until: ["endfilter"])
                guard stop != nil else { throw fail("missing '{% endfilter %}' for this block", at: location) }
                try expectEndTag("endfilter")
                return .filterBlock(body: body, filters: filters, location)
            case "break", "continue":
                guard loopDepth > 0 else { throw fail("'\(tag)' outside of a for loop", at: tagToken) }
                try expectBlockEnd(tag)
                return tag == "break" ? .breakLoop(location) : .continueLoop(location)
            case "include", "import", "from", "extends", "block", "call", "with", "autoescape", "do":
                throw fail("the '\(tag)' tag is not supported by this chat template renderer", at: tagToken)
            default:
                throw unexpectedEndTag(tag, at: tagToken)
            }
        }

        mutating func parseIf(at location: Location) throws(ChatTemplateError) -> Node {
            var branches: [(condition: Expression, body: [Node])] = []
            var otherwise: [Node] = []
            while true {
                let condition = try parseTuple(withConditional: false)
                try expectBlockEnd("if")
                let (body, stop) = try parseNodes(until: ["elif", "else", "endif"])
                branches.append((condition, body))
                guard let stop else { throw fail("missing '{% endif %}' for this 'if'", at: location) }
                _ = advance()
                if stop == "elif" { continue }
                if stop == "else" {
                    try expectBlockEnd("else")
                    let (elseBody, end) = try parseNodes(until: ["endif"])
                    guard end != nil else { throw fail("missing '{% endif %}' for this 'if'", at: location) }
                    otherwise = elseBody
                    try expectEndTag("endif")
                } else {
                    try expectBlockEnd("endif")
                }
                return .ifChain(branches, otherwise: otherwise, location)
            }
        }

        mutating func parseFor(at location: Location) throws(ChatTemplateError) -> Node {
            let target = try parseTarget(allowAttribute: false)
            guard skipName("in") else { throw fail("expected 'in' in the for loop, found \(current.display)") }
            let iterable = try parseTuple(withConditional: false)
            var filter: Expression?
            if skipName("if") { filter = try parseExpression() }
            if isName("recursive") { throw fail("recursive for loops are not supported") }
            try expectBlockEnd("for")
            loopDepth += 1
            let (body, stop) = try parseNodes(until: ["endfor", "else"])
            loopDepth -= 1
            guard let stop else { throw fail("missing '{% endfor %}' for this 'for'", at: location) }
            var otherwise: [Node] = []
            if stop == "else" {
                _ = advance()
                try expectBlockEnd("else")
                let (elseBody, end) = try parseNodes(until: ["endfor"])
                guard end != nil else { throw fail("missing '{% endfor %}' for this 'for'", at: location) }
                otherwise = elseBody
            }
            try expectEndTag("endfor")
            return .forLoop(ForLoop(target: target, iterable: iterable, filter: filter, body: body,
                                    otherwise: otherwise), location)
        }

        mutating func parseSet(at location: Location) throws(ChatTemplateError) -> Node {
            let target = try parseTarget(allowAttribute: true)
            if skipSymbol("=") {
                let value = try parseTuple()
                try expectBlockEnd("set")
                return .set(target, value, location)
            }
            try expectBlockEnd("set")
            let (body, stop) = try parseNodes(until: ["endset"])
            guard stop != nil else { throw fail("missing '{% endset %}' for this 'set'", at: location) }
            try expectEndTag("endset")
            return .setBlock(target, body: body, location)
        }

        mutating func parseTarget(allowAttribute: Bool) throws(ChatTemplateError) -> Target {
            let parenthesized = skipSymbol("(")
            let first = try expectName()
            if allowAttribute, !parenthesized, skipSymbol(".") {
                return .attribute(first, try expectName())
            }
            var names = [first]
            var sawComma = false
            while skipSymbol(",") {
                sawComma = true
                guard case .name = current.kind, !isName("in") else { break }
                names.append(try expectName())
            }
            if parenthesized { try expectSymbol(")", "to close the assignment target") }
            return names.count == 1 && !sawComma ? .name(first) : .tuple(names)
        }

        mutating func parseMacro(at location: Location) throws(ChatTemplateError) -> Node {
            let name = try expectName()
            try expectSymbol("(", "after the macro name")
            var parameters: [(name: String, defaultValue: Expression?)] = []
            while !isSymbol(")") {
                if !parameters.isEmpty { try expectSymbol(",", "between macro parameters") }
                if isSymbol(")") { break }
                let parameter = try expectName()
                let defaultValue = skipSymbol("=") ? try parseExpression() : nil
                if defaultValue == nil, parameters.last?.defaultValue != nil {
                    throw fail("parameter '\(parameter)' without a default follows one with a default")
                }
                parameters.append((parameter, defaultValue))
            }
            _ = advance()
            try expectBlockEnd("macro")
            let savedDepth = loopDepth
            loopDepth = 0
            let (body, stop) = try parseNodes(until: ["endmacro"])
            loopDepth = savedDepth
            guard stop != nil else { throw fail("missing '{% endmacro %}' for this macro", at: location) }
            try expectEndTag("endmacro")
            return .macro(MacroDefinition(name: name, parameters: parameters, body: body), location)
        }
    }
}
