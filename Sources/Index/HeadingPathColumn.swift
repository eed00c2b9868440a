import Foundation

/// `passages.heading_path`: the headings above a passage as a JSON array of strings, NULL when there are none.
enum HeadingPathColumn {
    static func encode(_ path: [String]) -> String? {
        guard !path.isEmpty, let data = try? JSONEncoder().encode(path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The stored headings; a value that is not a JSON array of strings (a damaged row) reads as none.
    static func decode(_ text: String?) -> [String] {
        guard let text, let array = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return array
    }
}
