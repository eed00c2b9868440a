/// Element types of safetensors tensors that Ferret can read. Other dtypes named in a header are refused with
/// `WeightsError.unsupportedDType`, not misread.
public enum DType: String, Sendable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    public var byteSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }
}
