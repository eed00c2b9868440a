import CBLAS
import CKernels

/// `y = x · Wᵀ` for weights at their storage precision: the one place that maps a storage type and a kernel path to
/// a kernel (llama.cpp's type traits). Model code calls `linear` and never asks what `W` is.
///
/// | storage | one row (decode)         | many rows (prefill, encoding)                                        |
/// |---------|--------------------------|----------------------------------------------------------------------|
/// | f32     | OpenBLAS sgemv           | OpenBLAS sgemm                                                        |
/// | bf16    | own GEMV (widened in registers) | avx512bf16: x rounded to BF16, `vdpbf16ps` GEMM; else rows widened to F32 + sgemm |
/// | f16     | own GEMV (F16C)          | rows widened to F32 + sgemm                                            |
/// | q8_0 … q6_K | x quantised once to the type's Q8 companion, own GEMV over the blocks (integer dot products) | avx512bf16: rows dequantised to BF16 + the BF16 GEMM; else dequantised to F32 + sgemm |
///
/// Every product is split by output rows (weight rows) across the pool; each weight byte is read by one thread.
extension LinearAlgebra {
    /// One product of a fused call: a weight and where its `[rows, weight.rows]` output goes.
    public struct Product {
        public let weight: WeightMatrix
        public let output: UnsafeMutablePointer<Float>
        public init(_ weight: WeightMatrix, into output: UnsafeMutablePointer<Float>) {
            self.weight = weight
            self.output = output
        }
    }

    /// The calling thread's reusable buffer `slot` (0: x in BF16, 1: its low halves, 2: widened or dequantised weight
    /// rows, 3: quantised activations); allocation failure for a few MB is not recoverable here.
    private static func scratch<T>(slot: Int32, count: Int, of: T.Type) -> UnsafeMutablePointer<T> {
        guard let raw = ck_scratch(slot, max(count, 1) * MemoryLayout<T>.stride) else {
            fatalError("out of memory for \(count * MemoryLayout<T>.stride) bytes of matrix-product scratch")
        }
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// `y[T, out] = x[T, in] · Wᵀ` (PyTorch `nn.Linear` layout `[out, in]`).
    /// - Parameter sensitive: the output feeds a product of projections (LFM2's gated conv), where rounding errors
    ///   multiply: the BF16 GEMM then keeps ~16 significant bits of `x` (two BF16 halves) at twice its arithmetic.
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, weight: WeightMatrix, into y: UnsafeMutablePointer<Float>,
                              sensitive: Bool = false, path: KernelPath = .current, pool: ThreadPool = .shared) {
        linear(x, rows: rows, products: [Product(weight, into: y)], sensitive: sensitive, path: path, pool: pool)
    }

    /// Several weights applied to the same input in one fork-join (q, k, v; gate and up): fewer wake-ups in decode.
    /// All weights must have `x`'s width as their column count.
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, products: [Product], sensitive: Bool = false,
                              path: KernelPath = .current, pool: ThreadPool = .shared) {
        _ = singleThreadedBLAS
        guard rows > 0, let k = products.first?.weight.cols else { return }
        precondition(products.allSatisfy { $0.weight.cols == k }, "fused products need one input width")
        let usesBF16GEMM = rows > 1 && path == .avx512bf16
            && products.contains { $0.weight.type == .bf16 || $0.weight.type.isQuantized }
        let align = rows == 1 ? 4 : 32

        // Chunks of weight rows: enough per thread that a late or preempted worker costs little. Quantised decode takes
        // fewer, longer chunks: each is four streams of rows (see CKernels' GEMV), and eight chunks a thread decoded
        // LFM2-350M Q4_0/Q4_K_M 5-7 % slower than two.
        var firstTask: [Int] = [], chunkRows: [Int] = []
        var tasks = 0
        for product in products {
            let perThread = rows == 1 ? (product.weight.type.isQuantized ? 2 : 8) : 4
            let n = product.weight.rows
            var chunk = (n + pool.threads * perThread - 1) / (pool.threads * perThread)
            chunk = max(align, (chunk + align - 1) / align * align)
            firstTask.append(tasks)
            chunkRows.append(chunk)
            tasks += (n + chunk - 1) / chunk
        }

        // BF16 GEMM input: x rounded to BF16 once, rows padded to an even width with zeros.
        // Rows of an even width, plus 64 bytes: the GEMM broadcasts from 12 rows at once, and a row stride that is a
        // multiple of 4 KiB (k = 2048, 4096, 8192…) puts them all in one L1 set (1.2B prefill ran at 60 % speed).
        let paddedK = (k + 1) & ~1 + 32
        let xBF16 = usesBF16GEMM ? scratch(slot: 0, count: rows * paddedK, of: UInt16.self) : nil
        let xLow = usesBF16GEMM && sensitive ? scratch(slot: 1, count: rows * paddedK, of: UInt16.self) : nil
        if let xBF16 {
            let per = (rows + pool.threads * 2 - 1) / (pool.threads * 2)
            pool.run(tasks: (rows + per - 1) / per) { task, _ in
                for r in task * per ..< min(rows, (task + 1) * per) {
                    ck_f32_to_bf16(x + r * k, xBF16 + r * paddedK, k, path.c)
                    if k & 1 == 1 { xBF16[r * paddedK + k] = 0 }
                    if let xLow {
                        ck_bf16_remainder(x + r * k, xBF16 + r * paddedK, xLow + r * paddedK, k)
                        if k & 1 == 1 { xLow[r * paddedK + k] = 0 }
                    }
                }
            }
        }
        // Weight rows widened (F32) or dequantised (F32, or BF16 for the BF16 GEMM) for the many-row products without
        // a native kernel: one buffer per thread. Quantised rows go in slabs of at most `quantizedSlab` rows.
        var widenRows = 0
        for (index, product) in products.enumerated() where rows > 1 {
            switch product.weight.type {
            case .f32: break
            case .bf16: if !usesBF16GEMM { widenRows = max(widenRows, chunkRows[index]) }
            case .f16: widenRows = max(widenRows, chunkRows[index])
            case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K:
                widenRows = max(widenRows, min(chunkRows[index], quantizedSlab))
            }
        }
        let wideRows = widenRows > 0 ? scratch(slot: 2, count: pool.threads * widenRows * k, of: Float.self) : nil

        // Decode over quantised weights: x quantised once per companion type (Q8_0, Q8_1, Q8_K), shared by all tasks.
        var activations: [(companion: ck_type, buffer: UnsafeRawPointer)] = []
        if rows == 1 {
            var needed: [(weight: ElementType, offset: Int)] = [], bytes = 0
            for product in products where product.weight.type.isQuantized {
                let companion = ck_vec_dot_type(product.weight.type.ggml)
                guard !needed.contains(where: { ck_vec_dot_type($0.weight.ggml) == companion }) else { continue }
                needed.append((product.weight.type, bytes))
                bytes += (ck_activation_bytes(product.weight.type.ggml, k) + 63) & ~63
            }
            if !needed.isEmpty {
                let memory = UnsafeMutableRawPointer(scratch(slot: 3, count: bytes, of: UInt8.self))
                for (type, offset) in needed {
                    ck_quantize_activations(type.ggml, x, k, memory + offset, path.c)
                    activations.append((ck_vec_dot_type(type.ggml), UnsafeRawPointer(memory + offset)))
                }
            }
        }

        pool.run(tasks: tasks) { task, thread in
            var index = products.count - 1
            while firstTask[index] > task { index -= 1 }
            let product = products[index], weight = product.weight
            let n = weight.rows
            let first = (task - firstTask[index]) * chunkRows[index]
            let count = min(chunkRows[index], n - first)
            let y = product.output + first
            switch weight.type {
            case .f32:
                let w = weight.base.assumingMemoryBound(to: Float.self) + first * k
                if rows == 1 {
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, blasint(count), blasint(k), 1, w, blasint(k), x, 1, 0, y, 1)
                } else {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(count), blasint(k),
                                1, x, blasint(k), w, blasint(k), 0, y, blasint(n))
                }
            case .bf16, .f16:
                let w = weight.base.assumingMemoryBound(to: UInt16.self) + first * k
                if rows == 1 {
                    if weight.type == .bf16 {
                        ck_gemv_bf16(w, k, count, k, x, y, path.c)
                    } else {
                        ck_gemv_f16(w, k, count, k, x, y, path.c)
                    }
                } else if weight.type == .bf16 && usesBF16GEMM {
                    ck_gemm_bf16_avx512bf16(xBF16!, xLow, paddedK, rows, w, k, count, k, y, n)
                } else {
                    let wide = wideRows! + thread * widenRows * k
                    weight.readFloats(from: first * k, count: count * k, into: wide, path: path)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(count), blasint(k),
                                1, x, blasint(k), wide, blasint(k), 0, y, blasint(n))
                }
            case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K:
                let type = weight.type.ggml, rowBytes = weight.type.rowBytes(cols: k)
                let w = weight.base + first * rowBytes
                if rows == 1 {
                    let companion = ck_vec_dot_type(type)
                    let act = activations.first { $0.companion == companion }!.buffer
                    ck_gemv_quant(type, w, rowBytes, count, k, act, y, path.c)
                    return
                }
                let wide = wideRows! + thread * widenRows * k
                for start in stride(from: 0, to: count, by: quantizedSlab) {
                    let slab = min(quantizedSlab, count - start)
                    if usesBF16GEMM {
                        let half = UnsafeMutableRawPointer(wide).assumingMemoryBound(to: UInt16.self)
                        ck_dequantize_bf16(type, w + start * rowBytes, half, slab * k, path.c)
                        ck_gemm_bf16_avx512bf16(xBF16!, xLow, paddedK, rows, half, k, slab, k, y + start, n)
                    } else {
                        ck_dequantize(type, w + start * rowBytes, wide, slab * k, path.c)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(slab), blasint(k),
                                    1, x, blasint(k), wide, blasint(k), 0, y + start, blasint(n))
                    }
                }
            }
        }
    }

    /// Quantised weight rows are dequantised for a many-row product this many at a time (a multiple of the BF16
    /// GEMM's 32-column panels): the slab stays small next to the activations it is multiplied with.
    static let quantizedSlab = 256
}
