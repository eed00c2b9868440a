import Foundation

/// How token vectors are stored in `passage_vectors.vectors`: one BLOB per passage, `[count, dimension]` row-major,
/// little-endian. The index records its encoding in `meta` (`vector.encoding`); readers decode with this type.
public enum VectorEncoding: String, Sendable, Codable, CaseIterable {
    /// IEEE half precision, 2 bytes per value: 256 B per 128-d token, no measurable loss for unit-norm vectors.
    case float16
    /// IEEE single precision, 4 bytes per value (exact; twice the space).
    case float32

    public var bytesPerValue: Int {
        switch self {
        case .float16: 2
        case .float32: 4
        }
    }

    /// Bytes of `tokens` vectors of `dimension` values, or nil when a count read back from a damaged file is negative
    /// or the product does not fit an Int (it would trap).
    public func byteCount(tokens: Int, dimension: Int) -> Int? {
        guard tokens >= 0, dimension >= 0 else { return nil }
        let (values, overflow) = tokens.multipliedReportingOverflow(by: dimension)
        let (bytes, bytesOverflow) = values.multipliedReportingOverflow(by: bytesPerValue)
        return overflow || bytesOverflow ? nil : bytes
    }

    /// Packs `values` into the stored byte layout.
    public func encode(_ values: [Float]) -> Data {
        switch self {
        case .float16:
            var data = Data(count: values.count * 2)
            data.withUnsafeMutableBytes { raw in
                for (i, value) in values.enumerated() {
                    raw.storeBytes(of: HalfFloat.encodeOne(value), toByteOffset: 2 * i, as: UInt16.self)
                }
            }
            return data
        case .float32:
            var data = Data(count: values.count * 4)
            data.withUnsafeMutableBytes { raw in
                for (i, value) in values.enumerated() {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            }
            return data
        }
    }

    /// Unpacks `count` values from `bytes` (which must hold at least `count × bytesPerValue`) into `destination`.
    public func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(bytes.count >= count * bytesPerValue, "vector BLOB holds \(bytes.count) bytes, \(count) values asked")
        guard count > 0, let base = bytes.baseAddress else { return }
        switch self {
        case .float16:
            HalfFloat.decode(base, count: count, into: destination)
        case .float32:
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
    }

    /// Convenience for tests and small reads.
    public func decode(_ data: Data) -> [Float] {
        let count = data.count / bytesPerValue
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                if let base = buffer.baseAddress { decode(raw, count: count, into: base) }
            }
            initialized = count
        }
    }
}
