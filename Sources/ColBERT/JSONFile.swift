import Foundation
import LFM2

/// A JSON object read from one file of the model folder, with typed accessors whose errors name the file and the
/// field. A missing key or an explicit `null` reads as "absent", as in PyLate (`config.get(key)`).
struct JSONFile {
    let path: String
    let value: JSONValue

    static func read(_ url: URL) throws -> JSONFile {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ColBERTError.unreadable(file: url.path, reason: "the file does not exist or cannot be opened")
        }
        guard let value = try? JSONValue.parse(data) else {
            throw ColBERTError.unreadable(file: url.path, reason: "it is not valid JSON")
        }
        return JSONFile(path: url.path, value: value)
    }

    /// The top-level object, or an error naming the file.
    func object() throws -> [String: JSONValue] {
        guard let object = value.object else {
            throw ColBERTError.unreadable(file: path, reason: "expected a JSON object, found \(value.kindDescription)")
        }
        return object
    }

    func string(_ key: String, in object: [String: JSONValue]) throws -> String? {
        try field(key, in: object, expected: "a string") { $0.string }
    }

    func int(_ key: String, in object: [String: JSONValue]) throws -> Int? {
        try field(key, in: object, expected: "an integer") { $0.int }
    }

    func bool(_ key: String, in object: [String: JSONValue]) throws -> Bool? {
        try field(key, in: object, expected: "true or false") { $0.bool }
    }

    func strings(_ key: String, in object: [String: JSONValue]) throws -> [String]? {
        try field(key, in: object, expected: "a list of strings") { value in
            guard let array = value.array else { return nil }
            let strings = array.compactMap(\.string)
            return strings.count == array.count ? strings : nil
        }
    }

    /// A token written either as a plain string or as an added-token object `{"content": …}`
    /// (tokenizer_config.json and special_tokens_map.json use both).
    func token(_ key: String, in object: [String: JSONValue]) throws -> String? {
        try field(key, in: object, expected: "a token string or {\"content\": …}") { value in
            value.string ?? value.object?["content"]?.string
        }
    }

    private func field<T>(_ key: String, in object: [String: JSONValue], expected: String,
                          _ convert: (JSONValue) -> T?) throws -> T? {
        guard let raw = object[key], !raw.isNull else { return nil }
        guard let converted = convert(raw) else {
            throw ColBERTError.invalidField(file: path, field: key, problem: "is \(raw.kindDescription), expected \(expected)")
        }
        return converted
    }
}
