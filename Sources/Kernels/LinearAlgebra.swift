import CBLAS

/// F32 matrix products through OpenBLAS, split across Ferret's `ThreadPool`. OpenBLAS itself runs one thread per
/// call: two pools on two cores fight, and its idle workers poll for a long time.
public enum LinearAlgebra {
    /// OpenBLAS is told once, before its first call, to stay on the calling thread.
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    /// General strided `C[m, n] = alpha · A[m, k] · op(B) + beta · C`, row-major, for attention heads that are
    /// column slices of wider matrices and for similarity scores. Large products are split by rows of A across the
    /// pool (each part is an independent product, so the result does not depend on the thread count).
    public static func gemm(m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                            pool: ThreadPool = .shared) {
        _ = singleThreadedBLAS
        guard m > 0 else { return }
        let parts = m * n * k >= 1 << 20 ? min(m, pool.threads * 4) : 1
        let step = (m + parts - 1) / parts
        pool.run(tasks: (m + step - 1) / step) { task, _ in
            let first = task * step, count = min(step, m - first)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        blasint(count), blasint(n), blasint(k), alpha, a + first * lda, blasint(lda), b, blasint(ldb),
                        beta, c + first * ldc, blasint(ldc))
        }
    }

    /// `y[m] = alpha · A[m, n] · x` (or `Aᵀ · x` giving `y[n]` when `transpose`), A strided by `lda`. One thread.
    public static func gemv(m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, transpose: Bool,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        _ = singleThreadedBLAS
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }

    /// Sets the worker count once for the process (`--threads`; the CLI does this and reports it).
    public static func setThreadCount(_ count: Int) {
        _ = singleThreadedBLAS
        ThreadPool.configure(threads: count)
    }

    public static var threadCount: Int { ThreadPool.shared.threads }
}
