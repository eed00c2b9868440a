import Foundation

/// Why a file could not be turned into text. Every case names the file, and its description ends with what the user
/// can do about it, so `ferret index` can print it as is and `status` can list it as a skipped file's reason.
public enum IngestError: Error, CustomStringConvertible, Equatable, Sendable {
    /// NUL bytes or mostly control bytes near the start: not a text document.
    case binary(file: String, detail: String)
    /// Larger than `IngestOptions.maxFileBytes`.
    case tooLarge(file: String, size: Int64, limit: Int)
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// No extractor for this extension.
    case unsupportedType(file: String, detail: String)
    /// A container file (PDF, DOCX…) that does not follow its format: `part` names where (`word/document.xml`,
    /// `page 3`, `xref table`), `detail` what is wrong.
    case malformed(file: String, format: String, part: String, detail: String)
    /// A well-formed file with no text to give: encrypted, a scan without a text layer, an empty workbook. A skip,
    /// not a failure; `reason` says which and what to do ("encrypted; remove the password to index it").
    case noText(file: String, reason: String)
    /// An external program Ferret runs to extract text (poppler's `pdftotext`, a configured command) failed.
    case extractorFailed(file: String, extractor: String, detail: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .binary(let file, _), .tooLarge(let file, _, _), .unreadable(let file, _), .unsupportedType(let file, _),
             .malformed(let file, _, _, _), .noText(let file, _), .extractorFailed(let file, _, _):
            return file
        }
    }

    /// The reason alone, without the file name, for `SkippedFile.reason`.
    public var reason: String {
        switch self {
        case .binary(_, let detail):
            return "binary file (\(detail)); Ferret indexes text documents only"
        case .tooLarge(_, let size, let limit):
            return "larger than \(ByteCount.format(Int64(limit))) (\(ByteCount.format(size))); "
                + "split the file or raise the limit (`ferret index --max-file-size 50MB`, or `max_file_size` in "
                + "ferret.toml)"
        case .unreadable(_, let reason):
            return "cannot be read: \(reason); check that it exists and its permissions"
        case .unsupportedType(_, let detail):
            return "unsupported type \(detail); Ferret reads \(DocumentFormat.supportedSummary)"
        case .malformed(_, let format, let part, let detail):
            return "not a valid \(format) file (\(part): \(detail)); check that it opens in its application, "
                + "or re-save it"
        case .noText(_, let reason):
            return reason
        case .extractorFailed(_, let extractor, let detail):
            return "`\(extractor)` failed: \(detail); check that it is installed and reads this file"
        }
    }

    public var description: String { "\(file): \(reason)" }
}

/// Human-readable byte counts in decimal units (20 MB = 20,000,000 bytes), matching `IngestOptions.maxFileBytes`.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units: [(Double, String)] = [(1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (scale, unit) in units where Double(bytes) >= scale {
            let value = Double(bytes) / scale
            let text = value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
            return "\(text) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
