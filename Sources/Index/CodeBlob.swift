import Foundation

/// Little-endian unsigned integers packed in a BLOB: centroid codes (2 bytes), token ids and posting lists (4 bytes).
enum CodeBlob {
    static func encode(_ values: [UInt32], width: Int) -> Data {
        var data = Data(count: values.count * width)
        data.withUnsafeMutableBytes { raw in
            if width == 2 {
                for (i, v) in values.enumerated() { raw.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            } else {
                for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
            }
        }
        return data
    }

    /// Values of a BLOB written by `encode` with the same width (centroid codes: 2; ids and postings: 4).
    static func decode(_ data: Data, width: Int) -> [UInt32] {
        return data.withUnsafeBytes { raw in
            let count = raw.count / width
            if width == 2 {
                return (0..<count).map { UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
            }
            return (0..<count).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        }
    }
}
