extension Jinja {
    /// Splits template text into tokens exactly as Jinja2 3.1's lexer does in the environment Hugging Face builds
    /// for chat templates (`trim_blocks=True, lstrip_blocks=True`, default delimiters, no trailing newline kept):
    /// - line breaks `\r\n` and `\r` become `\n`, and one final newline of the template is dropped;
    /// - `{%-` / `{{-` / `{#-` remove all whitespace before the tag, `-%}` / `-}}` / `-#}` all whitespace after it;
    /// - `%}` and `#}` swallow one directly following `\n` (trim_blocks); `+%}` keeps it;
    /// - spaces and tabs between the start of a line and `{%` or `{#` are removed (lstrip_blocks); `{%+` keeps them.
    struct Lexer {
        let source: [Unicode.Scalar]
        private let lineStarts: [Int]
        var position = 0
        private var tokens: [Token] = []
        /// Jinja's `line_starting`: the previous match ended with a newline (or nothing was read yet).
        private var lineStarting = true

        init(_ text: String) {
            var scalars: [Unicode.Scalar] = []
            scalars.reserveCapacity(text.unicodeScalars.count)
            var previousWasCR = false
            for scalar in text.unicodeScalars {
                if scalar == "\r" {
                    scalars.append("\n")
                    previousWasCR = true
                    continue
                }
                if scalar == "\n", previousWasCR { previousWasCR = false; continue }
                previousWasCR = false
                scalars.append(scalar)
            }
            if scalars.last == "\n" { scalars.removeLast() }  // keep_trailing_newline=False
            source = scalars
            var starts = [0]
            for (i, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(i + 1) }
            lineStarts = starts
        }

        static func tokenize(_ text: String) throws(ChatTemplateError) -> [Token] {
            var lexer = Lexer(text)
            try lexer.run()
            return lexer.tokens
        }

        func location(_ offset: Int) -> Location {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
            }
            return Location(line: low + 1, column: offset - lineStarts[low] + 1)
        }

        func fail(_ message: String, at offset: Int) -> ChatTemplateError {
            let at = location(offset)
            return .syntax(message, line: at.line, column: at.column)
        }

        func starts(with text: String, at offset: Int) -> Bool {
            var i = offset
            for scalar in text.unicodeScalars {
                guard i < source.count, source[i] == scalar else { return false }
                i += 1
            }
            return true
        }

        // MARK: template text

        private enum TagKind { case variable, block, comment }

        private mutating func run() throws(ChatTemplateError) {
            while position < source.count {
                guard let (tagStart, kind) = nextTag(from: position) else {
                    emitText(position..<source.count)
                    lineStarting = source.last == "\n"
                    position = source.count
                    break
                }
                var sign: Unicode.Scalar?
                var afterTag = tagStart + 2
                if afterTag < source.count, source[afterTag] == "-" || source[afterTag] == "+" {
                    sign = source[afterTag]
                    afterTag += 1
                }
                var textEnd = tagStart
                if sign == "-" {
                    while textEnd > position, PythonText.isSpace(source[textEnd - 1]) { textEnd -= 1 }
                } else if sign != "+", kind != .variable {
                    let lineStart = (source[position..<tagStart].lastIndex(of: "\n")).map { $0 + 1 } ?? position
                    if (lineStart > position || lineStarting), lineStart < tagStart,
                       source[lineStart..<tagStart].allSatisfy(PythonText.isSpace) {
                        textEnd = lineStart
                    }
                }
                emitText(position..<textEnd)
                lineStarting = false
                position = afterTag
                switch kind {
                case .comment:
                    try skipComment(openedAt: tagStart)
                case .block:
                    if try rawBlock(openedAt: tagStart) { continue }
                    tokens.append(Token(kind: .blockBegin, location: location(tagStart)))
                    try lexTag(closing: "%}", openedAt: tagStart)
                case .variable:
                    tokens.append(Token(kind: .variableBegin, location: location(tagStart)))
                    try lexTag(closing: "}}", openedAt: tagStart)
                }
            }
            tokens.append(Token(kind: .end, location: location(source.count)))
        }

        private func nextTag(from offset: Int) -> (Int, TagKind)? {
            var i = offset
            while i + 1 < source.count {
                if source[i] == "{" {
                    switch source[i + 1] {
                    case "{": return (i, .variable)
                    case "%": return (i, .block)
                    case "#": return (i, .comment)
                    default: break
                    }
                }
                i += 1
            }
            return nil
        }

        private mutating func emitText(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            tokens.append(Token(kind: .text(PythonText.string(source[range])), location: location(range.lowerBound)))
        }

        /// After `{#`: everything up to the first `#}` (with its own `-`/`+` marker) is dropped.
        private mutating func skipComment(openedAt start: Int) throws(ChatTemplateError) {
            var i = position
            while i < source.count {
                if starts(with: "+#}", at: i) { position = i + 3; lineStarting = false; return }
                if starts(with: "-#}", at: i) {
                    position = i + 3
                    lineStarting = false
                    while position < source.count, PythonText.isSpace(source[position]) {
                        lineStarting = source[position] == "\n"
                        position += 1
                    }
                    return
                }
                if starts(with: "#}", at: i) {
                    position = i + 2
                    lineStarting = false
                    if position < source.count, source[position] == "\n" { position += 1; lineStarting = true }
                    return
                }
                i += 1
            }
            throw fail("missing end of comment tag '#}' for the comment opened here", at: start)
        }

        /// `{% raw %}…{% endraw %}`: the body is emitted as text without interpretation.
        private mutating func rawBlock(openedAt start: Int) throws(ChatTemplateError) -> Bool {
            var i = position
            while i < source.count, PythonText.isSpace(source[i]) { i += 1 }
            guard starts(with: "raw", at: i) else { return false }
            i += 3
            while i < source.count, PythonText.isSpace(source[i]) { i += 1 }
            if starts(with: "-%}", at: i) {
                i += 3
                while i < source.count, PythonText.isSpace(source[i]) { i += 1 }
            } else if starts(with: "%}", at: i) {
                i += 2
            } else {
                return false
            }
            let bodyStart = i
            while i < source.count {
                if starts(with: "{%", at: i) {
                    var j = i + 2
                    var sign: Unicode.Scalar?
                    if j < source.count, source[j] == "-" || source[j] == "+" { sign = source[j]; j += 1 }
                    while j < source.count, PythonText.isSpace(source[j]) { j += 1 }
                    if starts(with: "endraw", at: j) {
                        j += 6
                        while j < source.count, PythonText.isSpace(source[j]) { j += 1 }
                        var end: Int?
                        if starts(with: "+%}", at: j) {
                            end = j + 3
                        } else if starts(with: "-%}", at: j) {
                            var k = j + 3
                            while k < source.count, PythonText.isSpace(source[k]) { k += 1 }
                            end = k
                        } else if starts(with: "%}", at: j) {
                            end = j + 2 + (j + 2 < source.count && source[j + 2] == "\n" ? 1 : 0)
                        }
                        if let end {
                            var bodyEnd = i
                            if sign == "-" {
                                while bodyEnd > bodyStart, PythonText.isSpace(source[bodyEnd - 1]) { bodyEnd -= 1 }
                            } else if sign != "+" {
                                let lineStart = source[bodyStart..<i].lastIndex(of: "\n").map { $0 + 1 } ?? bodyStart
                                if lineStart > bodyStart, lineStart < i, source[lineStart..<i].allSatisfy(PythonText.isSpace) {
                                    bodyEnd = lineStart
                                }
                            }
                            emitText(bodyStart..<bodyEnd)
                            position = end
                            lineStarting = source[end - 1] == "\n"
                            return true
                        }
                    }
                }
                i += 1
            }
            throw fail("missing '{% endraw %}' for the raw block opened here", at: start)
        }

        // MARK: inside {{ }} and {% %}

        private mutating func lexTag(closing: String, openedAt start: Int) throws(ChatTemplateError) {
            var brackets: [(closer: Unicode.Scalar, offset: Int)] = []
            while true {
                guard position < source.count else {
                    if let open = brackets.last {
                        throw fail("'\(open.closer)' expected to close the bracket opened here", at: open.offset)
                    }
                    throw fail("missing '\(closing)' for the tag opened here", at: start)
                }
                if brackets.isEmpty, try closeTag(closing) { return }
                let scalar = source[position]
                if PythonText.isSpace(scalar) {
                    lineStarting = scalar == "\n"
                    position += 1
                    continue
                }
                lineStarting = false
                let tokenStart = position
                if scalar.properties.numericType == .decimal, scalar.isASCII {
                    tokens.append(Token(kind: number(), location: location(tokenStart)))
                } else if scalar == "_" || scalar.properties.isAlphabetic {
                    while position < source.count,
                          source[position] == "_" || source[position].properties.isAlphabetic
                          || source[position].properties.numericType == .decimal {
                        position += 1
                    }
                    tokens.append(Token(kind: .name(PythonText.string(source[tokenStart..<position])),
                                        location: location(tokenStart)))
                } else if scalar == "'" || scalar == "\"" {
                    tokens.append(Token(kind: .string(try string(quote: scalar)), location: location(tokenStart)))
                } else {
                    let symbol = try self.symbol()
                    switch symbol {
                    case "(": brackets.append((")", tokenStart))
                    case "[": brackets.append(("]", tokenStart))
                    case "{": brackets.append(("}", tokenStart))
                    case ")", "]", "}":
                        guard let open = brackets.popLast() else { throw fail("unexpected '\(symbol)'", at: tokenStart) }
                        guard String(open.closer) == symbol else {
                            throw fail("unexpected '\(symbol)', expected '\(open.closer)'", at: tokenStart)
                        }
                    default: break
                    }
                    tokens.append(Token(kind: .symbol(symbol), location: location(tokenStart)))
                }
            }
        }

        /// Consumes `%}` / `}}` with its whitespace control, if it is next.
        private mutating func closeTag(_ closing: String) throws(ChatTemplateError) -> Bool {
            let isBlock = closing == "%}"
            let kind: Token.Kind = isBlock ? .blockEnd : .variableEnd
            let at = location(position)
            if isBlock, starts(with: "+%}", at: position) {
                position += 3
            } else if starts(with: "-" + closing, at: position) {
                position += 3
                while position < source.count, PythonText.isSpace(source[position]) {
                    lineStarting = source[position] == "\n"
                    position += 1
                }
                tokens.append(Token(kind: kind, location: at))
                return true
            } else if starts(with: closing, at: position) {
                position += 2
                if isBlock, position < source.count, source[position] == "\n" {  // trim_blocks
                    position += 1
                    lineStarting = true
                    tokens.append(Token(kind: kind, location: at))
                    return true
                }
            } else {
                return false
            }
            lineStarting = false
            tokens.append(Token(kind: kind, location: at))
            return true
        }
    }
}
