import MCP

/// The tools `ferret mcp` offers. An agent chooses among them by their descriptions alone, so each says what it
/// returns, what it needs and how its results point back into the files (`path:lines`, `path#page=N`).
enum FerretTool: String, CaseIterable, Sendable {
    case search
    case ask
    case getDocument = "get_document"
    case status

    var definition: Tool {
        Tool(name: rawValue, title: title, description: summary, inputSchema: inputSchema,
             annotations: .init(title: title, readOnlyHint: true, destructiveHint: false, idempotentHint: true,
                                openWorldHint: false))
    }

    private var title: String {
        switch self {
        case .search: "Search indexed files"
        case .ask: "Answer from indexed files"
        case .getDocument: "Read an indexed document"
        case .status: "Index status"
        }
    }

    private var summary: String {
        switch self {
        case .search:
            "Search the user's indexed files (notes, documents, code) with Ferret's local index. Returns the best "
                + "passages, each with its citation (`path:start-end` for text files, `path#page=N` for PDFs and "
                + "other containers), its score and its full text. Use it to find where something is written; "
                + "follow up with get_document to read around a hit."
        case .ask:
            "Answer a question from the user's indexed files only, with numbered citations that Ferret checked "
                + "against the cited passages (verified or not). When no passage is relevant enough it abstains and "
                + "says the files do not answer the question: then do not guess from them."
        case .getDocument:
            "Read the text Ferret stored for one indexed document (as extracted: PDFs and office files as text), "
                + "optionally only lines start_line…end_line. Only documents in the index can be read; use the path "
                + "exactly as search or ask returned it. Long documents are cut, with the line to continue from."
        case .status:
            "What the index holds: documents, passages, tokens, file size, encoder, last indexing run, skipped and "
                + "failed files (the JSON of `ferret status --json`)."
        }
    }

    private var inputSchema: Value {
        switch self {
        case .search:
            Self.object(required: ["query"], [
                "query": ["type": "string", "description": "What to look for: words, a phrase or a question."],
                "k": ["type": "integer", "minimum": .int(SearchArguments.kRange.lowerBound),
                      "maximum": .int(SearchArguments.kRange.upperBound), "default": .int(SearchArguments.defaultK),
                      "description": "How many passages to return."],
                "mode": ["type": "string", "enum": ["hybrid", "semantic", "lexical"],
                         "description": .string("hybrid (token vectors + BM25, the default when the index has vectors), "
                             + "semantic (vectors only) or lexical (BM25 words only, the default without vectors).")],
                "path": ["type": "string",
                         "description": .string("Keep only documents whose path starts with this (absolute, or a folder or "
                             + "file name such as `notes/`); with *, ? or […] it is a glob (`*.md`, `docs/**`).")],
            ])
        case .ask:
            Self.object(required: ["question"], [
                "question": ["type": "string", "description": "The question, in natural language."],
                "k": ["type": "integer", "minimum": .int(AskArguments.kRange.lowerBound),
                      "maximum": .int(AskArguments.kRange.upperBound), "default": .int(AskArguments.defaultK),
                      "description": "How many passages to retrieve for the answer."],
            ])
        case .getDocument:
            Self.object(required: ["path"], [
                "path": ["type": "string", "description": "The indexed document's path, as search returned it."],
                "start_line": ["type": "integer", "minimum": 1, "description": "First line to return (1-based)."],
                "end_line": ["type": "integer", "minimum": 1, "description": "Last line to return (inclusive)."],
            ])
        case .status:
            Self.object(required: [], [:])
        }
    }

    private static func object(required: [String], _ properties: [String: Value]) -> Value {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
                 "additionalProperties": false])
    }
}
