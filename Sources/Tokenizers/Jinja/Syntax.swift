extension Jinja {
    /// A constant written in the template.
    enum Literal: Sendable, Equatable {
        case none
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
    }

    /// Arguments of a call, filter or test: `f(a, b, key=c)`.
    struct Arguments: Sendable {
        var positional: [Expression] = []
        var keyword: [(name: String, value: Expression)] = []

        static let none = Arguments()
    }

    enum UnaryOperator: String, Sendable { case minus = "-", plus = "+", not }

    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
        case and, or
    }

    enum CompareOperator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case `in`, notIn = "not in"
    }

    /// An expression inside `{{ }}` or a tag. Calls, filters and tests keep their position for error messages.
    indirect enum Expression: Sendable {
        case literal(Literal)
        case name(String)
        case list([Expression])
        case dict([(key: Expression, value: Expression)])
        case attribute(Expression, String)
        case index(Expression, Expression)
        case slice(Expression, start: Expression?, stop: Expression?, step: Expression?)
        case call(Expression, Arguments, Location)
        case filter(Expression, name: String, Arguments, Location)
        case test(Expression, name: String, Arguments, negated: Bool, Location)
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression)
        /// `a < b <= c`: Python-style chained comparison.
        case compare(Expression, [(CompareOperator, Expression)])
        /// `a ~ b ~ c`: string concatenation.
        case concat([Expression])
        /// `a if condition else b` (`else` optional: undefined).
        case conditional(condition: Expression, then: Expression, otherwise: Expression?)
    }

    /// The left side of `set` and the variables of `for`.
    enum Target: Sendable {
        case name(String)
        /// `ns.attribute`: assignment into a `namespace()` object.
        case attribute(String, String)
        case tuple([String])
    }

    struct MacroDefinition: Sendable {
        var name: String
        var parameters: [(name: String, defaultValue: Expression?)]
        var body: [Node]
    }

    struct ForLoop: Sendable {
        var target: Target
        var iterable: Expression
        var filter: Expression?
        var body: [Node]
        var otherwise: [Node]
    }

    /// A statement of the template; each carries the position of its tag for runtime errors.
    indirect enum Node: Sendable {
        case text(String)
        case output(Expression, Location)
        case ifChain([(condition: Expression, body: [Node])], otherwise: [Node], Location)
        case forLoop(ForLoop, Location)
        case set(Target, Expression, Location)
        /// `{% set x %}…{% endset %}`
        case setBlock(Target, body: [Node], Location)
        case macro(MacroDefinition, Location)
        case breakLoop(Location)
        case continueLoop(Location)
        /// `{% filter trim | upper %}…{% endfilter %}`: the body's output passed through filters.
        case filterBlock(body: [Node], filters: [(name: String, arguments: Arguments, location: Location)], Location)
        /// Hugging Face's `{% generation %}…{% endgeneration %}` (marks assistant text; renders its body).
        case generation([Node])
    }
}
