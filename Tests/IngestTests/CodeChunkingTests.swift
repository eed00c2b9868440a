import Testing
@testable import Ingest

/// Source files are cut at blank lines and at top-level declarations, with the comments above a declaration kept
/// with it, so a passage holds whole functions where they fit.
@Suite struct CodeChunkingTests {
    let lines: @Sendable (String) -> Int = { $0.split(separator: "\n").count }

    func function(_ name: String, body: Int) -> String {
        "/// Does \(name).\n@inlinable\nfunc \(name)() {\n" + (0..<body).map { "    step(\($0))\n" }.joined() + "}\n"
    }

    @Test func passagesStartAtDeclarationsWithTheirComments() {
        // No blank lines at all: only the declarations tell where functions start.
        let source = "import Foundation\n" + function("alpha", body: 8) + function("beta", body: 8) + function("gamma", body: 8)
        let passages = Chunker(maxTokens: 16, countTokens: lines).split(source, as: .code)
        #expect(passages.count == 3, "\(passages.map(\.text))")
        #expect(passages.dropFirst().allSatisfy { $0.text.hasPrefix("/// Does ") }, "\(passages.map(\.text))")
        #expect(passages[1].text.contains("func beta()") && !passages[1].text.contains("func alpha"))
        // Lines stay those of the file.
        #expect(passages[1].lineStart == 14 && passages[2].lineStart == 26, "\(passages.map(\.lineStart))")
    }

    @Test func indentedDeclarationsAndDataDoNotSplit() {
        let source = "struct S {\n    func a() {}\n    func b() {}\n}\n"
        #expect(Chunker(maxTokens: 100, countTokens: lines).split(source, as: .code).count == 1)
        // CSV and JSON keep plain line blocks: a row starting with `type ` is data.
        let csv = "name,kind\ntype a,x\ntype b,y\n"
        #expect(Chunker(maxTokens: 100, countTokens: lines).split(csv, as: .lines).count == 1)
        #expect(Chunker.segmentation(for: .source) == .code && Chunker.segmentation(for: .csv) == .lines)
    }
}
