import CKernels

/// F32 activations quantised for products with weights of one GGUF block type: llama.cpp's `vec_dot_type` blocks
/// (Q8_0, Q8_1 or Q8_K) followed by the same quants in the orders the SIMD kernels load them. `LinearAlgebra.linear`
/// makes these itself (once per decode step and companion type); tests and benchmarks use this type to call the GEMV
/// and its scalar reference directly.
/// `@unchecked Sendable`: the buffer is written only in init.
public final class QuantizedActivations: @unchecked Sendable {
    /// The weight type these activations are for.
    public let weightType: ElementType
    public let count: Int
    /// The whole buffer, identical on every kernel path.
    public let bytes: UnsafeRawBufferPointer

    /// `x[0 ..< count]` (a multiple of the weight type's block) quantised on `path`.
    public init(_ x: UnsafePointer<Float>, count: Int, for weightType: ElementType, path: KernelPath = .current) {
        precondition(weightType.isQuantized && count % weightType.blockElements == 0,
                     "activations for \(weightType) need whole blocks, got \(count)")
        self.weightType = weightType
        self.count = count
        let size = ck_activation_bytes(weightType.ggml, count)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        ck_quantize_activations(weightType.ggml, x, count, memory, path.c)
        bytes = UnsafeRawBufferPointer(start: memory, count: size)
    }

    deinit { bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }

    /// The companion blocks alone (what llama.cpp's `quantize_row_q8_*_ref` writes).
    public var blocks: UnsafeRawBufferPointer {
        let companion = ck_vec_dot_type(weightType.ggml)
        let size = count / Int(ck_block_elements(companion)) * Int(ck_block_bytes(companion))
        return UnsafeRawBufferPointer(rebasing: bytes[0..<size])
    }

    /// The values the products multiply: each quant times its block's scale.
    public func dequantized() -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            ck_dequantize_row(ck_vec_dot_type(weightType.ggml), bytes.baseAddress, buffer.baseAddress, count)
            initialised = count
        }
    }
}

extension WeightMatrix {
    /// `y[r - rows.lowerBound] = row r · x` over quantised activations on `path`'s GEMV (what `linear` runs per task).
    public func gemv(_ x: QuantizedActivations, rows range: Range<Int>, into y: UnsafeMutablePointer<Float>,
                     path: KernelPath = .current) {
        precondition(x.weightType == type && x.count == cols && range.clamped(to: 0..<rows) == range)
        let rowBytes = type.rowBytes(cols: cols)
        ck_gemv_quant(type.ggml, base + range.lowerBound * rowBytes, rowBytes, range.count, cols, x.bytes.baseAddress,
                      y, path.c)
    }

    /// Row `r` · x by the portable scalar reference (llama.cpp's `ggml_vec_dot_*_generic`).
    public func referenceDot(row r: Int, _ x: QuantizedActivations) -> Float {
        precondition(x.weightType == type && x.count == cols)
        return ck_vec_dot(type.ggml, base + r * type.rowBytes(cols: cols), x.bytes.baseAddress, cols)
    }
}
