import Foundation
import Kernels
import Testing
import TestSupport

/// GGUF block formats: dequantisation against gguf-py, the activation quantisers and the GEMV of every kernel path
/// against the scalar reference, and `linear` over quantised weights against F32 products of the dequantised values.
@Suite struct QuantKernelTests {
    static let types: [ElementType] = ElementType.allCases.filter(\.isQuantized)

    struct Entry: Decodable { let rows: Int; let cols: Int; let source: String }

    /// Deterministic values in [-2, 2) with some exact zeros and tiny magnitudes mixed in.
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let u = Float(random.unit()) * 4 - 2
            return i % 17 == 0 ? 0 : i % 13 == 0 ? u * 1e-3 : u
        }
    }

    /// Byte offsets of the F16 scale fields in a block.
    static func scaleOffsets(_ type: ElementType) -> [Int] {
        switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: return [0, 2]
        case .q6_K: return [208]
        default: return [0]
        }
    }

    /// Random blocks (every bit pattern of the quants occurs) with finite scales of a realistic size.
    func randomWeight(_ rows: Int, _ cols: Int, _ type: ElementType, seed: UInt64) -> WeightMatrix {
        var random = SplitMix64(seed: seed)
        return WeightMatrix(rows: rows, cols: cols, type: type) { memory in
            let total = rows * type.rowBytes(cols: cols)
            for i in 0..<total { memory.storeBytes(of: UInt8(truncatingIfNeeded: random.next()), toByteOffset: i, as: UInt8.self) }
            for block in 0..<total / type.blockBytes {
                for offset in Self.scaleOffsets(type) {
                    let u = Float(random.unit())
                    let scale = type.blockElements == 32 ? u * 0.1 - 0.05 : 0.0005 + u * 0.0095
                    memory.storeBytes(of: Float16(scale).bitPattern, toByteOffset: block * type.blockBytes + offset, as: UInt16.self)
                }
            }
        }
    }

    func fixture(_ type: ElementType) throws -> (WeightMatrix, [Float]) {
        let manifest = try Fixtures.decode([String: Entry].self, from: "quants/manifest.json")
        let entry = try #require(manifest[type.rawValue])
        let blocks = try Fixtures.data("quants/\(type.rawValue).blocks")
        #expect(blocks.count == entry.rows * type.rowBytes(cols: entry.cols))
        let w = WeightMatrix(rows: entry.rows, cols: entry.cols, type: type) { memory in
            blocks.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        return (w, try Fixtures.floats("quants/\(type.rawValue).f32"))
    }

    func firstMismatches(_ actual: [Float], _ expected: [Float]) -> String {
        let bad = zip(actual, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        return "\(bad.count) of \(expected.count) differ; first: "
            + bad.prefix(4).map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" }.joined(separator: ", ")
    }

    // MARK: dequantisation

    @Test(arguments: KernelPath.supported, QuantKernelTests.types)
    func dequantisesLikeGGUFPy(path: KernelPath, type: ElementType) throws {
        let (w, expected) = try fixture(type)
        var out = [Float](repeating: .nan, count: w.rows * w.cols)
        w.readFloats(from: 0, count: out.count, into: &out, path: path)
        #expect(out.elementsEqual(expected) { $0.bitPattern == $1.bitPattern }, "\(path) \(type): \(firstMismatches(out, expected))")
        // One block at a time from the middle of a row, and whole rows (embedding lookups).
        let block = type.blockElements
        var one = [Float](repeating: .nan, count: block)
        w.readFloats(from: w.cols + block, count: block, into: &one, path: path)
        #expect(one.elementsEqual(expected[(w.cols + block)...].prefix(block)) { $0.bitPattern == $1.bitPattern })
        var row = [Float](repeating: .nan, count: w.cols)
        w.row(w.rows - 1, into: &row)
        #expect(row.elementsEqual(expected.suffix(w.cols)) { $0.bitPattern == $1.bitPattern })
    }

    @Test(arguments: QuantKernelTests.types)
    func convertsToF32AndBF16(type: ElementType) throws {
        let (w, expected) = try fixture(type)
        #expect(w.byteCount == w.rows * w.cols / type.blockElements * type.blockBytes)
        #expect(w.toFloats().elementsEqual(expected) { $0.bitPattern == $1.bitPattern }, "\(type): \(firstMismatches(w.toFloats(), expected))")
        #expect(w.converted(to: .f32).toFloats().elementsEqual(expected) { $0.bitPattern == $1.bitPattern })
        let bf16 = w.converted(to: .bf16)
        #expect(bf16.type == .bf16)
        let rounded = WeightMatrix(rows: w.rows, cols: w.cols, values: expected).converted(to: .bf16).toFloats()
        #expect(bf16.toFloats() == rounded, "\(type): \(firstMismatches(bf16.toFloats(), rounded))")
        #expect(Precision.auto.storage(for: type) == type && Precision.bf16.storage(for: type) == .bf16
                && Precision.f32.storage(for: type) == .f32)
    }

    /// A view into memory that is only 2-byte aligned (as blocks inside a GGUF tensor are) is used in place.
    @Test func viewsTwoByteAlignedBlocksInPlace() throws {
        let (w, expected) = try fixture(.q4_0)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: w.byteCount + 2, alignment: 64)
        defer { raw.deallocate() }
        (raw + 2).copyMemory(from: w.base, byteCount: w.byteCount)
        let view = WeightMatrix(rows: w.rows, cols: w.cols, type: .q4_0, viewing: raw + 2, owner: w)
        #expect(view.base == UnsafeRawPointer(raw + 2))
        #expect(view.toFloats() == expected)
    }

    // MARK: activation quantisers

    /// Inputs that hit the corners of the quantisers: zero blocks, ties at .5 after scaling, equal magnitudes of
    /// both signs (Q8_K takes the first), a negative maximum, tiny and huge values.
    func awkwardActivations(_ count: Int, seed: UInt64) -> [Float] {
        var x = values(count, seed: seed)
        for i in 0..<min(32, count) { x[i] = 0 }
        if count >= 64 { for i in 32..<64 { x[i] = Float(i - 48) * 0.5 } }            // amax 8: x·127/8 hits .5s
        if count >= 96 { x[70] = -3; x[71] = 3 }
        if count >= 512 { x[300] = -1e30; x[301] = 1e-30; x[400] = 6e4; x[401] = -6e4 }
        return x
    }

    @Test(arguments: KernelPath.supported)
    func activationQuantisersMatchScalarOnEveryPath(path: KernelPath) {
        for type in [ElementType.q8_0, .q4_1, .q4_K] {
            for count in [256, 512, 1024, 4608] {
                for seed: UInt64 in [1, 2] {
                    let x = seed == 1 ? awkwardActivations(count, seed: seed) : values(count, seed: seed)
                    let reference = QuantizedActivations(x, count: count, for: type, path: .scalar)
                    let simd = QuantizedActivations(x, count: count, for: type, path: path)
                    let same = reference.bytes.elementsEqual(simd.bytes)
                    let firstBad = zip(reference.bytes, simd.bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    #expect(same, "\(path) \(type) count \(count) seed \(seed): first differing byte \(firstBad ?? -1)")
                }
            }
        }
    }

    /// The Q8_0 quantiser is llama.cpp's `quantize_row_q8_0_ref`, which gguf-py reproduces bit for bit.
    @Test(arguments: KernelPath.supported)
    func q8ActivationsMatchGGUFPy(path: KernelPath) throws {
        let x = try Fixtures.floats("quants/q8_0-activations.f32")
        let expected = try Fixtures.data("quants/q8_0-activations.blocks")
        let quantized = QuantizedActivations(x, count: x.count, for: .q4_0, path: path)
        #expect(quantized.blocks.elementsEqual(expected), "\(path)")
    }

    // MARK: GEMV

    static func shapes(_ type: ElementType) -> [(rows: Int, k: Int)] {
        type.blockElements == 32
            ? [(1, 32), (5, 64), (3, 96), (8, 128), (13, 256), (7, 288), (4, 1024), (9, 1056)]
            : [(1, 256), (5, 512), (3, 768), (13, 1280)]
    }

    /// Every path's GEMV equals the scalar reference on the same quantised activations up to the order of the F32
    /// sums, and both are within the activation quantisation error of the exact product with the unquantised x:
    /// each x is off by at most half a step (amax/127 of its block) plus the F16 rounding of the scale (Q8_0 and
    /// Q8_1: 127 steps × 2⁻¹¹ relative), so |Σ w·(x − x̂)| ≤ Σ |w|·0.57·step.
    @Test(arguments: KernelPath.supported, QuantKernelTests.types)
    func gemvMatchesScalarReference(path: KernelPath, type: ElementType) {
        for (index, shape) in Self.shapes(type).enumerated() {
            let w = randomWeight(shape.rows, shape.k, type, seed: UInt64(10 + index))
            let x = values(shape.k, seed: UInt64(50 + index))
            let activations = QuantizedActivations(x, count: shape.k, for: type, path: path)
            var y = [Float](repeating: .nan, count: shape.rows)
            w.gemv(activations, rows: 0..<shape.rows, into: &y, path: path)
            let wide = w.toFloats(), quantized = activations.dequantized()
            let step = stride(from: 0, to: shape.k, by: 32).flatMap { start in
                let amax = x[start..<start + 32].map(abs).max()!
                return [Float](repeating: amax / 127, count: 32)
            }
            let kStep: [Float] = type.blockElements == 256
                ? stride(from: 0, to: shape.k, by: 256).flatMap { start in
                    [Float](repeating: x[start..<start + 256].map(abs).max()! / 127, count: 256)
                } : step
            for r in 0..<shape.rows {
                let reference = w.referenceDot(row: r, activations)
                var onQuantized = 0.0, magnitude = 0.0, exact = 0.0, quantisation = 0.0
                for i in 0..<shape.k {
                    let wi = Double(wide[r * shape.k + i])
                    onQuantized += wi * Double(quantized[i])
                    magnitude += abs(wi * Double(quantized[i]))
                    exact += wi * Double(x[i])
                    quantisation += abs(wi) * 0.57 * Double(kStep[i])
                }
                let order = 2e-6 * magnitude + 1e-6
                #expect(abs(Double(y[r]) - Double(reference)) <= order,
                        "\(path) \(type) \(shape) row \(r): GEMV \(y[r]) vs reference \(reference) (tolerance \(order))")
                // Q8_1's s is d·Σq rounded to F16 on its own, so the min term of Q4_1/Q5_1 differs from m·Σx̂ a little.
                let ownSum = type == .q4_1 || type == .q5_1
                #expect(ownSum || abs(Double(reference) - onQuantized) <= order,
                        "\(type) \(shape) row \(r): reference \(reference) vs Double on quantised x \(onQuantized)")
                #expect(abs(Double(y[r]) - exact) <= quantisation + order,
                        "\(path) \(type) \(shape) row \(r): GEMV \(y[r]) vs F32-x product \(exact) (bound \(quantisation))")
            }
        }
    }

    // MARK: linear

    /// `linear` over quantised weights against Double products of the dequantised weights with F32 x: decode within
    /// the activation quantisation error; many rows within BF16 rounding of both operands on the BF16 GEMM (2⁻⁸
    /// relative per term; 2⁻⁸ + 2⁻¹⁵ when sensitive, the weights are still rounded) or F32 summation otherwise.
    @Test(arguments: KernelPath.supported, QuantKernelTests.types)
    func linearMatchesDequantisedReference(path: KernelPath, type: ElementType) {
        let k = type.blockElements == 32 ? 160 : 512
        let n = 37
        let w = randomWeight(n, k, type, seed: 77)
        let wide = w.toFloats()
        for rows in [1, 2, 7, 33] {
            let x = values(rows * k, seed: UInt64(rows))
            for sensitive in [false, true] {
                var y = [Float](repeating: .nan, count: rows * n)
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &y, sensitive: sensitive, path: path)
                var worst = 0.0, firstBad: String? = nil
                for t in 0..<rows {
                    for o in 0..<n {
                        var exact = 0.0, magnitude = 0.0, weights = 0.0, amax: Float = 0
                        for i in 0..<k {
                            exact += Double(x[t * k + i]) * Double(wide[o * k + i])
                            magnitude += abs(Double(x[t * k + i]) * Double(wide[o * k + i]))
                            weights += abs(Double(wide[o * k + i]))
                            amax = max(amax, abs(x[t * k + i]))
                        }
                        let tolerance: Double
                        if rows == 1 {
                            tolerance = weights * 0.57 * Double(amax) / 127 + 2e-6 * magnitude + 1e-6
                        } else if path == .avx512bf16 {
                            tolerance = (sensitive ? 1.0 / 256 + 1.0 / 32768 : 1.0 / 128) * magnitude + 1e-6
                        } else {
                            tolerance = 1e-5 * magnitude + 1e-6
                        }
                        let error = abs(Double(y[t * n + o]) - exact)
                        worst = max(worst, error / tolerance)
                        if !(error <= tolerance), firstBad == nil {
                            firstBad = "row \(t) out \(o): \(y[t * n + o]) vs \(exact) (tolerance \(tolerance))"
                        }
                    }
                }
                #expect(firstBad == nil, "\(path) \(type) rows \(rows) sensitive \(sensitive): \(firstBad ?? ""); worst error/tolerance \(worst)")
            }
        }
    }

    /// Each output row is one kernel call's work whatever the chunking, so the thread count changes nothing (the
    /// F32 fallback for many rows goes through OpenBLAS, whose sums depend on the slice; not checked there).
    @Test(arguments: KernelPath.supported)
    func quantisedProductsDoNotDependOnThreadCount(path: KernelPath) {
        let one = ThreadPool(threads: 1), three = ThreadPool(threads: 3)
        for type in [ElementType.q4_0, .q8_0, .q4_K, .q6_K] {
            let w = randomWeight(301, 512, type, seed: 5)
            for rows in path == .avx512bf16 ? [1, 30] : [1] {
                let x = values(rows * 512, seed: 6)
                var serial = [Float](repeating: 0, count: rows * 301), parallel = serial
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &serial, path: path, pool: one)
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &parallel, path: path, pool: three)
                #expect(serial == parallel, "\(path) \(type) rows \(rows): \(zip(serial, parallel).filter { $0 != $1 }.prefix(3))")
            }
        }
    }

    /// q4_K and q6_K (one Q8_K buffer), q8_0 (Q8_0) and bf16 in one fused call, as a Q4_K_M attention block has.
    @Test(arguments: KernelPath.supported)
    func fusedProductsMixingTypesEqualSeparateOnes(path: KernelPath) {
        let k = 512
        let weights = [randomWeight(48, k, .q4_K, seed: 1), randomWeight(20, k, .q6_K, seed: 2),
                       randomWeight(33, k, .q8_0, seed: 3), WeightMatrix(rows: 9, cols: k, values: values(9 * k, seed: 4)).converted(to: .bf16)]
        for rows in [1, 9] {
            let x = values(rows * k, seed: 5)
            let separate = weights.map { w in
                var y = [Float](repeating: 0, count: rows * w.rows)
                LinearAlgebra.linear(x, rows: rows, weight: w, into: &y, path: path)
                return y
            }
            let outputs = weights.map { UnsafeMutablePointer<Float>.allocate(capacity: rows * $0.rows) }
            defer { outputs.forEach { $0.deallocate() } }
            LinearAlgebra.linear(x, rows: rows, products: zip(weights, outputs).map { .init($0, into: $1) }, path: path)
            for (index, w) in weights.enumerated() {
                let fused = Array(UnsafeBufferPointer(start: outputs[index], count: rows * w.rows))
                // OpenBLAS (the F32 fallback for many rows) may round differently with the width of its slice.
                let worst = zip(fused, separate[index]).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
                #expect(rows == 1 ? fused == separate[index] : worst < 1e-6, "\(path) rows \(rows) \(w.type): \(worst)")
            }
        }
    }
}
