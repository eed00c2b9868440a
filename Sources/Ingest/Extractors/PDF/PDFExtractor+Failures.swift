extension PDFExtractor {
    /// What a user-password PDF is skipped with. (A PDF with only an owner password, which restricts printing or
    /// copying, opens without one and is extracted.)
    static let encryptedReason = "encrypted (password-protected) PDF; remove the password to index it"

    /// The layout `pdftotext` wrote, or the error that says why there is none. Exit statuses are poppler's:
    /// 1 the document could not be opened (damaged, not a PDF, or a password is needed), 3 a permission error,
    /// 99 anything else; other statuses are signals (a crash).
    static func checkedLayout(_ output: ProcessRunner.Output, path: String) throws -> PDFLayout {
        let messages = PopplerMessages(output.standardError)
        if output.timedOut {
            throw IngestError.extractorFailed(file: path, extractor: program, detail: "timed out after "
                + "\(Int(timeoutSeconds)) s; the PDF may be damaged or unusually complex")
        }
        // Past the output limit the runner stops the program, so its status is that of a signal: keep the pages.
        if output.status != 0 && !output.truncated {
            if messages.mentionsPassword { throw IngestError.noText(file: path, reason: encryptedReason) }
            let detail = messages.firstError ?? "no message"
            if output.status == 1 {
                throw IngestError.malformed(file: path, format: "PDF", part: messages.failingPart, detail: detail)
            }
            throw IngestError.extractorFailed(file: path, extractor: program,
                                              detail: "exited with status \(output.status): \(detail)")
        }
        let layout = PDFLayout(bboxLayout: output.standardOutput)
        if !layout.isComplete && !output.truncated {
            throw IngestError.extractorFailed(file: path, extractor: program, detail: "its output is not the "
                + "-bbox-layout XHTML Ferret reads (poppler 0.70 or later is needed)")
        }
        return layout
    }
}

/// What poppler wrote on standard error: lines such as `Syntax Error (1234): Illegal character` or
/// `Command Line Error: Incorrect password`.
struct PopplerMessages {
    let lines: [String]

    init(_ standardError: [UInt8]) {
        lines = String(decoding: standardError, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { String($0.prefix(300)) }
    }

    /// The first line that reports an error (warnings such as "May not be a PDF file (continuing anyway)" are
    /// skipped when an error follows), else the first line.
    var firstError: String? {
        lines.first { $0.contains("Error") } ?? lines.first
    }

    /// Poppler asks for a password: the user password is set.
    var mentionsPassword: Bool {
        lines.contains { $0.contains("Incorrect password") }
    }

    /// Where in the file poppler gave up, for `IngestError.malformed`.
    var failingPart: String {
        if lines.contains(where: { $0.contains("May not be a PDF file") }) { return "header" }
        if lines.contains(where: { $0.contains("xref") || $0.contains("trailer") }) { return "xref table" }
        return "document structure"
    }
}
