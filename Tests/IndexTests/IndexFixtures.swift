import Foundation
import Index
import Kernels
import TestSupport

/// Small builders shared by the index tests: unit vectors from a seed, documents with N passages.
enum IndexFixtures {
    static let encoder = EncoderIdentity(name: "test-encoder", fingerprint: "abc123", dimension: 8)

    static func temporaryIndexURL() throws -> URL {
        try Fixtures.temporaryDirectory().appendingPathComponent("index.sqlite")
    }

    /// `count` unit vectors of `dimension` values, deterministic in `seed`.
    static func unitVectors(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        var values = [Float](repeating: 0, count: count * dimension)
        for row in 0..<count {
            var norm: Float = 0
            for d in 0..<dimension {
                let v = Float(Int64(bitPattern: random.next() % 2001) - 1000) / 1000
                values[row * dimension + d] = v
                norm += v * v
            }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for d in 0..<dimension { values[row * dimension + d] *= scale }
        }
        return values
    }

    static func document(_ path: String, hash: String = "h") -> DocumentInput {
        DocumentInput(path: path, contentHash: hash, size: 100, modified: Date(timeIntervalSince1970: 1_700_000_000),
                      language: "en", title: "Title of \(path)")
    }

    static func passages(_ texts: [String], dimension: Int?, tokens: Int = 4, seed: UInt64 = 1) -> [PassageInput] {
        texts.enumerated().map { i, text in
            PassageInput(ordinal: i, text: text, byteStart: i * 100, byteEnd: i * 100 + text.utf8.count,
                         lineStart: i * 3 + 1, lineEnd: i * 3 + 2, page: nil,
                         tokenIDs: dimension == nil ? nil : Array(100..<(100 + tokens)),
                         vectors: dimension.map { unitVectors(count: tokens, dimension: $0, seed: seed &+ UInt64(i)) } ?? [])
        }
    }
}
