/// The namespace of the Jinja subset behind `ChatTemplate`: lexer, parser, syntax tree, values and evaluator.
enum Jinja {}

extension Jinja {
    /// A 1-based position in the template text (columns count Unicode scalars, as Python counts characters).
    struct Location: Sendable, Equatable, CustomStringConvertible {
        var line: Int
        var column: Int

        var description: String { "\(line):\(column)" }
    }

    /// One lexical token. Text between tags arrives already trimmed as `trim_blocks` / `lstrip_blocks` and the
    /// `-` markers ask; comments never become tokens.
    struct Token: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case text(String)
            case variableBegin       // {{
            case variableEnd         // }}
            case blockBegin          // {%
            case blockEnd            // %}
            case name(String)
            case string(String)
            case integer(Int)
            case float(Double)
            case symbol(String)      // operators and punctuation: + - * / // % ** ~ == != < <= > >= = . : | , ( ) [ ] { }
            case end
        }

        var kind: Kind
        var location: Location

        /// How the token reads in an error message.
        var display: String {
            switch kind {
            case .text: return "template text"
            case .variableBegin: return "'{{'"
            case .variableEnd: return "'}}'"
            case .blockBegin: return "'{%'"
            case .blockEnd: return "'%}'"
            case .name(let name): return "'\(name)'"
            case .string: return "a string"
            case .integer(let value): return "'\(value)'"
            case .float(let value): return "'\(value)'"
            case .symbol(let symbol): return "'\(symbol)'"
            case .end: return "the end of the template"
            }
        }
    }
}
