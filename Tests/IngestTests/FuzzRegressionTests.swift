import Foundation
import Testing
import TestSupport
@testable import Ingest

/// Every input under Tests/Fixtures/fuzz/FORMAT/ (crashes found by scripts/fuzz.sh, and hand-made hostile files)
/// goes through extraction and chunking: each must give text or a clean `IngestError`, never a trap, and the error
/// must name the file.
@Suite struct FuzzRegressionTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz")
    static let formats: [String: DocumentFormat] = [
        "pdf": .pdf, "docx": .docx, "pptx": .pptx, "xlsx": .xlsx, "odt": .odt, "odp": .odp, "ods": .ods, "epub": .epub,
        "html": .html, "text": .plainText,
    ]

    static var inputs: [(format: DocumentFormat, file: URL)] {
        formats.sorted { $0.key < $1.key }.flatMap { name, format in
            let directory = folder.appendingPathComponent(name)
            let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
            return files.sorted { $0.path < $1.path }.map { (format, $0) }
        }
    }

    @Test func theCommittedInputsAreThere() {
        #expect(Self.inputs.count >= 8, "Tests/Fixtures/fuzz lost its inputs")
    }

    @Test(arguments: inputs.map(\.file.lastPathComponent))
    func extractsOrFailsCleanly(_ name: String) throws {
        let (format, file) = try #require(Self.inputs.first { $0.file.lastPathComponent == name })
        let bytes = [UInt8](try Data(contentsOf: file))
        do {
            let extracted = try TextExtractor.extract(bytes: bytes, format: format, path: file.path)
            let passages = Chunker(maxTokens: 64) { $0.utf8.count / 4 + 1 }.split(extracted)
            #expect(passages.allSatisfy { !$0.text.isEmpty })
        } catch let error as IngestError {
            #expect(error.file == file.path && !error.reason.isEmpty)
        }
    }

    @Test func entityExpansionIsRefusedNotExpanded() throws {
        let file = Self.folder.appendingPathComponent("docx/entity-expansion.docx")
        #expect(throws: IngestError.self) {
            try TextExtractor.extract(bytes: [UInt8](try Data(contentsOf: file)), format: .docx, path: file.path)
        }
    }
}
