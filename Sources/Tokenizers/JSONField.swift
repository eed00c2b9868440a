import Foundation

/// A JSON value read from a file, with the path that led to it, so that every shape error can say where it is.
struct JSONField {
    let value: ParsedJSON
    let path: String
    let file: URL

    /// Reads and parses the file at `url`.
    static func load(_ url: URL) throws -> JSONField {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TokenizerError.fileNotFound(url) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadable(url, reason: (error as NSError).localizedDescription)
        }
        do {
            return JSONField(value: try JSONFileParser.parse(data), path: "", file: url)
        } catch {
            throw TokenizerError.invalidJSON(url, reason: error.description)
        }
    }

    func fail(_ reason: String) -> TokenizerError {
        TokenizerError.invalidField(file, path: path.isEmpty ? "(top level)" : path, reason: reason)
    }

    func child(_ key: String, _ value: ParsedJSON) -> JSONField {
        JSONField(value: value, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    func element(_ index: Int, _ value: ParsedJSON) -> JSONField {
        JSONField(value: value, path: "\(path)[\(index)]", file: file)
    }

    /// The member `key` of an object, or nil when it is absent or `null`.
    subscript(key: String) -> JSONField? {
        guard let member = value[key] else { return nil }
        if case .null = member { return nil }
        return child(key, member)
    }

    func required(_ key: String) throws -> JSONField {
        guard case .object = value else { throw fail("should be an object") }
        guard let member = self[key] else { throw child(key, .null).fail("is missing") }
        return member
    }

    func array() throws -> [JSONField] {
        guard case .array(let items) = value else { throw fail("should be an array") }
        return items.enumerated().map { element($0, $1) }
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw fail("should be a string") }
        return text
    }

    /// The string value, or nil when the value is of another kind.
    var stringValue: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw fail("should be true or false") }
        return flag
    }

    func int() throws -> Int {
        guard case .number(let number) = value, let exact = Int(exactly: number) else {
            throw fail("should be an integer")
        }
        return exact
    }

    /// `key` as a boolean, `fallback` when absent or null.
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        try self[key]?.bool() ?? fallback
    }

    /// The `type` member, which every tokenizer component carries.
    func type() throws -> String {
        try required("type").string()
    }
}
