import CBLAS

/// Matrix products through OpenBLAS. Weights are PyTorch `nn.Linear` layout `[out, in]`, row-major.
public enum LinearAlgebra {
    /// `y[T, out] = x[T, in] · Wᵀ`. One row uses GEMV: Debian's OpenBLAS takes a slow path for GEMM with M = 1
    /// (about 4.5 GB/s of weights against ~20 GB/s for GEMV, measured on this machine kind).
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, weight: Matrix, into y: UnsafeMutablePointer<Float>) {
        let n = weight.rows, k = weight.cols
        if rows == 1 {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, blasint(n), blasint(k), 1, weight.data, blasint(k), x, 1, 0, y, 1)
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(n), blasint(k),
                        1, x, blasint(k), weight.data, blasint(k), 0, y, blasint(n))
        }
    }

    /// Row-range variant: `y[T, rowCount] = x · W[firstRow ..< firstRow+rowCount]ᵀ` (used to skip padded vocabulary rows).
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, weight: Matrix, weightRows: Int,
                              into y: UnsafeMutablePointer<Float>) {
        let k = weight.cols
        if rows == 1 {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, blasint(weightRows), blasint(k), 1, weight.data, blasint(k), x, 1, 0, y, 1)
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(weightRows), blasint(k),
                        1, x, blasint(k), weight.data, blasint(k), 0, y, blasint(weightRows))
        }
    }

    /// General strided `C[m, n] = alpha · A[m, k] · op(B) + beta · C`, row-major, for attention heads that are
    /// column slices of wider matrices.
    public static func gemm(m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y[m] = alpha · A[m, n] · x` (or `Aᵀ · x` giving `y[n]` when `transpose`), A strided by `lda`.
    public static func gemv(m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, transpose: Bool,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), alpha, a, blasint(lda),
                    x, 1, beta, y, 1)
    }

    /// Sets the OpenBLAS worker count once for the process (the `Engine` does this and logs it).
    public static func setThreadCount(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }
}
