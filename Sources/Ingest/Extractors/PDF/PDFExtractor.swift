import Foundation

/// Reads a PDF through poppler's `pdftotext` (poppler-utils): one section per page, located `.page(n)` (1-based;
/// a blank page gives an empty section), the title from the document information dictionary.
///
/// The bytes go to `pdftotext -bbox-layout -enc UTF-8 - -` on standard input (no path on the command line, so no
/// file name can be misread or mangled); `PDFLayout` reads its XHTML and `PDFPageText` turns it into page texts:
/// running headers, footers and page numbers dropped, hyphenated line ends joined, lines joined into paragraphs.
///
/// Why a process and not libpoppler linked in (`scripts/bench_pdf.sh`, a 300-page manual, 2 cores): `pdftotext
/// -bbox-layout` takes 0.37 s and 11 MB, our post-processing 0.11 s; libpoppler-cpp collecting the same word boxes
/// in process takes 0.41 s (plain text: 0.16 s either way). Not faster, and both are about 0.1% of the ten minutes
/// the encoder spends on the same pages. A process needs no link dependency, runs under a time limit, and a crash
/// in poppler on a hostile file costs that file, not the indexing run.
///
/// Outcomes: an encrypted PDF that needs a password, or one whose pages have no text at all (a scan), throws
/// `IngestError.noText`; a file poppler cannot parse throws `malformed` quoting poppler's error; `pdftotext` missing,
/// crashing or timing out throws `extractorFailed`.
enum PDFExtractor: DocumentExtractor {
    static let name = "pdf"
    static let version = 1

    /// The poppler-utils program that does the reading.
    static let program = "pdftotext"
    /// A 300-page manual takes well under a second; minutes mean a pathological or hostile file.
    static let timeoutSeconds: Double = 120
    /// `-bbox-layout` writes about 100 bytes per word (a 300-page manual gives 16 MB); past this, the pages read so
    /// far are kept and a warning says where the text stops.
    static let maxOutputBytes = 256 << 20

    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText {
        let output: ProcessRunner.Output
        do {
            output = try ProcessRunner.run(program: program, arguments: ["-bbox-layout", "-enc", "UTF-8", "-", "-"],
                                           input: bytes, timeoutSeconds: timeoutSeconds, maxOutputBytes: maxOutputBytes)
        } catch ProcessRunner.Failure.notFound {
            throw IngestError.extractorFailed(file: path, extractor: program, detail: "it was not found on PATH; "
                + "install poppler-utils (`apt-get install poppler-utils`, `brew install poppler`)")
        } catch {
            throw IngestError.extractorFailed(file: path, extractor: program, detail: "\(error)")
        }
        let layout = try checkedLayout(output, path: path)
        let result = PDFPageText.pages(of: layout)
        let pageCount = result.pages.count
        let blank = result.pages.count(where: \.isEmpty)
        let popplerError = PopplerMessages(output.standardError).firstError

        if pageCount > 0 && blank == pageCount {
            if let popplerError {
                throw IngestError.malformed(file: path, format: "PDF", part: "page content", detail: popplerError)
            }
            throw IngestError.noText(file: path, reason: "no text layer (a scanned or image-only PDF); run OCR on it "
                + "first (for example `ocrmypdf in.pdf out.pdf`) to index it")
        }
        guard pageCount > 0 else {
            if output.truncated {
                throw IngestError.extractorFailed(file: path, extractor: program, detail: "its output passed "
                    + "\(ByteCount.format(Int64(maxOutputBytes))) before the first page ended")
            }
            throw IngestError.noText(file: path, reason: "the PDF has no pages")
        }

        var warnings: [String] = []
        if blank > 0 {
            warnings.append("\(blank) of \(pageCount) pages \(blank == 1 ? "has" : "have") no text (blank, or "
                + "scanned without a text layer)")
        }
        if output.truncated {
            warnings.append("the text is longer than Ferret reads from one PDF (\(ByteCount.format(Int64(maxOutputBytes))) "
                + "of layout); pages after \(pageCount) were not indexed")
        }
        if let popplerError {
            warnings.append("poppler reported errors reading this file (\(popplerError)); some text may be missing")
        }
        let title = layout.title?.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let sections = result.pages.enumerated().map { StructuredText.Section(location: .page($0 + 1), text: $1) }
        return StructuredText(title: title?.isEmpty == false ? title : nil, sections: sections, warnings: warnings)
    }
}
