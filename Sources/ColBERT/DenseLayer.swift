import Foundation
import Kernels
import Weights

/// One PyLate `Dense` module as its folder's config.json describes it. Missing keys take the defaults of
/// `pylate.models.Dense.__init__` (bias true, Identity, no residual).
public struct DenseLayerConfig: Sendable, Equatable {
    /// The module's folder relative to the model folder (`1_Dense`).
    public var path: String
    public var inFeatures: Int
    public var outFeatures: Int
    public var bias: Bool
    public var activation: Activation
    /// `use_residual`: adds the input (or its own `residual` projection when the widths differ) to the output.
    public var useResidual: Bool

    static func load(directory: URL, path: String) throws -> DenseLayerConfig {
        let file = try JSONFile.read(directory.appendingPathComponent("config.json"))
        let object = try file.object()
        guard let inFeatures = try file.int("in_features", in: object), inFeatures > 0 else {
            throw ColBERTError.invalidField(file: file.path, field: "in_features", problem: "is missing or not positive")
        }
        guard let outFeatures = try file.int("out_features", in: object), outFeatures > 0 else {
            throw ColBERTError.invalidField(file: file.path, field: "out_features", problem: "is missing or not positive")
        }
        var activation = Activation.identity
        if let name = try file.string("activation_function", in: object) {
            guard let parsed = Activation(pytorchName: name) else {
                throw ColBERTError.unsupported(file: file.path, detail: "activation_function \"\(name)\" is not supported; "
                    + "Ferret runs Identity, Tanh, ReLU, GELU and Sigmoid (torch.nn classes with default arguments).")
            }
            activation = parsed
        }
        return DenseLayerConfig(path: path, inFeatures: inFeatures, outFeatures: outFeatures,
                                bias: try file.bool("bias", in: object) ?? true, activation: activation,
                                useResidual: try file.bool("use_residual", in: object) ?? false)
    }
}

/// A loaded Dense projection: `y = activation(x·Wᵀ + b)` (+ residual), applied to every kept token row.
struct DenseLayer: Sendable {
    let config: DenseLayerConfig
    let weight: WeightMatrix  // linear.weight   [out, in], F32
    let bias: [Float]?        // linear.bias     [out]
    let residual: WeightMatrix?  // residual.weight [out, in], only when use_residual and in ≠ out

    init(config: DenseLayerConfig, weight: WeightMatrix, bias: [Float]?, residual: WeightMatrix?) {
        self.config = config
        self.weight = weight
        self.bias = bias
        self.residual = residual
    }

    /// Reads `model.safetensors` of the layer's folder.
    static func load(directory: URL, config: DenseLayerConfig) throws -> DenseLayer {
        let file = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let pickled = FileManager.default.fileExists(atPath: directory.appendingPathComponent("pytorch_model.bin").path)
            throw ColBERTError.unsupported(
                file: file.path,
                detail: pickled ? "the Dense weights are only in pytorch_model.bin, which Ferret does not read. Save the "
                    + "model again with safe_serialization=True (PyLate's default) to get model.safetensors."
                    : "the Dense layer has no weights file. Download the model folder again.")
        }
        let store = try WeightStore.open(file: file)
        let (n, k) = (config.outFeatures, config.inFeatures)
        let weight = WeightMatrix(rows: n, cols: k, values: try store.floats("linear.weight", shape: [n, k]))
        let bias = config.bias ? try store.floats("linear.bias", shape: [n]) : nil
        var residual: WeightMatrix?
        if config.useResidual && n != k {
            residual = WeightMatrix(rows: n, cols: k, values: try store.floats("residual.weight", shape: [n, k]))
        }
        return DenseLayer(config: config, weight: weight, bias: bias, residual: residual)
    }

    /// `x` is `[rows, in]`; returns `[rows, out]`.
    func apply(_ x: Matrix) -> Matrix {
        precondition(x.cols == config.inFeatures, "Dense input width \(x.cols), expected \(config.inFeatures)")
        let out = config.outFeatures
        let y = Matrix(rows: x.rows, cols: out)
        guard x.rows > 0 else { return y }
        LinearAlgebra.linear(x.data, rows: x.rows, weight: weight, into: y.data)  // [rows, out]
        if let bias {
            for r in 0..<x.rows {
                let row = y.row(r)
                for c in 0..<out { row[c] += bias[c] }
            }
        }
        config.activation.apply(y.data, count: y.count)
        if config.useResidual {
            if let residual {
                let projected = Matrix(rows: x.rows, cols: out)  // [rows, out]
                LinearAlgebra.linear(x.data, rows: x.rows, weight: residual, into: projected.data)
                Elementwise.add(projected.data, into: y.data, count: y.count)
            } else {
                Elementwise.add(x.data, into: y.data, count: y.count)
            }
        }
        return y
    }
}
