import Foundation
import Kernels
@testable import LFM2
import Testing
import TestSupport
import Weights

/// `lfm2moe` GGUF files, in the layout llama.cpp's converter gives the MoE fixture. The converted file is not
/// committed (0.9 MB): scripts/fixtures/lfm2_moe.py records what convert_hf_to_gguf.py wrote (metadata keys with
/// their types, tensor names and ggml dimensions) in lfm2-moe-reference.json, and this test rebuilds the file from the
/// safetensors fixture through Ferret's own name mapping, checks that it produced exactly the converter's tensors,
/// and runs it. llama.cpp's GGUF has no routed_scaling_factor (llama.cpp's lfm2moe graph never scales), so the
/// folder it is compared with is the fixture with routed_scaling_factor 1.
@Suite struct MixtureOfExpertsGGUFTests {
    struct Layout: Decodable {
        struct Entry: Decodable { let key: String; let type: String; let item_type: String?; let value: JSONValue }
        struct Tensor: Decodable { let name: String; let ne: [Int] }
        let converter: String
        let metadata: [Entry]
        let tensors: [Tensor]
    }
    struct Reference: Decodable {
        struct Prompt: Decodable { let ids: [Int] }
        let gguf_layout: Layout
        let prompts: [Prompt]
    }

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-moe-reference.json")

    static func value(_ type: String, _ item: String?, _ json: JSONValue) -> GGUFValue {
        switch type {
        case "STRING": return .string(json.string!)
        case "UINT32": return .uint32(UInt32(json.int!))
        case "INT32": return .int32(Int32(json.int!))
        case "UINT64": return .uint64(UInt64(json.int!))
        case "FLOAT32": return .float32(Float(json.double!))
        case "BOOL": return .bool(json.bool!)
        case "ARRAY": return .array(json.array!.map { value(item!, nil, $0) })
        default: preconditionFailure("metadata type \(type) not expected in the layout")
        }
    }

    /// The fixture's BF16 tensors under their GGUF names (through `GGUFCheckpoint`'s mapping), experts stacked.
    static func ggufTensors() throws -> [String: (ne: [Int], data: [UInt8])] {
        let store = try WeightStore.open(directory: Fixtures.url("lfm2-moe-tiny"))
        var plain: [String: (ne: [Int], data: [UInt8])] = [:]
        var experts: [String: [Int: (ne: [Int], data: [UInt8])]] = [:]
        for name in store.names {
            let tensor = try store.stored(name)
            var ne = Array(tensor.info.shape.reversed())
            if name.hasSuffix("conv.conv.weight") { ne.removeAll { $0 == 1 } }   // [H, 1, L] squeezed to {L, H}
            let bytes = [UInt8](tensor.bytes)
            if let slice = GGUFCheckpoint.expertSlice(name) {
                experts[slice.tensor, default: [:]][slice.expert] = (ne, bytes)
            } else {
                let gguf = try #require(GGUFCheckpoint.ggufName(name), "no GGUF name for \(name)")
                plain[gguf] = (ne, bytes)
            }
        }
        for (stacked, slices) in experts {
            let ordered = (0..<slices.count).map { slices[$0]! }
            plain[stacked] = (ordered[0].ne + [slices.count], ordered.flatMap(\.data))
        }
        return plain
    }

    /// The GGUF file: the converter's metadata, the dense GGUF fixture's tokenizer keys (same tokenizer files), and
    /// the fixture's tensors, all BF16 as stored. `edit` damages it.
    static func writeGGUF(edit: (inout GGUFWriter) -> Void = { _ in }) throws -> URL {
        var writer = GGUFWriter()
        for entry in reference.gguf_layout.metadata {
            writer.set(entry.key, value(entry.type, entry.item_type, entry.value))
        }
        let dense = try GGUFFile(path: Fixtures.url("gguf/lfm2-tiny-f32.gguf").path)
        for key in dense.metadata.keys.sorted() where key.hasPrefix("tokenizer.") {
            writer.set(key, dense.metadata[key]!)
        }
        let tensors = try ggufTensors()
        for entry in reference.gguf_layout.tensors {
            let tensor = tensors[entry.name]!
            writer.tensors.append(GGUFWriter.Tensor(name: Array(entry.name.utf8), dimensions: tensor.ne.map(UInt64.init),
                                                    type: GGMLType.bf16.rawValue, data: tensor.data))
        }
        edit(&writer)
        return try writer.write(to: try Fixtures.temporaryDirectory().appendingPathComponent("lfm2-moe-tiny.gguf"))
    }

    /// The fixture folder with routed_scaling_factor 1, as a GGUF of it runs.
    static func unscaledFolder() throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("lfm2-moe-tiny")
        try FileManager.default.copyItem(at: Fixtures.url("lfm2-moe-tiny"), to: folder)
        let url = folder.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        config["routed_scaling_factor"] = 1.0
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        return folder
    }

    @Test func ferretsNameMappingGivesTheConvertersTensors() throws {
        let produced = try Self.ggufTensors().mapValues(\.ne)
        let expected = Dictionary(uniqueKeysWithValues: Self.reference.gguf_layout.tensors.map { ($0.name, $0.ne) })
        let onlyFerret = Set(produced.keys).subtracting(expected.keys).sorted()
        let onlyConverter = Set(expected.keys).subtracting(produced.keys).sorted()
        #expect(onlyFerret.isEmpty && onlyConverter.isEmpty,
                "only Ferret: \(onlyFerret); only the converter: \(onlyConverter)")
        for (name, ne) in expected { #expect(produced[name] == ne, "\(name): converter \(ne), Ferret \(produced[name] ?? [])") }
    }

    @Test func runsLikeTheFolderItWasConvertedFrom() throws {
        let file = try Self.writeGGUF()
        let folder = try Self.unscaledFolder()
        defer {
            try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
        }
        for precision in [Precision.f32, .auto] {
            let gguf = try LFM2Model.load(gguf: GGUFFile(path: file.path), precision: precision)
            let safetensors = try LFM2Model.load(directory: folder, precision: precision)
            #expect(gguf.config.experts == MixtureOfExpertsConfig(count: 8, perToken: 3, width: 24, denseLayers: 1))
            #expect(gguf.config.layerKinds == safetensors.config.layerKinds && gguf.config.ffnWidth == 96)
            for prompt in Self.reference.prompts {
                // The same BF16 bytes through the same kernels: identical logits.
                #expect(try gguf.logits(allPositions: prompt.ids) == safetensors.logits(allPositions: prompt.ids))
            }
        }
    }

    /// Quantised experts are views of whole block rows of the stacked tensor. The gate and up experts (inner width
    /// H = 64, two Q8_0 blocks a row) are quantised to Q8_0 and compared with the same file holding their exact
    /// dequantised values in F32: widened at load they must be identical, and the Q8_0 GEMV of decode differs only
    /// by its activations' rounding (a percent or so), while a slice off by one expert or row moves the logits by
    /// their whole scale.
    @Test func quantisedExpertsAreSlicedByBlocks() throws {
        var quantised: [String: (q8: [UInt8], exact: [UInt8])] = [:]
        for (name, tensor) in try Self.ggufTensors()
        where name.hasSuffix("ffn_gate_exps.weight") || name.hasSuffix("ffn_up_exps.weight") {
            let floats = stride(from: 0, to: tensor.data.count, by: 2).map {
                Float(bitPattern: UInt32(tensor.data[$0]) << 16 | UInt32(tensor.data[$0 + 1]) << 24)  // BF16, LE
            }
            let q8 = floats.withUnsafeBufferPointer { QuantizedActivations($0.baseAddress!, count: floats.count, for: .q8_0) }
            let exact = q8.dequantized().withUnsafeBytes { [UInt8]($0) }
            quantised[name] = ([UInt8](q8.blocks), exact)
        }
        #expect(quantised.count == 8, "gate and up of the four sparse blocks")
        func file(_ type: GGMLType, _ pick: @escaping ((q8: [UInt8], exact: [UInt8])) -> [UInt8]) throws -> URL {
            try Self.writeGGUF { writer in
                for index in writer.tensors.indices {
                    guard let data = quantised[String(decoding: writer.tensors[index].name, as: UTF8.self)] else { continue }
                    writer.tensors[index].type = type.rawValue
                    writer.tensors[index].data = pick(data)
                }
            }
        }
        let q8File = try file(.q8_0, \.q8), exactFile = try file(.f32, \.exact)
        defer {
            try? FileManager.default.removeItem(at: q8File.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: exactFile.deletingLastPathComponent())
        }
        // Widened at load, the Q8_0 slices must give exactly the dequantised values: identical logits.
        let ids = Self.reference.prompts[1].ids
        let widened = try LFM2Model.load(gguf: GGUFFile(path: q8File.path), precision: .f32)
        let exactWide = try LFM2Model.load(gguf: GGUFFile(path: exactFile.path), precision: .f32)
        #expect(try widened.logits(allPositions: ids) == exactWide.logits(allPositions: ids))

        let q8 = try LFM2Model.load(gguf: GGUFFile(path: q8File.path))
        let exact = try LFM2Model.load(gguf: GGUFFile(path: exactFile.path))
        guard case .experts(let moe) = q8.weights.blocks[1].feedForward else { Issue.record("block 1 is sparse"); return }
        #expect(moe.experts[5].gate.type == .q8_0 && moe.experts[5].down.type == .bf16)
        // Decode runs the Q8_0 GEMV on the slices, over Q8_0-rounded activations. (Not every position is compared:
        // this unscaled model's routing is not kept away from ties, and the rounding swaps one expert at one position
        // of this prompt, which moves that position's logits by ~1.4.)
        let state = q8.makeSequence(capacity: 64)
        var stepwise = try q8.prefill([ids[0]], state: state)
        for id in ids.dropFirst() {
            try stepwise.withUnsafeMutableBufferPointer { try q8.decode(id, state: state, logits: $0.baseAddress!) }
        }
        let decode = Difference(expected: try exact.prefill(ids, state: exact.makeSequence(capacity: 64)), actual: stepwise)
        print("lfm2moe Q8_0 experts, decode: \(decode)")
        #expect(decode.relative < 2e-2, "\(decode)")
    }

    func loadError(_ edit: (inout GGUFWriter) -> Void) throws -> String {
        let file = try Self.writeGGUF(edit: edit)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        do {
            _ = try LFM2Model.load(gguf: GGUFFile(path: file.path))
            return "loaded without an error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func damagedFilesNameTheKeyOrTensor() throws {
        let tooMany = try loadError { $0.replace("lfm2moe.expert_used_count", with: .uint32(9)) }
        #expect(tooMany.contains("lfm2moe.expert_used_count") && tooMany.contains("expert_count (8)")
                && tooMany.contains(".gguf"), "\(tooMany)")
        let softmax = try loadError { $0.replace("lfm2moe.expert_gating_func", with: .uint32(1)) }
        #expect(softmax.contains("expert_gating_func") && softmax.contains("sigmoid"), "\(softmax)")
        let missing = try loadError { $0.tensors.removeAll { $0.name == Array("blk.3.ffn_up_exps.weight".utf8) } }
        #expect(missing.contains("blk.3.ffn_up_exps.weight") && missing.contains("missing"), "\(missing)")
        let shape = try loadError { writer in
            let index = writer.tensors.firstIndex { $0.name == Array("blk.2.ffn_down_exps.weight".utf8) }!
            writer.tensors[index].dimensions = [64, 24, 8]   // {W, H, E} written as {H, W, E}: same bytes
        }
        #expect(shape.contains("blk.2.ffn_down_exps.weight") && shape.contains("{64, 24}, expected {24, 64}"), "\(shape)")
    }
}
