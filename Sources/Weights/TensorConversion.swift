/// Widening conversions from the on-disk element types to Float. BF16 → F32 is exact (the top 16 bits of an F32);
/// F16 → F32 is exact as well.
enum TensorConversion {
    static func toFloat(_ bytes: UnsafeRawBufferPointer, dtype: DType, into out: UnsafeMutableBufferPointer<Float>) {
        switch dtype {
        case .f32:
            for i in 0..<out.count {
                out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .bf16:
            for i in 0..<out.count {
                let half = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                out[i] = Float(bitPattern: UInt32(half) << 16)
            }
        case .f16:
            for i in 0..<out.count {
                let half = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                out[i] = Float(Float16(bitPattern: half))
            }
        }
    }
}
