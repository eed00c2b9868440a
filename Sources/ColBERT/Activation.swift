import Foundation

/// The activation of a Dense layer, named in its config.json by the PyTorch class path PyLate imports
/// (`torch.nn.modules.linear.Identity` for the LFM2 ColBERT models). Each is instantiated with PyTorch's defaults
/// (so GELU is the exact erf form). Unknown names are refused at load time.
public enum Activation: String, Sendable, Equatable {
    case identity = "Identity"
    case tanh = "Tanh"
    case relu = "ReLU"
    case gelu = "GELU"
    case sigmoid = "Sigmoid"

    /// Parses `torch.nn.modules.activation.Tanh`, `torch.nn.Tanh` and the like; nil for anything else.
    init?(pytorchName name: String) {
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 3, parts[0] == "torch", parts[1] == "nn", let last = parts.last else { return nil }
        self.init(rawValue: last)
    }

    /// Applies the activation in place to `count` values.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity:
            return
        case .tanh:
            for i in 0..<count { x[i] = tanhf(x[i]) }
        case .relu:
            for i in 0..<count { x[i] = max(x[i], 0) }
        case .gelu:
            for i in 0..<count { x[i] = 0.5 * x[i] * (1 + Float(erf(Double(x[i]) / 2.0.squareRoot()))) }
        case .sigmoid:
            for i in 0..<count { x[i] = 1 / (1 + expf(-x[i])) }
        }
    }
}
