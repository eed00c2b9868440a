import Foundation
import Testing
import TestSupport
import Weights

/// Builds safetensors files byte by byte, valid and damaged, and checks what the reader says about each.
@Suite struct SafetensorsTests {
    struct Entry { let name: String; let dtype: String; let shape: [Int]; let begin: Int; let end: Int }

    /// Writes `header` (built from `entries`) and `data` to a temp file; `headerLength` overrides the length prefix.
    func write(_ entries: [Entry], data: [UInt8], headerLength: Int? = nil, rawHeader: String? = nil,
               in folder: URL, name: String = "model.safetensors") throws -> URL {
        let header = rawHeader ?? "{" + entries.map {
            "\"\($0.name)\":{\"dtype\":\"\($0.dtype)\",\"shape\":\($0.shape),\"data_offsets\":[\($0.begin),\($0.end)]}"
        }.joined(separator: ",") + ",\"__metadata__\":{\"format\":\"pt\"}}"
        var bytes = [UInt8]()
        withUnsafeBytes(of: UInt64(headerLength ?? header.utf8.count).littleEndian) { bytes += $0 }
        bytes += Array(header.utf8) + data
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }

    func expectError(_ url: URL, containing words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try WeightStore.open(file: url)
            Issue.record("opened a damaged file", sourceLocation: sourceLocation)
        } catch {
            let message = String(describing: error)
            for word in words + [url.path] {
                #expect(message.contains(word), "\(message) should mention \(word)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func readsF32F16AndBF16() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let values: [Float] = [1.5, -2.25, 0, 1024]
        var data = floatBytes(values)
        data += values.flatMap { v in withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { Array($0) } }
        data += values.flatMap { v in withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { Array($0) } }
        let url = try write([Entry(name: "a", dtype: "F32", shape: [2, 2], begin: 0, end: 16),
                             Entry(name: "b", dtype: "F16", shape: [4], begin: 16, end: 24),
                             Entry(name: "c", dtype: "BF16", shape: [4], begin: 24, end: 32)], data: data, in: folder)
        let store = try WeightStore.open(file: url)
        #expect(try store.floats("a", shape: [2, 2]) == values)
        #expect(try store.floats("b") == values)
        #expect(try store.floats("c") == values)
        #expect(throws: WeightsError.wrongShape(name: "a", source: url.path, expected: [4], actual: [2, 2])) {
            _ = try store.floats("a", shape: [4])
        }
        #expect(throws: WeightsError.missingTensor(name: "zzz", source: url.path)) { _ = try store.floats("zzz") }
    }

    @Test func damagedFilesAreRefusedWithTheirName() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sixteen = [UInt8](repeating: 0, count: 16)
        let a = Entry(name: "a", dtype: "F32", shape: [4], begin: 0, end: 16)

        // Truncated: the data section is shorter than the header promises.
        expectError(try write([a], data: Array(sixteen.prefix(10)), in: folder, name: "t1.safetensors"), containing: ["truncated", "'a'"])
        // Truncated inside the header.
        expectError(try write([a], data: [], headerLength: 10_000, in: folder, name: "t2.safetensors"), containing: ["truncated"])
        // Shorter than the length prefix itself.
        let tiny = folder.appendingPathComponent("t3.safetensors")
        try Data([1, 2, 3]).write(to: tiny)
        expectError(tiny, containing: ["truncated"])
        // A header that lies about sizes.
        expectError(try write([Entry(name: "a", dtype: "F32", shape: [5], begin: 0, end: 16)], data: sixteen, in: folder,
                              name: "t4.safetensors"), containing: ["'a'", "[5]"])
        // Overlapping ranges.
        expectError(try write([a, Entry(name: "b", dtype: "F32", shape: [2], begin: 8, end: 16)], data: sixteen, in: folder,
                              name: "t5.safetensors"), containing: ["overlap"])
        // Unknown dtype.
        expectError(try write([Entry(name: "a", dtype: "Q4", shape: [16], begin: 0, end: 16)], data: sixteen, in: folder,
                              name: "t6.safetensors"), containing: ["Q4", "'a'"])
        // Not JSON.
        expectError(try write([], data: sixteen, rawHeader: "{not json", in: folder, name: "t7.safetensors"), containing: ["JSON"])
        // Absurd header length.
        expectError(try write([], data: [], headerLength: Int(Int32.max), rawHeader: "{}", in: folder, name: "t8.safetensors"),
                    containing: ["header"])
    }

    @Test func headerLengthWithItsTopBitSetIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A valid file whose length prefix is then damaged: 0x8000…0000 does not fit an Int (it used to trap).
        let url = try write([Entry(name: "a", dtype: "F32", shape: [1], begin: 0, end: 4)], data: floatBytes([1]), in: folder)
        for length: UInt64 in [1 << 63, .max, UInt64(Int.max)] {
            var bytes = [UInt8](try Data(contentsOf: url))
            withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            let damaged = folder.appendingPathComponent("damaged-\(length).safetensors")
            try Data(bytes).write(to: damaged)
            expectError(damaged, containing: ["header length \(length)", "implausibly large"])
        }
    }

    @Test func shapeWhoseByteCountWrapsAroundIsRefused() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // (2^62 + 1) F32 values are 2^64 + 4 bytes, which wraps to the 4 bytes the range holds.
        let huge = (1 << 62) + 1
        expectError(try write([Entry(name: "a", dtype: "F32", shape: [huge], begin: 0, end: 4)], data: floatBytes([1]),
                              in: folder), containing: ["'a'", "[\(huge)]"])
        // The same through a product of dimensions: 2^31 × 2^31 BF16 values are 2^63 bytes.
        expectError(try write([Entry(name: "b", dtype: "BF16", shape: [1 << 31, 1 << 31], begin: 0, end: 0)], data: [],
                              in: folder, name: "b.safetensors"), containing: ["'b'"])
    }

    @Test func shardedFoldersFollowTheirIndex() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try write([Entry(name: "a", dtype: "F32", shape: [1], begin: 0, end: 4)], data: floatBytes([3]), in: folder,
                      name: "model-00001-of-00002.safetensors")
        _ = try write([Entry(name: "b", dtype: "F32", shape: [1], begin: 0, end: 4)], data: floatBytes([4]), in: folder,
                      name: "model-00002-of-00002.safetensors")
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        try Data(#"{"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}"#.utf8).write(to: index)
        let store = try WeightStore.open(directory: folder)
        #expect(try store.floats("a") == [3] && store.floats("b") == [4])

        // The index names a tensor that its shard lacks.
        try Data(#"{"weight_map":{"a":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}"#.utf8).write(to: index)
        #expect(throws: WeightsError.missingTensor(name: "c", source: folder.appendingPathComponent("model-00002-of-00002.safetensors").path)) {
            _ = try WeightStore.open(directory: folder)
        }
        // A shard that does not exist.
        try Data(#"{"weight_map":{"a":"model-00009.safetensors"}}"#.utf8).write(to: index)
        #expect(throws: WeightsError.self) { _ = try WeightStore.open(directory: folder) }
        try Data("[]".utf8).write(to: index)
        #expect(throws: WeightsError.self) { _ = try WeightStore.open(directory: folder) }
        // An empty folder.
        let empty = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: WeightsError.noWeights(directory: empty.path)) { _ = try WeightStore.open(directory: empty) }
    }
}
