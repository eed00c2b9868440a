import Foundation
import Testing
import TestSupport
@testable import Ingest

/// The sample corpus in `corpora/` (see its SOURCES.md): what the README's first command indexes.
@Suite("Sample corpus")
struct CorpusTests {
    let root = Fixtures.repositoryRoot.appendingPathComponent("corpora")

    @Test func walkFindsEveryDocumentAndSkipsHiddenAndIgnored() {
        let (files, skipped) = FileWalker.walk([root], options: IngestOptions())
        #expect(files.count == 21, "\(files.map(\.relativePath))")
        #expect(files.contains { $0.relativePath == "de/protokolle/2024-03-besprechung.md" })
        let reasons = Dictionary(uniqueKeysWithValues: skipped.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.kind) })
        #expect(reasons == [".draft-ideas.md": .hidden, "SOURCES.md": .ignored])  // .ferretignore is read, not skipped
        #expect(Set(files.compactMap(\.format)) == Set(DocumentFormat.allCases.filter { !$0.isContainer }))
    }

    @Test func everyDocumentExtractsWithItsLanguage() throws {
        let (files, _) = FileWalker.walk([root], options: IngestOptions())
        var languages: [String: String] = [:]
        for file in files {
            let doc = try TextExtractor.extract(URL(fileURLWithPath: file.path), maxBytes: 20_000_000)
            #expect(doc.warnings.isEmpty, "\(file.relativePath): \(doc.warnings)")
            #expect(!doc.text.isEmpty)
            if let language = doc.language { languages[file.relativePath] = language }
            // Files in a language folder are in that language.
            let folder = String(file.relativePath.prefix { $0 != "/" })
            if ["en", "fr", "de", "es", "zh", "ja", "ko", "ar"].contains(folder) {
                #expect(doc.language == folder, "\(file.relativePath) guessed as \(doc.language ?? "nil")")
            }
        }
        #expect(Set(languages.values).isSuperset(of: ["en", "fr", "de", "es", "zh", "ja"]))
    }

    @Test func everyDocumentSplitsWithinBudget() throws {
        let chunker = Chunker(maxTokens: 120, countTokens: approximateBPE)
        let (files, _) = FileWalker.walk([root], options: IngestOptions())
        var total = 0
        for file in files {
            let doc = try TextExtractor.extract(URL(fileURLWithPath: file.path), maxBytes: 20_000_000)
            let passages = chunker.split(doc)
            #expect(!passages.isEmpty)
            #expect(passages.allSatisfy { $0.tokenCount <= 120 && $0.lineStart <= $0.lineEnd })
            total += passages.count
        }
        #expect(total > files.count)
    }

    @Test func titlesComeFromTheDocuments() throws {
        let html = try TextExtractor.extract(root.appendingPathComponent("en/bicycle-gears.html"), maxBytes: 1_000_000)
        #expect(html.title == "How bicycle gears work")
        let md = try TextExtractor.extract(root.appendingPathComponent("zh/water-cycle.md"), maxBytes: 1_000_000)
        #expect(md.title == "水循环")
        let rst = try TextExtractor.extract(root.appendingPathComponent("ko/water-cycle.rst"), maxBytes: 1_000_000)
        #expect(rst.title == "물의 순환")
    }
}
