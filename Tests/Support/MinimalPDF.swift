import Foundation

/// A tiny PDF 1.4 writer for the tests and the PDF benchmark (`scripts/bench_pdf.sh` compiles this file on its own,
/// so it uses Foundation only): every PDF the tests read is built here, so no binary PDF is committed.
///
/// One font, Helvetica (a standard Type1 font, WinAnsiEncoding); each page is one uncompressed content stream of
/// `BT /F1 size Tf x y Td (text) Tj ET` lines on a US Letter page (612 × 792 points, y grows upwards). The xref
/// table holds the real byte offset of every object, so poppler reads the file without reconstructing anything.
public struct MinimalPDF: Sendable {
    /// One run of text at a position.
    public struct Line: Sendable {
        public var x: Double
        public var y: Double
        public var text: String
        public var size: Double = 11

        public init(x: Double, y: Double, text: String, size: Double = 11) {
            self.x = x
            self.y = y
            self.text = text
            self.size = size
        }
    }

    /// What a page holds: text lines, and optionally a filled rectangle and a tiny inline image (a page that draws
    /// only those has no text layer, like a scan).
    public struct Page: Sendable {
        public var lines: [Line] = []
        public var drawsImage = false

        public init(lines: [Line] = [], drawsImage: Bool = false) {
            self.lines = lines
            self.drawsImage = drawsImage
        }
    }

    public var pages: [Page]
    /// Written to the document information dictionary as a UTF-16 text string when set.
    public var title: String?

    public init(pages: [Page], title: String? = nil) {
        self.pages = pages
        self.title = title
    }

    /// A page of `body` lines set from the top down, `leading` points apart; an empty string leaves a line's space
    /// empty (a paragraph break), a line starting with a tab is indented 18 points (a first-line indent).
    /// `header` and `footer`, when given, sit alone near the top and bottom edges.
    public static func page(_ body: [String], header: String? = nil, footer: String? = nil, leading: Double = 14) -> Page {
        var page = Page()
        if let header { page.lines.append(Line(x: 72, y: 750, text: header, size: 9)) }
        var y = 700.0
        for text in body {
            if text.hasPrefix("\t") {
                page.lines.append(Line(x: 90, y: y, text: String(text.dropFirst())))
            } else if !text.isEmpty {
                page.lines.append(Line(x: 72, y: y, text: text))
            }
            y -= leading
        }
        if let footer { page.lines.append(Line(x: 72, y: 40, text: footer, size: 9)) }
        return page
    }

    /// A page with a grey rectangle and an inline image but no text.
    public static let imageOnlyPage = Page(lines: [], drawsImage: true)

    /// The file's bytes.
    public func bytes() -> [UInt8] {
        // Objects: 1 catalog, 2 page tree, 3 font, 4 info (always present, may be empty), then per page a page
        // object and its content stream.
        var objects: [[UInt8]] = []
        let pageIDs = pages.indices.map { 5 + 2 * $0 }
        objects.append(Self.ascii("<< /Type /Catalog /Pages 2 0 R >>"))
        let kids = pageIDs.map { "\($0) 0 R" }.joined(separator: " ")
        objects.append(Self.ascii("<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>"))
        objects.append(Self.ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
        objects.append(Self.ascii("<< /Producer (MinimalPDF)" + (title.map { " /Title " + Self.textString($0) } ?? "") + " >>"))
        for (index, page) in pages.enumerated() {
            let contentID = pageIDs[index] + 1
            objects.append(Self.ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                + "/Resources << /Font << /F1 3 0 R >> >> /Contents \(contentID) 0 R >>"))
            let content = Self.contentStream(page)
            objects.append(Self.ascii("<< /Length \(content.count) >>\nstream\n") + content + Self.ascii("\nendstream"))
        }

        var out = Self.ascii("%PDF-1.4\n") + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]   // binary marker comment
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Self.ascii("\(index + 1) 0 obj\n") + body + Self.ascii("\nendobj\n")
        }
        let xref = out.count
        out += Self.ascii("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n")
        for offset in offsets { out += Self.ascii(String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n") }
        out += Self.ascii("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 4 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return out
    }

    private static func contentStream(_ page: Page) -> [UInt8] {
        var out: [UInt8] = []
        if page.drawsImage {
            // A filled rectangle and a 2×2 grey inline image scaled to 200 points: marks on the page, no text.
            out += ascii("0.5 g 72 400 300 200 re f\nq 200 0 0 200 100 100 cm\nBI /W 2 /H 2 /CS /G /BPC 8 ID ")
            out += [0x00, 0x80, 0xC0, 0xFF]
            out += ascii("\nEI Q\n")
        }
        for line in page.lines {
            out += ascii("BT /F1 \(format(line.size)) Tf \(format(line.x)) \(format(line.y)) Td ")
            out += literalString(line.text) + ascii(" Tj ET\n")
        }
        return out
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    /// A literal string `( … )` in WinAnsiEncoding: `\`, `(` and `)` escaped, characters outside the encoding as `?`.
    private static func literalString(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x28]
        for scalar in text.unicodeScalars {
            let byte = winAnsi(scalar) ?? 0x3F
            if byte == 0x5C || byte == 0x28 || byte == 0x29 { out.append(0x5C) }
            out.append(byte)
        }
        out.append(0x29)
        return out
    }

    /// The WinAnsiEncoding code of a scalar: Latin-1 as is, plus the punctuation Windows-1252 puts in 0x80…0x9F.
    private static func winAnsi(_ scalar: Unicode.Scalar) -> UInt8? {
        let extras: [UInt32: UInt8] = [0x20AC: 0x80, 0x2026: 0x85, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93,
                                       0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97]
        if let byte = extras[scalar.value] { return byte }
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(scalar.value)
        default: return nil
        }
    }

    /// A text string for the information dictionary: UTF-16BE with a byte-order mark, written in hex.
    private static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    private static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
}
