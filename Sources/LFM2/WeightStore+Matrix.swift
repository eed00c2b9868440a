import Kernels
import Weights

extension WeightStore {
    /// A `[rows, cols]` weight at the precision `precision` asks for: a view into the memory map when that is the
    /// stored type (nothing read until a kernel touches it), else a converted copy.
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
}
