/// Turns the bytes of one container format (PDF, DOCX, EPUB…) into `StructuredText`.
///
/// Rules every extractor follows:
/// - pure: reads nothing but `bytes` (PDF may hand them to a poppler process), writes nothing;
/// - never traps on any input: every size or offset read from the file is checked; malformed input throws
///   `IngestError.malformed` naming the part of the file at fault (`word/document.xml: unexpected end of data`);
/// - a file that is fine but has no text to give (an encrypted PDF, a scan without a text layer) throws
///   `IngestError.noText` with the reason, which the indexer reports as a skip, not a failure;
/// - bounded: decompressed sizes are limited (`ZipLimits`), so a ZIP bomb is refused, not expanded.
public protocol DocumentExtractor: Sendable {
    /// A short stable name (`pdf`, `ooxml`, `odf`, `epub`).
    static var name: String { get }
    /// Bumped whenever the extractor's output changes for some input: documents extracted by another version are
    /// re-extracted on the next `ferret index`.
    static var version: Int { get }
    /// Extracts a document of `format` (one of the formats this extractor handles); `path` only names it in errors.
    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText
}

extension DocumentExtractor {
    /// `name/version`, as stored per document in the index.
    public static var identity: String { "\(name)/\(version)" }
}
