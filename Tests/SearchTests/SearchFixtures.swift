import Foundation
import Index
import Search
import TestSupport

/// A throwaway index in a temporary folder, removed by `cleanup()`.
struct TemporaryIndex {
    let directory: URL
    let database: IndexDatabase

    init(encoder: EncoderIdentity? = SearchFixtures.encoder) throws {
        directory = try Fixtures.temporaryDirectory()
        database = try IndexDatabase.open(at: directory.appendingPathComponent("index.sqlite"), encoder: encoder)
    }

    func cleanup() { try? FileManager.default.removeItem(at: directory) }

    /// Adds one document whose passages are `texts`, with vectors when given (`[tokens, dimension]` each).
    /// `language` is the document's (its passages are stemmed in it).
    func add(_ path: String, _ texts: [String], vectors: [[Float]]? = nil, language: String? = nil) throws {
        let passages = texts.enumerated().map { i, text in
            PassageInput(ordinal: i, text: text, byteStart: 0, byteEnd: text.utf8.count, lineStart: i + 1, lineEnd: i + 1,
                         vectors: vectors?[i] ?? [])
        }
        try database.replaceDocument(DocumentInput(path: path, contentHash: path, size: 1, modified: Date(),
                                                                   language: language),
                                     passages: passages)
    }
}

enum SearchFixtures {
    static let encoder = EncoderIdentity(name: "synthetic", fingerprint: "0", dimension: 16)

    /// Reference MaxSim, written plainly: Σ over query rows of the max dot product with any passage row.
    static func bruteForceMaxSim(query: [Float], passage: [Float], dimension: Int) -> Float {
        let q = query.count / dimension, n = passage.count / dimension
        var total: Float = 0
        for i in 0..<q {
            var best = -Float.infinity
            for j in 0..<n {
                var dot: Float = 0
                for d in 0..<dimension { dot += query[i * dimension + d] * passage[j * dimension + d] }
                best = max(best, dot)
            }
            total += best
        }
        return total
    }

    /// Rounds through float16, as the index stores vectors, so brute force sees the same numbers.
    static func float16Rounded(_ values: [Float]) -> [Float] {
        values.map { Float(Float16($0)) }
    }
}
