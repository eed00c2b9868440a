import Foundation

/// The normalizers of `tokenizers` that keep a byte-level BPE meaningful. LFM2 has none (`"normalizer": null`).
indirect enum Normalizer {
    case nfc, nfd, nfkc, nfkd
    /// Scalar-by-scalar full lowercase mapping (Rust `char::to_lowercase`; no context such as Greek final sigma).
    case lowercase
    /// Replace every occurrence of a literal string.
    case replace(String, with: String)
    case sequence([Normalizer])

    init(_ json: JSONField) throws {
        switch try json.type() {
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        case "Lowercase": self = .lowercase
        case "Sequence": self = .sequence(try json.required("normalizers").array().map(Normalizer.init))
        case "Replace":
            let pattern = try json.required("pattern")
            guard let literal = try pattern["String"]?.string() else {
                throw TokenizerError.unsupported(json.file, component: "Replace normalizer pattern",
                                                 found: "other than a literal String")
            }
            self = .replace(literal, with: try json.required("content").string())
        case let other:
            throw TokenizerError.unsupported(json.file, component: "normalizer", found: "\"\(other)\"")
        }
    }

    func callAsFunction(_ text: String) -> String {
        switch self {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        case .lowercase:
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
            return String(out)
        case .replace(let pattern, let content):
            return Self.replaceLiteral(pattern, with: content, in: text)
        case .sequence(let steps):
            return steps.reduce(text) { $1($0) }
        }
    }

    /// Byte-exact replacement; Foundation's `replacingOccurrences` would match canonically equivalent text too.
    private static func replaceLiteral(_ pattern: String, with content: String, in text: String) -> String {
        let needle = Array(pattern.utf8), bytes = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: content.utf8)
                i += needle.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
