import Foundation

// Times Ferret's post-processing of `pdftotext -bbox-layout` output (PDFLayout + PDFPageText), for
// scripts/bench_pdf.sh. Compiled with Sources/Ingest/HTMLEntities.swift and the pure files of
// Sources/Ingest/Extractors/PDF (all but PDFExtractor*.swift).
//
//   pdf_text_timing <bbox-layout.xhtml> [runs] [page-to-print]

@main
enum PDFTextTiming {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: pdf_text_timing <bbox-layout.xhtml> [runs] [page]\n".utf8))
            exit(2)
        }
        let output = Array(try Data(contentsOf: URL(fileURLWithPath: arguments[1])))
        let runs = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 5) : 5
        var seconds: [Double] = []
        var result = PDFPageText.Result(pages: [], droppedLines: 0)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            result = PDFPageText.pages(of: PDFLayout(bboxLayout: output))
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        seconds.sort()
        let characters = result.pages.reduce(0) { $0 + $1.utf8.count }
        print(String(format: "post-processing: median %.3f s over %d runs (min %.3f), %d pages, %d bytes of text, "
            + "%d header/footer lines dropped", seconds[seconds.count / 2], runs, seconds[0], result.pages.count,
            characters, result.droppedLines))
        if arguments.count >= 4, let page = Int(arguments[3]), result.pages.indices.contains(page - 1) {
            print("--- page \(page)\n" + result.pages[page - 1])
        }
    }
}
