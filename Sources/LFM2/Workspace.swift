import Kernels

/// Preallocated scratch for running `rows` tokens through the blocks at once, against up to `keyCapacity` keys.
/// Owned by one sequence (or one encoder call); decode reuses it, so a decode step allocates nothing.
final class Workspace {
    let rows: Int
    let keyCapacity: Int
    let hidden: Matrix        // [T, H]   residual stream
    let normed: Matrix        // [T, H]   RMSNorm output, mixer/FFN input
    let mixed: Matrix         // [T, H]   mixer or FFN output before the residual add
    let bcx: Matrix           // [T, 3H]  conv in_proj output: B | C | x
    let convInput: Matrix     // [T + L - 1, H]  Bx with its left history (or zero padding)
    let query: Matrix         // [T, nh·d]
    let key: Matrix           // [T, nkv·d]
    let value: Matrix         // [T, nkv·d]
    let attention: Matrix     // [T, nh·d] concatenated head outputs
    let scores: [Matrix]      // per pool thread: [scoreRows, keyCapacity] one head's attention weights
    let pool: ThreadPool
    let gate: Matrix          // [T, F]
    let up: Matrix            // [T, F]
    let cos: Matrix           // [T, d/2]
    let sin: Matrix           // [T, d/2]
    let lastNormed: Matrix    // [1, H]   final norm of the last row, for logits
    let experts: ExpertWorkspace?  // lfm2_moe only: router, grouping and expert scratch for the same rows

    /// - Parameter scoreRows: the most query rows one attention span has (default `rows`; a packed encoder batch
    ///   attends one sequence at a time, so its longest sequence).
    init(config: LFM2Config, rows: Int, keyCapacity: Int, scoreRows: Int? = nil) {
        let h = config.hiddenSize, d = config.headDim
        self.rows = rows
        self.keyCapacity = keyCapacity
        hidden = Matrix(rows: rows, cols: h)
        normed = Matrix(rows: rows, cols: h)
        mixed = Matrix(rows: rows, cols: h)
        bcx = Matrix(rows: rows, cols: 3 * h)
        convInput = Matrix(rows: rows + config.convKernel - 1, cols: h)
        query = Matrix(rows: rows, cols: config.headCount * d)
        key = Matrix(rows: rows, cols: config.kvHeadCount * d)
        value = Matrix(rows: rows, cols: config.kvHeadCount * d)
        attention = Matrix(rows: rows, cols: config.headCount * d)
        pool = ThreadPool.shared
        scores = (0..<pool.threads).map { _ in Matrix(rows: scoreRows ?? rows, cols: keyCapacity) }
        gate = Matrix(rows: rows, cols: config.ffnWidth)
        up = Matrix(rows: rows, cols: config.ffnWidth)
        cos = Matrix(rows: rows, cols: d / 2)
        sin = Matrix(rows: rows, cols: d / 2)
        lastNormed = Matrix(rows: 1, cols: h)
        experts = config.experts.map { ExpertWorkspace(config: config, experts: $0, rows: rows) }
    }
}
