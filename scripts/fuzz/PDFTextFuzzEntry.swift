// libFuzzer entry point for the pure part of PDF extraction, compiled together with Sources/Ingest/HTMLEntities.swift
// and the PDF files that do no I/O (PDFLayout*, PDFRunningLines, PDFParagraphs, PDFPageText) by
// scripts/fuzz_pdf_text.sh. Each input stands for what `pdftotext -bbox-layout` wrote: it is read with
// `PDFLayout(bboxLayout:)`, turned into page texts with `PDFPageText.pages(of:)`, and the result is checked against
// what `StructuredText` promises the chunker. A crash or a failed precondition here is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDFText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let layout = PDFLayout(bboxLayout: bytes)
    let result = PDFPageText.pages(of: layout)
    precondition(result.pages.count == layout.pages.count, "a page was lost or added")
    for text in result.pages {
        let scalars = Array(text.unicodeScalars)
        precondition(scalars.first.map { $0 != " " && $0 != "\n" } ?? true, "leading whitespace: \(text.debugDescription)")
        precondition(scalars.last.map { $0 != " " && $0 != "\n" } ?? true, "trailing whitespace: \(text.debugDescription)")
        var newlines = 0, spaces = 0
        for scalar in scalars {
            precondition(scalar != "\u{AD}", "soft hyphen left in \(text.debugDescription)")
            precondition(scalar == "\n" || scalar.properties.generalCategory != .control,
                         "control character in \(text.debugDescription)")
            precondition(scalar == "\n" || scalar == " " || !scalar.properties.isWhitespace,
                         "whitespace other than space and newline in \(text.debugDescription)")
            newlines = scalar == "\n" ? newlines + 1 : 0
            spaces = scalar == " " ? spaces + 1 : 0
            precondition(newlines <= 2, "more than one blank line in \(text.debugDescription)")
            precondition(spaces <= 1, "two spaces in a row in \(text.debugDescription)")
        }
    }
    precondition(result.droppedLines <= layout.pages.reduce(0) { $0 + $1.blocks.reduce(0) { $0 + $1.lines.count } })
    return 0
}
