import Foundation

/// Names of parts inside a ZIP container, resolved the way OPC relationship targets and EPUB hrefs are: relative to
/// the folder of the part that refers to them, with `.` and `..` segments applied, percent-escapes decoded and any
/// `#fragment` dropped.
enum ZipPath {
    /// The folder of `part`, with its trailing slash: `word/document.xml` → `word/`, `content.opf` → ``.
    static func folder(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// `reference` (`../media/a.png`, `/word/document.xml`, `Text/ch%201.xhtml#p3`) as a part name, relative to
    /// `folder`; nil for an empty reference or an external URL (`http://…`, `mailto:…`). `..` above the root stays
    /// at the root.
    static func resolve(_ reference: String, from folder: String) -> String? {
        var raw = Substring(reference)
        if let cut = raw.firstIndex(where: { $0 == "#" || $0 == "?" }) { raw = raw[..<cut] }
        if let colon = raw.firstIndex(of: ":"), !raw[..<colon].contains("/") { return nil }
        let decoded = String(raw).removingPercentEncoding ?? String(raw)
        guard !decoded.isEmpty else { return nil }
        let joined = decoded.hasPrefix("/") ? decoded : folder + decoded
        var segments: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        guard !segments.isEmpty else { return nil }
        return segments.joined(separator: "/")
    }
}
