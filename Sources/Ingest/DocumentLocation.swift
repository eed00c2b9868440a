/// Where a passage sits in a document that is not cited by line: a PDF page, a slide, a spreadsheet's sheet, an
/// e-book chapter. Shown as a URL fragment after the path (`manual.pdf#page=12`, `deck.pptx#slide=3`,
/// `budget.xlsx#sheet=Q3`), the form PDF viewers and our citations understand.
public enum DocumentLocation: Sendable, Hashable, Codable {
    /// 1-based page (PDF).
    case page(Int)
    /// 1-based slide (PPTX, ODP).
    case slide(Int)
    /// A sheet by name (XLSX, ODS).
    case sheet(String)
    /// 1-based chapter in reading (spine) order (EPUB).
    case chapter(Int)

    /// `page=12`, `slide=3`, `sheet=Q3%20Budget`, `chapter=2`: what follows `#` in a citation.
    public var fragment: String {
        switch self {
        case .page(let n): return "page=\(n)"
        case .slide(let n): return "slide=\(n)"
        case .chapter(let n): return "chapter=\(n)"
        case .sheet(let name): return "sheet=" + Self.escape(name)
        }
    }

    /// The page number for paged formats (stored in its own column so `#page=N` links need no parsing).
    public var page: Int? {
        if case .page(let n) = self { return n }
        return nil
    }

    /// Parses a `fragment` back (nil for anything else).
    public init?(fragment: String) {
        guard let equals = fragment.firstIndex(of: "=") else { return nil }
        let key = fragment[..<equals], value = String(fragment[fragment.index(after: equals)...])
        switch key {
        case "page": guard let n = Int(value), n >= 1 else { return nil }; self = .page(n)
        case "slide": guard let n = Int(value), n >= 1 else { return nil }; self = .slide(n)
        case "chapter": guard let n = Int(value), n >= 1 else { return nil }; self = .chapter(n)
        case "sheet": guard let name = value.removingPercentEncoding else { return nil }; self = .sheet(name)
        default: return nil
        }
    }

    /// Percent-encodes what would break a fragment or a citation: space, `%`, `#`, `]`, `[`, controls, non-ASCII
    /// stays as is (terminals and editors show it).
    static func escape(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.value < 0x21 || scalar.value == 0x7F || "%#[]()".unicodeScalars.contains(scalar) {
                for byte in String(scalar).utf8 { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
