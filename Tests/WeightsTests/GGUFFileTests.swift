import Foundation
import Testing
import TestSupport
import Weights

/// Writes GGUF files with `GGUFWriter`, valid and damaged, and checks what `GGUFFile` reads or says about each.
@Suite final class GGUFFileTests {
    let folder: URL

    init() throws { folder = try Fixtures.temporaryDirectory() }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A small valid file: one key of every scalar type, arrays, and tensors of several types.
    static func sample() -> GGUFWriter {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("lfm2"))
        writer.set("test.u8", .uint8(200))
        writer.set("test.i8", .int8(-100))
        writer.set("test.u16", .uint16(60_000))
        writer.set("test.i16", .int16(-30_000))
        writer.set("lfm2.block_count", .uint32(16))
        writer.set("test.i32", .int32(-2_000_000))
        writer.set("lfm2.rope.freq_base", .float32(1_000_000))
        writer.set("tokenizer.ggml.add_bos_token", .bool(true))
        writer.set("test.u64", .uint64(UInt64.max))
        writer.set("test.i64", .int64(-5_000_000_000))
        writer.set("test.f64", .float64(1e-5))
        writer.set("tokenizer.ggml.tokens", .array(["<|pad|>", "Ġthe", "é", "日本"].map(GGUFValue.string)))
        writer.set("lfm2.attention.head_count_kv", .array([0, 0, 8, 0].map(GGUFValue.int32)))
        writer.set("test.floats", .array([.float32(0.5), .float32(-1)]))
        writer.set("test.empty", .array([]))
        writer.addTensor("token_embd.weight", .bf16, [8, 4])
        writer.addTensor("token_embd_norm.weight", .f32, [8])
        writer.addTensor("blk.0.ffn_up.weight", .q4_0, [64, 2])
        writer.addTensor("blk.0.ffn_down.weight", .q8_0, [32, 3])
        writer.addTensor("blk.0.attn_q.weight", .q4_K, [256, 1])
        writer.addTensor("blk.0.shortconv.conv.weight", .f16, [3, 2, 1, 1])
        return writer
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name + ".gguf") }

    /// Opening `writer`'s file must fail with a message naming the file and every word of `words`.
    func expectRefusal(_ writer: GGUFWriter, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try writer.write(to: url("bad-\(UUID().uuidString)"))
        expectRefusal(file, words, sourceLocation: sourceLocation)
    }

    func expectRefusal(_ file: URL, _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let opened = try GGUFFile(path: file.path)
            Issue.record("opened a damaged file (\(opened.tensorNames.count) tensors)", sourceLocation: sourceLocation)
        } catch {
            let message = String(describing: error)
            for word in words + [file.path] {
                #expect(message.contains(word), "\(message) should mention \(word)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - Valid files

    @Test func readsEveryValueTypeAndTheTensorsAsWritten() throws {
        let writer = Self.sample()
        let file = try GGUFFile(path: try writer.write(to: url("sample")).path)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        for entry in writer.entries {
            let key = String(decoding: entry.key, as: UTF8.self)
            #expect(file.value(key).map(GGUFWriter.encode) == entry.payload, "\(key)")
            #expect(file.value(key).map(GGUFWriter.typeID(of:)) == entry.type, "\(key)")
        }
        #expect(file.metadata.count == writer.entries.count)
        #expect(try file.string("general.architecture") == "lfm2")
        #expect(try file.int("lfm2.block_count") == 16)
        #expect(try file.int("test.i64") == -5_000_000_000)
        #expect(try file.double("lfm2.rope.freq_base") == 1_000_000)
        #expect(try file.double("test.f64") == 1e-5)
        #expect(try file.double("test.u16") == 60_000)
        #expect(try file.bool("tokenizer.ggml.add_bos_token"))
        #expect(try file.strings("tokenizer.ggml.tokens") == ["<|pad|>", "Ġthe", "é", "日本"])
        #expect(try file.ints("lfm2.attention.head_count_kv") == [0, 0, 8, 0])
        #expect(try file.ints("test.empty") == [])
        #expect(file.value("test.u64")?.int == nil)
        #expect(file.value("test.u64")?.double == 18_446_744_073_709_551_615.0)
        #expect(file.value("missing") == nil)

        let names = writer.tensors.map { String(decoding: $0.name, as: UTF8.self) }
        #expect(file.tensorNames == names)
        for (index, (tensor, offset)) in zip(writer.tensors, writer.packedOffsets).enumerated() {
            let info = try #require(file.tensors[names[index]])
            #expect(info.name == names[index])
            #expect(info.type.rawValue == tensor.type)
            #expect(info.dimensions == tensor.dimensions.map { Int($0) })
            #expect(info.offset == offset && offset % 32 == 0)
            #expect(info.byteCount == tensor.data.count)
            #expect(Array(file.rawBytes(of: info)) == tensor.data, "\(info.name)")
        }
        let up = try #require(file.tensors["blk.0.ffn_up.weight"])
        #expect(up.elementCount == 128 && up.byteCount == 4 * 18)
        #expect(ObjectIdentifier(file.owner) == ObjectIdentifier(file))
    }

    @Test func honoursGeneralAlignmentAndVersion2() throws {
        var writer = Self.sample()
        writer.version = 2
        writer.alignment = 64
        writer.set("general.alignment", .uint32(64))
        let file = try GGUFFile(path: try writer.write(to: url("aligned")).path)
        #expect(file.version == 2 && file.alignment == 64)
        for (tensor, offset) in zip(writer.tensors, writer.packedOffsets) {
            let info = try #require(file.tensors[String(decoding: tensor.name, as: UTF8.self)])
            #expect(info.offset == offset && offset % 64 == 0)
            #expect(Array(file.rawBytes(of: info)) == tensor.data)
        }
    }

    @Test func aFileWithoutTensorsOrMetadataIsValid() throws {
        let file = try GGUFFile(path: try GGUFWriter().write(to: url("empty")).path)
        #expect(file.tensors.isEmpty && file.metadata.isEmpty)
    }

    @Test func typedAccessorsNameTheFileAndKey() throws {
        let path = try Self.sample().write(to: url("typed")).path
        let file = try GGUFFile(path: path)
        #expect(throws: WeightsError.missingMetadata(file: path, key: "lfm2.vocab_size")) { _ = try file.int("lfm2.vocab_size") }
        #expect(throws: WeightsError.wrongMetadataType(file: path, key: "lfm2.block_count", expected: "str", actual: "u32")) {
            _ = try file.string("lfm2.block_count")
        }
        #expect(throws: WeightsError.wrongMetadataType(
            file: path, key: "test.u64", expected: "an integer that fits Int", actual: "u64")) { _ = try file.int("test.u64") }
        #expect(throws: WeightsError.self) { _ = try file.ints("tokenizer.ggml.tokens") }
        #expect(throws: WeightsError.self) { _ = try file.strings("general.architecture") }
        #expect(throws: WeightsError.self) { _ = try file.ints("lfm2.block_count") }
        #expect(throws: WeightsError.self) { _ = try file.bool("test.u8") }
        #expect(throws: WeightsError.self) { _ = try file.double("general.architecture") }
        let message = String(describing: WeightsError.wrongMetadataType(file: path, key: "k", expected: "str", actual: "u32"))
        #expect(message.contains(path) && message.contains("'k'") && message.contains("convert it again"))
    }

    /// Tokenizer-sized arrays (65,536 tokens and merges, 65,536 i32 types) parse in well under a second even in a
    /// debug build; the release figure is in the README.
    @Test func largeTokenizerArraysParseQuickly() throws {
        var writer = GGUFWriter()
        let tokens = (0..<65_536).map { "tok\($0)Ġ" }
        writer.set("tokenizer.ggml.tokens", .array(tokens.map(GGUFValue.string)))
        writer.set("tokenizer.ggml.merges", .array((0..<64_000).map { GGUFValue.string("a\($0) b\($0)") }))
        writer.set("tokenizer.ggml.token_type", .array((0..<65_536).map { GGUFValue.int32(Int32($0 % 6)) }))
        let path = try writer.write(to: url("tokenizer")).path
        let clock = ContinuousClock()
        var file: GGUFFile?
        let elapsed = try clock.measure { file = try GGUFFile(path: path) }
        print("GGUF with 65,536 tokens, 64,000 merges, 65,536 token types parsed in \(elapsed)")
        #expect(try file?.strings("tokenizer.ggml.tokens") == tokens)
        #expect(try file?.ints("tokenizer.ggml.token_type").count == 65_536)
        #expect(elapsed < .seconds(5))
    }

    // MARK: - Damaged files

    /// Cutting a valid file anywhere (inside the header, a key, a value, an array, a tensor info, the padding or the
    /// data) must be refused, never crash.
    @Test func everyTruncationIsRefused() throws {
        let bytes = Self.sample().bytes()
        let file = url("truncated")
        for length in 0..<bytes.count {
            try Data(bytes.prefix(length)).write(to: file)
            expectRefusal(file, [length == 0 ? "empty" : "truncated"])
        }
    }

    @Test func wrongMagic() throws {
        var writer = Self.sample()
        writer.magic = Array("GGML".utf8)
        try expectRefusal(writer, "not a GGUF file", "\"GGML\"")
        writer.magic = [0x50, 0x4B, 0x03, 0x04]
        try expectRefusal(writer, "not a GGUF file", "50 4b 03 04")
    }

    @Test func versionsOtherThan2And3() throws {
        var writer = Self.sample()
        writer.version = 1
        try expectRefusal(writer, "version 1", "versions 2 and 3")
        writer.version = 4
        try expectRefusal(writer, "version 4")
        writer.version = 0x0300_0000
        try expectRefusal(writer, "big-endian")
    }

    @Test func countsNear2To64() throws {
        var writer = Self.sample()
        writer.tensorCount = UInt64.max
        try expectRefusal(writer, "truncated", "\(UInt64.max) tensors")
        writer.tensorCount = nil
        writer.entryCount = UInt64.max - 1
        try expectRefusal(writer, "truncated", "\(UInt64.max - 1) metadata entries")
        writer.entryCount = 1 << 62
        try expectRefusal(writer, "truncated")
    }

    @Test func stringLengthNear2To64() throws {
        var writer = Self.sample()
        writer.setRaw("general.name", type: 8, payload: GGUFWriter.le(UInt64.max - 3) + Array("abc".utf8))
        try expectRefusal(writer, "truncated", "key 'general.name'", "\(UInt64.max - 3) bytes")
        var key = Self.sample()
        key.entries[1].keyLength = UInt64.max
        try expectRefusal(key, "truncated", "metadata key #1")
        var empty = Self.sample()
        empty.entries.append(.init(key: [], type: 4, payload: [0, 0, 0, 0]))
        try expectRefusal(empty, "metadata key #\(empty.entries.count - 1) is empty")
    }

    @Test func arrayCountNear2To64() throws {
        for count in [UInt64.max, UInt64.max / 4, 1 << 31, 1 << 20] {
            var writer = Self.sample()
            writer.setRaw("tokenizer.ggml.token_type", type: 9, payload: GGUFWriter.le(UInt32(5)) + GGUFWriter.le(count))
            try expectRefusal(writer, "truncated", "key 'tokenizer.ggml.token_type'", "\(count) array elements")
        }
    }

    /// Arrays that fit the file but would cost 24 bytes per 1-byte element in memory, and headers with millions of
    /// entries, are refused before anything is allocated for them.
    @Test func implausiblyLargeMetadataIsRefused() throws {
        var writer = Self.sample()
        let count = (1 << 24) + 1
        writer.setRaw("test.huge", type: 9, payload: GGUFWriter.le(UInt32(0)) + GGUFWriter.le(UInt64(count))
                      + [UInt8](repeating: 0, count: count))
        try expectRefusal(writer, "key 'test.huge'", "\(count) array elements", "16777216")
        var many = GGUFWriter()
        many.entryCount = (1 << 20) + 1
        many.entries = [GGUFWriter.Entry](repeating: .init(key: Array("k".utf8), type: 0, payload: [0]), count: (1 << 20) + 1)
        try expectRefusal(many, "\((1 << 20) + 1) metadata entries", "at most 1048576")
    }

    @Test func unknownValueTypesAndNestedArrays() throws {
        var writer = Self.sample()
        writer.setRaw("test.weird", type: 13, payload: [0, 0, 0, 0])
        try expectRefusal(writer, "key 'test.weird'", "unknown value type 13")
        writer = Self.sample()
        writer.setRaw("test.nested", type: 9, payload: GGUFWriter.le(UInt32(9)) + GGUFWriter.le(UInt64(0)))
        try expectRefusal(writer, "key 'test.nested'", "array of arrays")
        writer = Self.sample()
        writer.setRaw("test.weird", type: 9, payload: GGUFWriter.le(UInt32(77)) + GGUFWriter.le(UInt64(1)) + [0])
        try expectRefusal(writer, "key 'test.weird'", "unknown value type 77")
    }

    @Test func unknownTensorType() throws {
        for id: UInt32 in [99, 4, 31, UInt32.max] {
            var writer = Self.sample()
            writer.tensors[2].type = id
            try expectRefusal(writer, "'blk.0.ffn_up.weight'", "ggml type id \(id)")
        }
    }

    @Test func dimensionCounts0And5() throws {
        for dimensions: [UInt64] in [[], [1, 1, 1, 1, 8]] {
            var writer = Self.sample()
            writer.tensors[1].dimensions = dimensions
            try expectRefusal(writer, "'token_embd_norm.weight'", "has \(dimensions.count) dimensions")
        }
    }

    @Test func shapesWhoseCountsOverflow() throws {
        var writer = Self.sample()
        writer.tensors[1].dimensions = [1 << 32, 1 << 32]
        try expectRefusal(writer, "'token_embd_norm.weight'", "element count overflows")
        writer.tensors[1].dimensions = [1 << 61, 2]
        try expectRefusal(writer, "'token_embd_norm.weight'", "byte count overflows")
        writer.tensors[1].dimensions = [UInt64.max]
        try expectRefusal(writer, "'token_embd_norm.weight'", "dimension of \(UInt64.max)")
    }

    @Test func rowsThatAreNotWholeBlocks() throws {
        var writer = Self.sample()
        writer.tensors[2].dimensions = [48, 2]
        try expectRefusal(writer, "'blk.0.ffn_up.weight'", "48", "Q4_0 block of 32")
        writer = Self.sample()
        writer.tensors[4].dimensions = [128, 2]
        try expectRefusal(writer, "'blk.0.attn_q.weight'", "Q4_K block of 256")
    }

    @Test func offsetsPastTheEndOrMisaligned() throws {
        for offset: UInt64 in [1 << 40, UInt64.max - 31, 512] {
            var writer = Self.sample()
            writer.tensors[3].offset = offset
            try expectRefusal(writer, "truncated", "'blk.0.ffn_down.weight'")
        }
        var writer = Self.sample()
        writer.tensors[3].offset = 1
        try expectRefusal(writer, "'blk.0.ffn_down.weight'", "offset 1", "alignment 32")
        writer = Self.sample()
        writer.tensors[5].data.removeLast(2)                    // the file ends inside the last tensor
        try expectRefusal(writer, "truncated", "'blk.0.shortconv.conv.weight'")
    }

    @Test func overlappingTensors() throws {
        var writer = Self.sample()
        writer.tensors[3].offset = UInt64(writer.packedOffsets[2])
        try expectRefusal(writer, "overlap", "'blk.0.ffn_up.weight'", "'blk.0.ffn_down.weight'")
    }

    @Test func alignmentsThatAreNotPowersOfTwo() throws {
        for value in [GGUFValue.uint32(0), .uint32(3), .uint32(96), .int32(32), .uint64(32)] {
            var writer = Self.sample()
            writer.set("general.alignment", value)
            try expectRefusal(writer, "key 'general.alignment'", "power of two")
        }
    }

    @Test func duplicateKeysAndTensors() throws {
        var writer = Self.sample()
        writer.set("lfm2.block_count", .uint32(17))
        try expectRefusal(writer, "'lfm2.block_count' appears twice")
        writer = Self.sample()
        writer.addTensor("token_embd_norm.weight", .f32, [8])
        try expectRefusal(writer, "'token_embd_norm.weight' appears twice")
    }

    @Test func invalidUTF8() throws {
        let bad: [UInt8] = [0x61, 0xC3, 0x28]                     // "a" then a broken two-byte sequence
        var writer = Self.sample()
        writer.entries[0].key = bad
        try expectRefusal(writer, "metadata key #0", "not valid UTF-8")
        writer = Self.sample()
        writer.setRaw("general.name", type: 8, payload: GGUFWriter.le(UInt64(bad.count)) + bad)
        try expectRefusal(writer, "key 'general.name'", "not valid UTF-8")
        writer = Self.sample()
        writer.setRaw("tokenizer.ggml.merges", type: 9, payload: GGUFWriter.le(UInt32(8)) + GGUFWriter.le(UInt64(2))
                      + GGUFWriter.string("a b") + GGUFWriter.le(UInt64(2)) + [0xED, 0xA0])   // a lone surrogate half
        try expectRefusal(writer, "key 'tokenizer.ggml.merges'", "not valid UTF-8")
        writer = Self.sample()
        writer.tensors[2].name = [0xFF, 0xFE]
        try expectRefusal(writer, "tensor #2", "not valid UTF-8")
    }

    @Test func emptyAndTinyFiles() throws {
        let empty = url("empty")
        try Data().write(to: empty)
        expectRefusal(empty, ["empty"])
        let tiny = url("tiny")
        try Data("GG".utf8).write(to: tiny)
        expectRefusal(tiny, ["truncated", "magic"])
        expectRefusal(url("does-not-exist"), ["cannot read"])
    }
}
