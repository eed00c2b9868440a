import Foundation
import Kernels
import Weights

/// An LFM2 GGUF file (llama.cpp's `convert_hf_to_gguf.py` and `llama-quantize` layout, spec §6) seen through Hugging
/// Face tensor names, so `LFM2Weights.load` reads it like a safetensors folder. Matrices stay in the memory map at
/// their stored type (F32, F16, BF16 or one of the quantised block formats); ggml lists dimensions innermost first,
/// so a PyTorch `[out, in]` matrix is `{in, out}` there with identical bytes.
struct GGUFCheckpoint: CheckpointTensors {
    let file: GGUFFile

    var source: String { file.path }

    /// Hugging Face name → GGUF name (`model.layers.3.feed_forward.w1.weight` → `blk.3.ffn_gate.weight`).
    static func ggufName(_ name: String) -> String? {
        if let slice = expertSlice(name) { return slice.tensor }
        switch name {
        case "model.embed_tokens.weight": return "token_embd.weight"
        case "model.embedding_norm.weight": return "token_embd_norm.weight"
        case "lm_head.weight": return "output.weight"
        default: break
        }
        let parts = name.split(separator: ".", maxSplits: 3)
        guard parts.count == 4, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]),
              let suffix = blockNames[String(parts[3])] else { return nil }
        return "blk.\(layer).\(suffix)"
    }

    private static let blockNames = [
        "operator_norm.weight": "attn_norm.weight",
        "ffn_norm.weight": "ffn_norm.weight",
        "feed_forward.w1.weight": "ffn_gate.weight",
        "feed_forward.w3.weight": "ffn_up.weight",
        "feed_forward.w2.weight": "ffn_down.weight",
        "conv.in_proj.weight": "shortconv.in_proj.weight",
        "conv.conv.weight": "shortconv.conv.weight",
        "conv.out_proj.weight": "shortconv.out_proj.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.out_proj.weight": "attn_output.weight",
        "self_attn.q_layernorm.weight": "attn_q_norm.weight",
        "self_attn.k_layernorm.weight": "attn_k_norm.weight",
        "feed_forward.gate.weight": "ffn_gate_inp.weight",      // lfm2moe router
        "feed_forward.expert_bias": "exp_probs_b.bias",
    ]

    /// The GGUF tensor for a Hugging Face name; the final norm also goes by ollama's `output_norm.weight`.
    private func tensor(_ name: String) -> GGUFTensorInfo? {
        guard let gguf = Self.ggufName(name) else { return nil }
        if let info = file.tensors[gguf] { return info }
        return name == "model.embedding_norm.weight" ? file.tensors["output_norm.weight"] : nil
    }

    func contains(_ name: String) -> Bool { tensor(name) != nil }

    /// PyTorch order; the conv kernel, `[H, 1, L]` in the checkpoint, is stored squeezed as `{L, H}`.
    func shape(of name: String) -> [Int]? {
        guard let info = tensor(name) else { return nil }
        let shape = Array(info.dimensions.reversed())
        if name.hasSuffix("conv.conv.weight"), shape.count == 2 { return [shape[0], 1, shape[1]] }
        if let slice = Self.expertSlice(name), shape.count == 3, slice.expert < shape[0] { return [shape[1], shape[2]] }
        return shape
    }

    func path(of name: String) -> String { file.path }

    private func checked(_ name: String, shape expected: [Int]) throws -> GGUFTensorInfo {
        guard let info = tensor(name) else {
            throw WeightsError.missingTensor(name: Self.ggufName(name) ?? name, source: file.path)
        }
        let actual = shape(of: name) ?? []
        guard actual == expected else { throw shapeError(name, expected: expected, actual: actual) }
        return info
    }

    /// In ggml's order (innermost first, the conv kernel squeezed), as llama.cpp reports shapes.
    func shapeError(_ name: String, expected: [Int], actual: [Int]) -> Error {
        func ggml(_ shape: [Int]) -> [Int] { Array(shape.filter { $0 != 1 || shape.count < 3 }.reversed()) }
        return WeightsError.wrongGGUFShape(name: Self.ggufName(name) ?? name, file: file.path,
                                           expected: ggml(expected), actual: ggml(actual))
    }

    func matrix(_ name: String, rows: Int, cols: Int, precision: Precision) throws -> WeightMatrix {
        let info = try checked(name, shape: [rows, cols])
        let type = try elementType(of: info)
        // One expert of a stacked tensor is a contiguous slice of it (ggml's outermost dimension).
        let offset = (Self.expertSlice(name)?.expert ?? 0) * rows * type.rowBytes(cols: cols)
        let view = WeightMatrix(rows: rows, cols: cols, type: type, viewing: file.rawBytes(of: info).baseAddress! + offset,
                                owner: file.owner)
        return view.converted(to: precision.storage(for: type))
    }

    func vector(_ name: String, shape: [Int]) throws -> [Float] {
        let info = try checked(name, shape: shape)
        let type = try elementType(of: info)
        let count = info.elementCount
        return WeightMatrix(rows: 1, cols: count, type: type, viewing: file.rawBytes(of: info).baseAddress!,
                            owner: file.owner).toFloats()
    }

    /// The storage type Ferret computes with for a GGUF tensor type.
    private func elementType(of info: GGUFTensorInfo) throws -> ElementType {
        switch info.type {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        case .q5_0: return .q5_0
        case .q5_1: return .q5_1
        case .q4_K: return .q4_K
        case .q5_K: return .q5_K
        case .q6_K: return .q6_K
        default:
            throw ModelError.unsupportedModel(
                file: file.path,
                detail: "tensor '\(info.name)' is stored as \(info.type.name); Ferret computes with F32, F16, BF16, "
                    + "Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K. Use a file of one of those types "
                    + "(Liquid publishes Q4_0, Q4_K_M, Q5_K_M, Q6_K, Q8_0, F16 and BF16).")
        }
    }
}

extension GGUFCheckpoint {
    /// llama.cpp stacks an `lfm2moe` block's experts (spec §7): `model.layers.N.feed_forward.experts.E.w1.weight` is
    /// slice E of `blk.N.ffn_gate_exps.weight` (ggml `{H, W, E}`); w3 → `ffn_up_exps`, w2 → `ffn_down_exps` `{W, H, E}`.
    static func expertSlice(_ name: String) -> (tensor: String, expert: Int)? {
        let parts = name.split(separator: ".")
        guard parts.count == 8, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]),
              parts[3] == "feed_forward", parts[4] == "experts", let expert = Int(parts[5]), expert >= 0,
              parts[7] == "weight" else { return nil }
        let stacked: String
        switch parts[6] {
        case "w1": stacked = "ffn_gate_exps"
        case "w3": stacked = "ffn_up_exps"
        case "w2": stacked = "ffn_down_exps"
        default: return nil
        }
        return ("blk.\(layer).\(stacked).weight", expert)
    }
}
