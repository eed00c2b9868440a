import ColBERT
import Foundation
import Testing
import TestSupport

/// `ferret encode` against the library and PyLate's kept ids and vectors from the ColBERT fixtures.
@Suite struct EncodeCommandTests {
    struct Output: Decodable { let ids: [Int]; let vectors: [[Float]] }
    struct Reference: Decodable {
        struct Case: Decodable { let text: String; let kept_ids: [Int] }
        let dimension: Int
        let vectors: String
        let queries: [Case]
        let documents: [Case]
    }

    func encode(_ kind: String, _ arguments: [String]) throws -> Output {
        let result = try FerretBinary.run(["encode", "--model", Fixtures.url("colbert-\(kind)-tiny").path, "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
    }

    @Test(arguments: ["causal", "bidir"])
    func jsonMatchesPyLate(kind: String) throws {
        let reference = try Fixtures.decode(Reference.self, from: "colbert-\(kind)-reference.json")
        let all = try Fixtures.floats(reference.vectors)
        // The first query starts the vector file; the first document follows all queries.
        let queryRows = reference.queries.map(\.kept_ids.count).reduce(0, +)
        for (item, role, firstRow) in [(reference.queries[0], "--query", 0), (reference.documents[0], "--document", queryRows)] {
            let output = try encode(kind, ["--dtype", "f32", role, "--", item.text])  // F32: PyLate to float rounding
            #expect(output.ids == item.kept_ids, "\(kind) \(role)")
            #expect(output.vectors.count == item.kept_ids.count && output.vectors.allSatisfy { $0.count == reference.dimension })
            for (row, vector) in output.vectors.enumerated() {
                let start = (firstRow + row) * reference.dimension
                let similarity = cosine(vector[...], all[start ..< start + reference.dimension])
                #expect(similarity >= 0.9999, "\(kind) \(role) row \(row): cosine \(similarity)")
            }
        }
    }

    @Test func jsonEqualsTheLibrary() throws {
        let text = "  Où se trouve la tour Eiffel ?  "
        let encoder = try ColBERTEncoder.load(directory: Fixtures.url("colbert-bidir-tiny"))
        for (role, flag) in [(TextRole.query, "--query"), (.document, "--document")] {
            let expected = try encoder.encode(text, as: role)
            let output = try encode("bidir", [flag, "--", text])
            #expect(output.ids == expected.ids, "\(flag)")
            // JSON carries each Float's shortest round-trip form, so the values come back bit for bit.
            #expect(output.vectors.flatMap { $0 } == expected.vectors, "\(flag)")
        }
    }

    @Test func summaryAndErrors() throws {
        let folder = Fixtures.url("colbert-causal-tiny").path
        let summary = try FerretBinary.run(["encode", "--model", folder, "--query", "capital of France"])
        #expect(summary.status == 0 && summary.stdout.hasPrefix("query: 16 vectors × 48 dimensions"), "\(summary.stdout)")

        let both = try FerretBinary.run(["encode", "--model", folder, "--query", "--document", "x"])
        #expect(both.status != 0 && both.stderr.contains("--query"), "\(both.stderr)")

        let language = try FerretBinary.run(["encode", "--model", Fixtures.url("lfm2-tiny").path, "--query", "x"])
        #expect(language.status == 1 && language.stderr.hasPrefix("error:") && language.stderr.contains("modules.json")
                && language.stderr.contains("ColBERT"), "\(language.stderr)")

        let missing = try FerretBinary.run(["encode", "--model", "/nonexistent/colbert", "--document", "x"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/colbert"), "\(missing.stderr)")
    }
}
