/// What a tool call can get wrong. Each answers the client a tool result with `isError: true` and this description,
/// which an agent reads to correct its call: it names the argument or path and says what would work.
enum ToolError: Error, CustomStringConvertible, Equatable {
    case unknownTool(String)
    case missingArgument(tool: String, name: String)
    case unknownArgument(tool: String, name: String, expected: [String])
    case wrongType(name: String, expected: String)
    case outOfRange(name: String, range: ClosedRange<Int>)
    case invalid(name: String, detail: String)
    case notIndexed(path: String)
    case needsEncoder(mode: String)
    /// A failure below the tools (the index, the encoder, the generator), as its own error describes it.
    case failed(String)

    var description: String {
        switch self {
        case .unknownTool(let name):
            "unknown tool '\(name)'; the tools are " + FerretTool.allCases.map(\.rawValue).joined(separator: ", ")
        case .missingArgument(let tool, let name):
            "\(tool) needs the argument `\(name)`"
        case .unknownArgument(let tool, let name, let expected):
            "\(tool) has no argument `\(name)`; it takes " + (expected.isEmpty ? "none" : expected.joined(separator: ", "))
        case .wrongType(let name, let expected):
            "`\(name)` must be \(expected)"
        case .outOfRange(let name, let range):
            "`\(name)` must be between \(range.lowerBound) and \(range.upperBound)"
        case .invalid(let name, let detail):
            "`\(name)`: \(detail)"
        case .notIndexed(let path):
            "\(path) is not an indexed document; only files in the index can be read (use a path exactly as "
                + "search returned it)"
        case .needsEncoder(let mode):
            "\(mode) search needs the ColBERT encoder the index was built with, which this server did not load: "
                + "start `ferret mcp --model DIR`, or use mode lexical"
        case .failed(let detail):
            detail
        }
    }
}
