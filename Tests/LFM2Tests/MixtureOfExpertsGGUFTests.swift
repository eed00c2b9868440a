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
