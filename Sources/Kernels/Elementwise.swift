import Foundation

/// The small per-element and per-row operations of LFM2 and ColBERT. Row-major buffers, Float throughout.
public enum Elementwise {
    /// `out[r] = w ⊙ x[r] / sqrt(mean(x[r]²) + eps)` for each of `rows` rows of width `cols` (HF `Lfm2RMSNorm`:
    /// plain `w`, not `1 + w`). `out` may alias `x`.
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Int, cols: Int, eps: Float,
                               into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let src = x + r * cols, dst = out + r * cols
            var sum: Float = 0
            for c in 0..<cols { sum += src[c] * src[c] }
            let scale = 1 / (sum / Float(cols) + eps).squareRoot()
            for c in 0..<cols { dst[c] = weight[c] * (src[c] * scale) }
        }
    }

    /// `out[i] = silu(gate[i]) · up[i]`, `silu(a) = a·σ(a)`. `out` may alias either input. A prompt's `[T, F]`
    /// (an `expf` per element, ~5 % of a prefill) is split across the pool.
    public static func siluMultiply(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                                    into out: UnsafeMutablePointer<Float>, pool: ThreadPool = .shared) {
        let chunk = 1 << 14
        pool.run(tasks: (count + chunk - 1) / chunk) { task, _ in
            for i in task * chunk ..< min(count, (task + 1) * chunk) {
                let g = gate[i]
                out[i] = g / (1 + expf(-g)) * up[i]
            }
        }
    }

    /// `a[i] += b[i]`.
    public static func add(_ b: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { a[i] += b[i] }
    }

    /// In-place numerically stable softmax over `count` values.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count where x[i] > maximum { maximum = x[i] }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }

    /// In-place `x / max(‖x‖₂, 1e-12)` (torch `F.normalize`).
    public static func l2Normalize(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var sum: Float = 0
        for i in 0..<count { sum += x[i] * x[i] }
        let inverse = 1 / max(sum.squareRoot(), 1e-12)
        for i in 0..<count { x[i] *= inverse }
    }
}
