import Foundation
import MCP

/// A tool call's `arguments`, read by name with the checks the input schema promises. Clients do not all validate
/// against the schema, so every rule is enforced here too, and an unknown name is refused rather than ignored (a
/// misspelt `k` should not silently give ten results).
struct ToolArguments {
    let tool: String
    private let values: [String: Value]

    init(tool: String, values: [String: Value]?, allowed: [String]) throws {
        self.tool = tool
        self.values = (values ?? [:]).filter { $0.value != .null }
        if let unknown = self.values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ToolError.unknownArgument(tool: tool, name: unknown, expected: allowed)
        }
    }

    /// A string with some non-blank text, trimmed.
    func text(_ name: String) throws -> String {
        guard let text = try optionalText(name) else { throw ToolError.missingArgument(tool: tool, name: name) }
        return text
    }

    func optionalText(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard let string = value.stringValue else { throw ToolError.wrongType(name: name, expected: "a string") }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ToolError.invalid(name: name, detail: "must not be empty") }
        return trimmed
    }

    /// An integer in `range`. A whole number sent as a double (`10.0`, as some JSON encoders write) is accepted.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[name] else { return nil }
        let number: Int
        switch value {
        case .int(let int): number = int
        case .double(let double) where double.rounded() == double && abs(double) < 1e15: number = Int(double)
        default: throw ToolError.wrongType(name: name, expected: "an integer")
        }
        guard range.contains(number) else { throw ToolError.outOfRange(name: name, range: range) }
        return number
    }
}

/// `search`'s arguments, checked.
struct SearchArguments {
    static let kRange = 1...100
    static let defaultK = 10
    static let names = ["query", "k", "mode", "path"]

    let query: String
    let k: Int
    /// nil: hybrid when the server has an encoder, else lexical.
    let mode: String?
    let path: String?

    init(_ arguments: ToolArguments) throws {
        query = try arguments.text("query")
        k = try arguments.integer("k", in: Self.kRange) ?? Self.defaultK
        mode = try arguments.optionalText("mode")
        path = try arguments.optionalText("path")
    }
}

/// `ask`'s arguments, checked.
struct AskArguments {
    static let kRange = 1...50
    /// As `ferret ask -k`.
    static let defaultK = 5
    static let names = ["question", "k"]

    let question: String
    let k: Int

    init(_ arguments: ToolArguments) throws {
        question = try arguments.text("question")
        k = try arguments.integer("k", in: Self.kRange) ?? Self.defaultK
    }
}

/// `get_document`'s arguments, checked.
struct DocumentArguments {
    static let names = ["path", "start_line", "end_line"]

    let path: String
    let startLine: Int?
    let endLine: Int?

    init(_ arguments: ToolArguments) throws {
        path = try arguments.text("path")
        startLine = try arguments.integer("start_line", in: 1...Int(Int32.max))
        endLine = try arguments.integer("end_line", in: 1...Int(Int32.max))
        if let startLine, let endLine, endLine < startLine {
            throw ToolError.invalid(name: "end_line", detail: "must not be before start_line (\(startLine))")
        }
    }
}
