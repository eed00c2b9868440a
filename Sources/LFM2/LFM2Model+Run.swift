import Kernels

extension LFM2Model {
    /// Feeds `tokens` into a causal sequence at its current position and returns the logits of the last one.
    /// A prompt runs through BLAS matrix-matrix products in one pass.
    public func prefill(_ tokens: [Int], state: SequenceState) throws -> [Float] {
        var logits = [Float](repeating: 0, count: logitCount)
        try logits.withUnsafeMutableBufferPointer { try prefill(tokens, state: state, logits: $0.baseAddress!) }
        return logits
    }

    /// As `prefill(_:state:)`, writing the logits of the last token into `logits` (`logitCount` values).
    public func prefill(_ tokens: [Int], state: SequenceState, logits: UnsafeMutablePointer<Float>) throws {
        guard !tokens.isEmpty else { throw ModelError.emptyInput }
        try checkFits(tokens.count, state: state)
        try checkIDs(tokens)
        let work = state.workspace(rows: tokens.count, config: config)
        embed(tokens, into: work.hidden)
        runBlocks(rows: tokens.count, work: work, context: .sequence(state))
        state.position += tokens.count
        computeLogits(row: tokens.count - 1, work: work, into: logits)
    }

    /// One incremental step: appends `token` and writes its next-token logits. Allocates nothing.
    public func decode(_ token: Int, state: SequenceState, logits: UnsafeMutablePointer<Float>) throws {
        try checkFits(1, state: state)
        try checkIDs([token])
        let work = state.decodeWorkspace
        embed(CollectionOfOne(token), into: work.hidden)
        runBlocks(rows: 1, work: work, context: .sequence(state))
        state.position += 1
        computeLogits(row: 0, work: work, into: logits)
    }

    /// Logits for every position of a fresh causal pass over `tokens` (`[T, logitCount]`, row-major); for tests and
    /// scoring, not generation.
    public func logits(allPositions tokens: [Int]) throws -> [Float] {
        guard !tokens.isEmpty else { throw ModelError.emptyInput }
        let state = makeSequence(capacity: tokens.count)
        try checkFits(tokens.count, state: state)
        try checkIDs(tokens)
        let work = state.workspace(rows: tokens.count, config: config)
        embed(tokens, into: work.hidden)
        runBlocks(rows: tokens.count, work: work, context: .sequence(state))
        let h = config.hiddenSize
        Elementwise.rmsNorm(work.hidden.data, weight: weights.finalNorm, rows: tokens.count, cols: h,
                            eps: config.normEps, into: work.normed.data)
        var out = [Float](repeating: 0, count: tokens.count * logitCount)
        out.withUnsafeMutableBufferPointer {
            LinearAlgebra.linear(work.normed.data, rows: tokens.count, weight: weights.outputHead, into: $0.baseAddress!)
        }
        return out
    }

    /// Encoder pass (no state): the final-normed hidden states `[T, H]` of `tokens`. Attention follows the config's
    /// direction; keys whose `keyMask` entry is false are never attended to (they still produce outputs — ColBERT's
    /// query expansion relies on that). The conv never zeroes masked positions, as the trained reference (spec §4.6).
    public func encode(_ tokens: [Int], keyMask: [Bool]? = nil) throws -> Matrix {
        guard !tokens.isEmpty else { throw ModelError.emptyInput }
        guard tokens.count <= config.maxPositions else {
            throw ModelError.contextOverflow(tokens: tokens.count, limit: config.maxPositions)
        }
        if let keyMask { precondition(keyMask.count == tokens.count, "keyMask must have one entry per token") }
        try checkIDs(tokens)
        let work = Workspace(config: config, rows: tokens.count, keyCapacity: tokens.count)
        embed(tokens, into: work.hidden)
        runBlocks(rows: tokens.count, work: work, context: .encoder(keyMask: keyMask))
        let out = Matrix(rows: tokens.count, cols: config.hiddenSize)
        Elementwise.rmsNorm(work.hidden.data, weight: weights.finalNorm, rows: tokens.count, cols: config.hiddenSize,
                            eps: config.normEps, into: out.data)
        return out
    }

    // MARK: - helpers

    private func checkFits(_ count: Int, state: SequenceState) throws {
        if state.position + count > state.capacity {
            throw ModelError.contextOverflow(tokens: state.position + count, limit: state.capacity)
        }
    }

    private func checkIDs(_ tokens: [Int]) throws {
        let rows = weights.embedding.rows
        if let bad = tokens.first(where: { $0 < 0 || $0 >= rows }) {
            throw ModelError.tokenOutOfRange(id: bad, vocabulary: rows)
        }
    }

    private func embed<C: Collection>(_ tokens: C, into hidden: Matrix) where C.Element == Int {
        let h = config.hiddenSize
        for (t, id) in tokens.enumerated() {
            hidden.row(t).update(from: weights.embedding.row(id), count: h)  // no √H scaling in LFM2
        }
    }

    private func computeLogits(row: Int, work: Workspace, into logits: UnsafeMutablePointer<Float>) {
        Elementwise.rmsNorm(work.hidden.row(row), weight: weights.finalNorm, rows: 1, cols: config.hiddenSize,
                            eps: config.normEps, into: work.lastNormed.data)
        LinearAlgebra.linear(work.lastNormed.data, rows: 1, weight: weights.outputHead, into: logits)
    }
}
