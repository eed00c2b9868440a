import Foundation
import MCP

/// How a tool answers: text for the model to read (what `ferret` would print), plus the same facts as
/// `structuredContent` JSON for clients and scripts that want fields rather than prose.
enum ToolOutput {
    static func result<T: Encodable>(text: String, structured: T) throws -> CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)],
                        structuredContent: Optional<Value>.some(try value(structured)), isError: false)
    }

    static func error(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }

    /// `value` as the SDK's JSON `Value`, encoded the way `ferret … --json` encodes it (sorted keys, `/` unescaped).
    static func value<T: Encodable>(_ value: T) throws -> Value {
        try JSONDecoder().decode(Value.self, from: json(value))
    }

    static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
