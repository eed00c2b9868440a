import Kernels
import Weights

/// Where an LFM2 model's tensors come from, named as in the Hugging Face checkpoint (`model.layers.3.conv.in_proj.weight`)
/// whatever the file format: a safetensors `WeightStore`, or a GGUF file through `GGUFCheckpoint`, which translates
/// llama.cpp's names and dimension order. `LFM2Weights.load` reads both through this one interface.
protocol CheckpointTensors {
    /// The folder or file, for error messages.
    var source: String { get }
    func contains(_ name: String) -> Bool
    /// The tensor's shape in PyTorch order (`[out, in]`), nil when absent.
    func shape(of name: String) -> [Int]?
    /// The file that holds `name`, for error messages.
    func path(of name: String) -> String
    /// A `[rows, cols]` weight at the precision `precision` asks for: a view into the memory map when that is the
    /// stored type (nothing read until a kernel touches it), else a converted copy.
    func matrix(_ name: String, rows: Int, cols: Int, precision: Precision) throws -> WeightMatrix
    /// A small tensor (a norm, the conv kernel) widened to Float, its shape checked.
    func vector(_ name: String, shape: [Int]) throws -> [Float]
    /// The error for a tensor whose shape disagrees with the configuration, in the file's own terms.
    func shapeError(_ name: String, expected: [Int], actual: [Int]) -> Error
}

extension WeightStore: CheckpointTensors {
    func shape(of name: String) -> [Int]? { info(name)?.shape }

    func matrix(_ name: String, rows: Int, cols: Int, precision: Precision) throws -> WeightMatrix {
        let tensor = try stored(name, shape: [rows, cols])
        let type: ElementType
        switch tensor.info.dtype {
        case .f32: type = .f32
        case .f16: type = .f16
        case .bf16: type = .bf16
        }
        let view = WeightMatrix(rows: rows, cols: cols, type: type, viewing: tensor.bytes.baseAddress!, owner: tensor.owner)
        return view.converted(to: precision.storage(for: type))
    }

    func vector(_ name: String, shape: [Int]) throws -> [Float] { try floats(name, shape: shape) }

    func shapeError(_ name: String, expected: [Int], actual: [Int]) -> Error {
        WeightsError.wrongShape(name: name, source: path(of: name), expected: expected, actual: actual)
    }
}
