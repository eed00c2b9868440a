/// Splits text into passages that each fit the encoder's token budget.
///
/// 1. Blocks: paragraphs (blank-line separated); with `.markdown`, ATX headings and fenced code blocks too; with
///    `.lines`, runs of lines (source, CSV, JSON).
/// 2. Units: the sentences of each paragraph (ICU sentence breaks; list items, table rows and quotes are split on
///    their own), a heading line, or one line of a `.lines` block. A unit over the budget is cut at word boundaries,
///    or between characters when a single word is over the budget.
/// 3. Packing: consecutive units go into a passage while the budget allows. A heading starts a new passage (unless the
///    passage holds only headings so far); a paragraph that would not fit in the rest of a passage at least half full
///    starts a new one, so passages break at paragraph boundaries where they can.
///
/// Counting is linear: each unit is counted once and a passage's estimate is the sum (BPE counts are nearly additive
/// across sentence boundaries; the fixed cost of a call, `countTokens("")` — special tokens, a prefix — is counted
/// once per passage, not per unit). Each finished passage is then counted once as a whole and shortened by a unit at a
/// time in the rare case the estimate was low, so **no passage ever exceeds `maxTokens`**, whatever the counter.
/// Total counting work is about twice the text.
public struct Chunker: Sendable {
    /// Largest `countTokens(passage.text)` allowed.
    public let maxTokens: Int
    /// How many trailing units of a passage are repeated at the start of the next (0 = none). Never across a heading.
    public let overlapSentences: Int
    let countTokens: @Sendable (String) -> Int

    /// - Parameters:
    ///   - maxTokens: the encoder's document budget as `countTokens` measures it (at least 1).
    ///   - countTokens: the encoder's tokenizer, or an estimate such as a whitespace word count for lexical indexes.
    public init(maxTokens: Int, overlapSentences: Int = 0, countTokens: @escaping @Sendable (String) -> Int) {
        precondition(maxTokens >= 1, "Chunker needs a budget of at least one token, got \(maxTokens)")
        self.maxTokens = maxTokens
        self.overlapSentences = max(0, overlapSentences)
        self.countTokens = countTokens
    }

    /// Splits `text` as Markdown-aware prose. Whitespace-only text gives no passages; line numbers are of `text`.
    public func split(_ text: String) -> [Passage] { split(text, as: .markdown) }

    /// Splits `text` with the given block structure. Line numbers are of `text`.
    public func split(_ text: String, as segmentation: Segmentation) -> [Passage] {
        ChunkRun(chunker: self, text: text, segmentation: segmentation).passages()
    }

    /// Splits an extracted document with the segmentation its format calls for (Markdown, HTML and container
    /// formats: headings; source, CSV, JSON: lines; plain text and reStructuredText: prose) and line numbers of the
    /// source file. A document with sections (pages, slides, sheets) is split section by section, so no passage
    /// crosses a page, and every passage carries its section's location.
    public func split(_ document: ExtractedText) -> [Passage] {
        let segmentation = Self.segmentation(for: document.format)
        guard !document.sections.isEmpty else {
            let passages = split(document.text, as: segmentation)
            guard document.sourceLineSpans != nil else { return passages }
            return passages.map { p in
                let lines = document.sourceLines(p.lineStart...p.lineEnd)
                return p.with(lines: lines)
            }
        }
        let layout = TextLayout(Array(document.text.utf8))
        var passages: [Passage] = []
        for section in document.sections {
            let first = min(section.lines.lowerBound - 1, layout.lineStarts.count - 1)
            let last = min(section.lines.upperBound - 1, layout.lineStarts.count - 1)
            let start = layout.lineStarts[first], end = layout.lineRange(last).upperBound
            let text = String(decoding: layout.bytes[start..<end], as: UTF8.self)
            for p in split(text, as: segmentation) {
                passages.append(Passage(
                    ordinal: passages.count, text: p.text, byteStart: p.byteStart + start, byteEnd: p.byteEnd + start,
                    lineStart: p.lineStart + first, lineEnd: p.lineEnd + first, tokenCount: p.tokenCount,
                    headingPath: p.headingPath, location: section.location))
            }
        }
        return passages
    }

    static func segmentation(for format: DocumentFormat) -> Segmentation {
        switch format {
        case .markdown, .html, .pdf, .docx, .pptx, .xlsx, .odt, .odp, .ods, .epub: return .markdown
        case .plainText, .restructuredText: return .prose
        case .source: return .code
        case .csv, .json: return .lines
        }
    }
}
