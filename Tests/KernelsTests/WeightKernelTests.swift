import Foundation
import Kernels
import Testing

/// Every kernel path this CPU supports, for every storage type, against Double-precision sums of the stored values.
@Suite struct WeightKernelTests {
    /// Deterministic values in [-2, 2) with some exact zeros and tiny magnitudes mixed in.
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let u = Float(random.unit()) * 4 - 2
            return i % 17 == 0 ? 0 : i % 13 == 0 ? u * 1e-3 : u
        }
    }

    /// `[rows, cols]` weights in `type`, and the values they hold widened back (what the kernels must multiply).
    func weight(_ rows: Int, _ cols: Int, _ type: ElementType, seed: UInt64) -> (WeightMatrix, [Float]) {
        let f32 = WeightMatrix(rows: rows, cols: cols, values: values(rows * cols, seed: seed))
        let stored: WeightMatrix
        switch type {
        case .f32, .bf16: stored = f32.converted(to: type)
        case .f16:
            let halves = f32.toFloats().map { Float16($0).bitPattern }
            stored = WeightMatrix(rows: rows, cols: cols, type: .f16) { memory in
                halves.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
        default: preconditionFailure("dense types here; quantised ones in QuantKernelTests")
        }
        return (stored, stored.toFloats())
    }

    static let shapes: [(rows: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 7, 33), (1, 64, 1024), (1, 37, 130), (2, 5, 7), (3, 33, 31), (13, 65, 64), (12, 32, 100),
        (25, 100, 257), (64, 40, 1),
    ]

    @Test(arguments: KernelPath.supported, [ElementType.f32, .f16, .bf16])
    func linearMatchesDoubleReference(path: KernelPath, type: ElementType) {
        for (index, shape) in Self.shapes.enumerated() {
            let (w, wide) = weight(shape.n, shape.k, type, seed: UInt64(100 + index))
            let x = values(shape.rows * shape.k, seed: UInt64(200 + index))
            for sensitive in [false, true] {
            var y = [Float](repeating: .nan, count: shape.rows * shape.n)
            LinearAlgebra.linear(x, rows: shape.rows, weight: w, into: &y, sensitive: sensitive, path: path)
            // Only the BF16 GEMM rounds its input to BF16 (relative error ≤ 2⁻⁸ per term, 2⁻¹⁵ split in two halves
            // for sensitive products); the rest sum in F32.
            let roundsInput = path == .avx512bf16 && type == .bf16 && shape.rows > 1
            var worst = 0.0, firstBad: String? = nil
            for t in 0..<shape.rows {
                for o in 0..<shape.n {
                    var exact = 0.0, magnitude = 0.0
                    for i in 0..<shape.k {
                        let term = Double(x[t * shape.k + i]) * Double(wide[o * shape.k + i])
                        exact += term
                        magnitude += abs(term)
                    }
                    let tolerance = (roundsInput ? (sensitive ? 1.0 / 32768 : 1.0 / 256) : 1e-5) * magnitude + 1e-6
                    let error = abs(Double(y[t * shape.n + o]) - exact)
                    worst = max(worst, error / tolerance)
                    if !(error <= tolerance), firstBad == nil {
                        firstBad = "row \(t) out \(o): \(y[t * shape.n + o]) vs \(exact) (tolerance \(tolerance))"
                    }
                }
            }
            #expect(firstBad == nil, "\(path) \(type) sensitive \(sensitive) shape \(shape): \(firstBad ?? ""); worst error/tolerance \(worst)")
            }
        }
    }

    @Test(arguments: KernelPath.supported)
    func fusedProductsEqualSeparateOnes(path: KernelPath) {
        let (a, _) = weight(48, 96, .bf16, seed: 1), (b, _) = weight(20, 96, .f32, seed: 2), (c, _) = weight(33, 96, .f16, seed: 3)
        for rows in [1, 9] {
            let x = values(rows * 96, seed: 4)
            var ya = [Float](repeating: 0, count: rows * 48), yb = [Float](repeating: 0, count: rows * 20)
            var yc = [Float](repeating: 0, count: rows * 33)
            LinearAlgebra.linear(x, rows: rows, weight: a, into: &ya, path: path)
            LinearAlgebra.linear(x, rows: rows, weight: b, into: &yb, path: path)
            LinearAlgebra.linear(x, rows: rows, weight: c, into: &yc, path: path)
            var fa = [Float](repeating: 0, count: rows * 48), fb = [Float](repeating: 0, count: rows * 20)
            var fc = [Float](repeating: 0, count: rows * 33)
            fa.withUnsafeMutableBufferPointer { pa in
                fb.withUnsafeMutableBufferPointer { pb in
                    fc.withUnsafeMutableBufferPointer { pc in
                        LinearAlgebra.linear(x, rows: rows, products: [
                            .init(a, into: pa.baseAddress!), .init(b, into: pb.baseAddress!), .init(c, into: pc.baseAddress!),
                        ], path: path)
                    }
                }
            }
            // OpenBLAS (F32 weights, widened rows) may round differently with the alignment of its operands.
            for (fused, separate, name) in [(fa, ya, "bf16"), (fb, yb, "f32"), (fc, yc, "f16")] {
                let worst = zip(fused, separate).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
                #expect(worst < 1e-6, "\(path) rows \(rows) \(name): \(worst)")
            }
        }
    }

    /// Ferret's own kernels (GEMV, the BF16 GEMM) work on chunks aligned to their row groups, so their values do not
    /// depend on the thread count. (OpenBLAS's do, slightly, with the width of the slice it gets.)
    @Test(arguments: KernelPath.supported)
    func ownKernelsDoNotDependOnThreadCount(path: KernelPath) {
        let one = ThreadPool(threads: 1), three = ThreadPool(threads: 3)
        for type in [ElementType.bf16, .f16] {
            let (w, _) = weight(301, 77, type, seed: 9)
            for rows in path == .avx512bf16 && type == .bf16 ? [1, 30] : [1] {
                let x = values(rows * 77, seed: 10)
                var serial = [Float](repeating: 0, count: rows * 301), parallel = serial
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &serial, path: path, pool: one)
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &parallel, path: path, pool: three)
                #expect(serial == parallel, "\(path) \(type) rows \(rows): \(zip(serial, parallel).filter { $0 != $1 }.prefix(3))")
            }
        }
    }

    /// BF16 → F32 and F16 → F32 over all 65,536 bit patterns, against Swift's own conversions.
    @Test(arguments: KernelPath.supported)
    func widensEveryBitPatternExactly(path: KernelPath) {
        let patterns = (0...UInt16.max).map { $0 }
        let bf16 = WeightMatrix(rows: 1, cols: patterns.count, type: .bf16) { memory in
            patterns.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        let f16 = WeightMatrix(rows: 1, cols: patterns.count, type: .f16) { memory in
            patterns.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        var out = [Float](repeating: 0, count: patterns.count)
        bf16.readFloats(from: 0, count: patterns.count, into: &out, path: path)
        let badBF16 = patterns.first { out[Int($0)].bitPattern != UInt32($0) << 16 }
        #expect(badBF16 == nil, "\(path): bf16 pattern \(String(badBF16 ?? 0, radix: 16))")
        f16.readFloats(from: 0, count: patterns.count, into: &out, path: path)
        let badF16 = patterns.first { bits in
            let expected = Float(Float16(bitPattern: bits))
            return expected.isNaN ? !out[Int(bits)].isNaN : out[Int(bits)].bitPattern != expected.bitPattern
        }
        #expect(badF16 == nil, "\(path): f16 pattern \(String(badF16 ?? 0, radix: 16))")
    }

    /// F32 → BF16 rounds to nearest even like PyTorch, keeps infinities and NaNs.
    @Test func narrowsToBFloat16RoundingToNearestEven() {
        let cases: [(Float, UInt16)] = [
            (1, 0x3f80), (Float(bitPattern: 0x3f80_8000), 0x3f80), (Float(bitPattern: 0x3f81_8000), 0x3f82),
            (Float(bitPattern: 0x3f80_8001), 0x3f81), (-2.5, 0xc020), (.infinity, 0x7f80), (-.infinity, 0xff80),
            (Float(bitPattern: 0x7f7f_ffff), 0x7f80), (Float(bitPattern: 0x0000_0001), 0x0000), (0, 0),
        ]
        let m = WeightMatrix(rows: 1, cols: cases.count, values: cases.map(\.0)).converted(to: .bf16)
        let bits = UnsafeBufferPointer(start: m.base.assumingMemoryBound(to: UInt16.self), count: cases.count)
        for (index, (value, expected)) in cases.enumerated() {
            #expect(bits[index] == expected, "\(value): \(String(bits[index], radix: 16)) ≠ \(String(expected, radix: 16))")
        }
        let nan = WeightMatrix(rows: 1, cols: 1, values: [.nan]).converted(to: .bf16).toFloats()[0]
        #expect(nan.isNaN)
    }

    @Test func poolRunsEveryTaskOnceAndNestsInline() {
        let pool = ThreadPool(threads: 3)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
        counts.initialize(repeating: 0, count: 1000)
        defer { counts.deallocate() }
        for _ in 0..<50 {
            pool.run(tasks: 1000) { task, thread in
                precondition(thread < 3)
                counts[task] += 1
            }
        }
        #expect((0..<1000).allSatisfy { counts[$0] == 50 })
        let nested = UnsafeMutablePointer<Int>.allocate(capacity: 8 * 8)
        nested.initialize(repeating: 0, count: 64)
        defer { nested.deallocate() }
        pool.run(tasks: 8) { outer, _ in
            pool.run(tasks: 8) { inner, _ in nested[outer * 8 + inner] += 1 }
        }
        #expect((0..<64).allSatisfy { nested[$0] == 1 })
    }
}
