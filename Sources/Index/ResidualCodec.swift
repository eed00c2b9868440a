import Kernels

/// PLAID's residual compression (Santhanam et al. 2022; ColBERT `colbert/indexing/codecs/residual.py`): a token
/// vector `v` is stored as its nearest centroid `c` (its code in `passage_codes`) plus the residual `v − c` quantised
/// per dimension into one of 2^bits buckets; decoding adds the bucket's reconstruction value to the centroid and
/// re-normalises. The buckets are learned from the residual distribution of a sample, all dimensions pooled, as
/// PLAID does: cut-points at the quantiles i / 2^bits, reconstruction values at the quantiles (i + ½) / 2^bits, so
/// every bucket is equally used.
///
/// The residuals are taken against the **fine** centroids (8,192–65,536 of them), not the √K coarse cells: the
/// quantisation error grows with the residual's spread, and a token is on average much closer to its fine centroid
/// (cosine ≈ 0.9 on the benchmark corpus) than to its cell's centre. The fine code is already stored for candidate
/// generation, so it costs nothing extra: a token is 2 bytes of code plus `dimension × bits / 8` bytes of residual
/// (34 bytes at 2 bits and 128 dimensions, against 256 for float16).
///
/// Packing: byte j of a token holds dimensions `j·p ..< (j+1)·p` (p = 8 / bits), dimension `j·p + k` in bits
/// `k·bits ..< (k+1)·bits` (lowest first).
public struct ResidualCodec: Sendable, Equatable {
    public static let supportedBits = [1, 2, 4]

    public let bits: Int
    public let dimension: Int
    /// 2^bits − 1 ascending cut-points: a residual value falls in bucket `#{cutoffs < value}`.
    public let cutoffs: [Float]
    /// 2^bits ascending reconstruction values, one per bucket.
    public let weights: [Float]
    /// `[256, 8 / bits]`: the reconstruction values of every residual byte, so decoding reads one table row per byte
    /// (PLAID's decompression uses the same 256-entry table).
    private let table: [Float]

    /// A codec with invalid parameters (read back from a damaged file, or asked for by mistake).
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(bits: Int, dimension: Int, cutoffs: [Float], weights: [Float]) throws(Invalid) {
        guard Self.supportedBits.contains(bits) else { throw Invalid(description: "\(bits) bits per value (1, 2 or 4 are supported)") }
        guard dimension > 0, dimension <= EncoderIdentity.maximumDimension, dimension * bits % 8 == 0 else {
            throw Invalid(description: "dimension \(dimension) does not pack into whole bytes at \(bits) bits")
        }
        let buckets = 1 << bits
        guard cutoffs.count == buckets - 1, weights.count == buckets else {
            throw Invalid(description: "\(cutoffs.count) cut-points and \(weights.count) weights for \(buckets) buckets")
        }
        guard cutoffs.allSatisfy(\.isFinite), weights.allSatisfy(\.isFinite),
              zip(cutoffs, cutoffs.dropFirst()).allSatisfy({ $0 <= $1 }),
              zip(weights, weights.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw Invalid(description: "cut-points or weights are not finite and ascending")
        }
        self.bits = bits
        self.dimension = dimension
        self.cutoffs = cutoffs
        self.weights = weights
        let perByte = 8 / bits, mask = buckets - 1
        var table = [Float](repeating: 0, count: 256 * perByte)
        for byte in 0..<256 {
            for k in 0..<perByte { table[byte * perByte + k] = weights[(byte >> (k * bits)) & mask] }
        }
        self.table = table
    }

    public static func == (a: ResidualCodec, b: ResidualCodec) -> Bool {
        a.bits == b.bits && a.dimension == b.dimension && a.cutoffs == b.cutoffs && a.weights == b.weights
    }

    /// Bytes of one token's packed residual.
    public var bytesPerToken: Int { dimension * bits / 8 }

    // MARK: - Training

    /// Learns the buckets from `residuals` (`v − centroid(v)` of sample tokens, any number of rows of `dimension`
    /// values; all values pooled). At most `maximumValues` evenly spaced values are sorted.
    public static func train(residuals: [Float], bits: Int, dimension: Int, maximumValues: Int = 1 << 22) throws(Invalid)
        -> ResidualCodec {
        guard !residuals.isEmpty else { throw Invalid(description: "no residuals to learn buckets from") }
        let step = max(1, residuals.count / max(maximumValues, 1))
        var values = stride(from: 0, to: residuals.count, by: step).map { residuals[$0] }.filter(\.isFinite)
        guard !values.isEmpty else { throw Invalid(description: "no finite residuals to learn buckets from") }
        values.sort()
        func quantile(_ q: Double) -> Float {
            // Linear interpolation between the closest ranks (torch.quantile's default, which PLAID uses).
            let position = q * Double(values.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, values.count - 1)
            let t = Float(position - Double(low))
            return values[low] + t * (values[high] - values[low])
        }
        let buckets = 1 << bits
        let cutoffs = (1..<buckets).map { quantile(Double($0) / Double(buckets)) }
        let weights = (0..<buckets).map { quantile((Double($0) + 0.5) / Double(buckets)) }
        return try ResidualCodec(bits: bits, dimension: dimension, cutoffs: cutoffs, weights: weights)
    }

    // MARK: - Encoding

    /// Packs the residual of `vector` against `centroid` (both `dimension` values) into `bytesPerToken` bytes at `out`.
    public func encode(_ vector: UnsafePointer<Float>, centroid: UnsafePointer<Float>, into out: UnsafeMutablePointer<UInt8>) {
        let perByte = 8 / bits
        for j in 0..<bytesPerToken {
            var byte = 0
            for k in 0..<perByte {
                let d = j * perByte + k
                let residual = vector[d] - centroid[d]
                var bucket = 0
                while bucket < cutoffs.count && cutoffs[bucket] < residual { bucket += 1 }
                byte |= bucket << (k * bits)
            }
            out[j] = UInt8(byte)
        }
    }

    /// The packed residuals `[count, bytesPerToken]` of `count` vectors `[count, dimension]` against their codes.
    public func encode(_ vectors: UnsafePointer<Float>, count: Int, codes: [UInt32], centroids: CentroidSet) -> [UInt8] {
        precondition(codes.count == count && centroids.dimension == dimension, "codes or centroids do not fit the vectors")
        var packed = [UInt8](repeating: 0, count: count * bytesPerToken)
        centroids.vectors.withUnsafeBufferPointer { c in
            packed.withUnsafeMutableBufferPointer { out in
                for t in 0..<count {
                    encode(vectors + t * dimension, centroid: c.baseAddress! + Int(codes[t]) * dimension,
                           into: out.baseAddress! + t * bytesPerToken)
                }
            }
        }
        return packed
    }

    // MARK: - Decoding

    /// Rebuilds one unit vector: `normalise(centroid + weights[bucket])` from `bytesPerToken` bytes at `packed`.
    @inline(__always)
    public func decode(_ packed: UnsafeRawPointer, centroid: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { table in
            let lut = UnsafeRawPointer(table.baseAddress!)
            let c = UnsafeRawPointer(centroid)
            let o = UnsafeMutableRawPointer(out)
            switch bits {
            case 1:
                for j in 0..<bytesPerToken {
                    let row = lut.loadUnaligned(fromByteOffset: 32 * Int(packed.load(fromByteOffset: j, as: UInt8.self)), as: SIMD8<Float>.self)
                    o.storeBytes(of: row + c.loadUnaligned(fromByteOffset: 32 * j, as: SIMD8<Float>.self), toByteOffset: 32 * j, as: SIMD8<Float>.self)
                }
            case 2:
                for j in 0..<bytesPerToken {
                    let row = lut.loadUnaligned(fromByteOffset: 16 * Int(packed.load(fromByteOffset: j, as: UInt8.self)), as: SIMD4<Float>.self)
                    o.storeBytes(of: row + c.loadUnaligned(fromByteOffset: 16 * j, as: SIMD4<Float>.self), toByteOffset: 16 * j, as: SIMD4<Float>.self)
                }
            default:
                for j in 0..<bytesPerToken {
                    let row = lut.loadUnaligned(fromByteOffset: 8 * Int(packed.load(fromByteOffset: j, as: UInt8.self)), as: SIMD2<Float>.self)
                    o.storeBytes(of: row + c.loadUnaligned(fromByteOffset: 8 * j, as: SIMD2<Float>.self), toByteOffset: 8 * j, as: SIMD2<Float>.self)
                }
            }
        }
        Self.normalise(out, count: dimension)
    }

    /// Rebuilds `count` vectors `[count, dimension]` from their codes (`count` u16 LE) and packed residuals
    /// (`count × bytesPerToken`). Returns false, writing nothing useful, when the lengths do not match or a code names
    /// no centroid (a damaged row: the caller reports it).
    public func decode(codes: UnsafeRawBufferPointer, residuals: UnsafeRawBufferPointer, count: Int, centroids: CentroidSet,
                       into out: UnsafeMutablePointer<Float>) -> Bool {
        guard count >= 0, codes.count == 2 * count, residuals.count == count * bytesPerToken,
              centroids.dimension == dimension else { return false }
        guard count > 0 else { return true }
        let codeBase = codes.baseAddress!, residualBase = residuals.baseAddress!
        return centroids.vectors.withUnsafeBufferPointer { c in
            for t in 0..<count {
                let code = Int(UInt16(littleEndian: codeBase.loadUnaligned(fromByteOffset: 2 * t, as: UInt16.self)))
                guard code < centroids.count else { return false }
                decode(residualBase + t * bytesPerToken, centroid: c.baseAddress! + code * dimension, into: out + t * dimension)
            }
            return true
        }
    }

    /// Scales `count` values to unit length (16 lanes at a time while they last).
    @inline(__always)
    static func normalise(_ v: UnsafeMutablePointer<Float>, count: Int) {
        let raw = UnsafeMutableRawPointer(v)
        var sum = SIMD16<Float>(repeating: 0)
        var d = 0
        while d + 16 <= count {
            let x = raw.loadUnaligned(fromByteOffset: 4 * d, as: SIMD16<Float>.self)
            sum += x * x
            d += 16
        }
        var norm = sum.sum()
        for i in d..<count { norm += v[i] * v[i] }
        guard norm > 0 else { return }
        let scale = 1 / norm.squareRoot()
        d = 0
        while d + 16 <= count {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 4 * d, as: SIMD16<Float>.self) * scale, toByteOffset: 4 * d,
                           as: SIMD16<Float>.self)
            d += 16
        }
        for i in d..<count { v[i] *= scale }
    }
}
