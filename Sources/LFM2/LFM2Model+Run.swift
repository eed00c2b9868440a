import Kernels

/// One input of `LFM2Model.encode(batch:)`: token ids and, optionally, which of them may be attended to as keys.
public struct EncoderSequence: Sendable {
    public let tokens: [Int]
    public let keyMask: [Bool]?

    public init(tokens: [Int], keyMask: [Bool]? = nil) {
        self.tokens = tokens
        self.keyMask = keyMask
    }
}

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
        try encode(batch: [EncoderSequence(tokens: tokens, keyMask: keyMask)])[0]
    }

    /// Encoder pass over several independent sequences at once: their rows are packed into one matrix, so every
    /// projection and MLP is one large matrix product, while the conv and attention stay within each sequence. The
    /// result equals encoding each sequence alone (no padding ever reaches a neighbour, unlike a padded PyTorch batch:
    /// spec gotcha 12), one `[Tᵢ, H]` matrix per sequence, in order.
    public func encode(batch: [EncoderSequence]) throws -> [Matrix] {
        var pack: [PackedSequence] = []
        var tokens: [Int] = []
        for sequence in batch {
            guard !sequence.tokens.isEmpty else { throw ModelError.emptyInput }
            guard sequence.tokens.count <= config.maxPositions else {
                throw ModelError.contextOverflow(tokens: sequence.tokens.count, limit: config.maxPositions)
            }
            if let keyMask = sequence.keyMask {
                precondition(keyMask.count == sequence.tokens.count, "keyMask must have one entry per token")
            }
            try checkIDs(sequence.tokens)
            pack.append(PackedSequence(start: tokens.count, count: sequence.tokens.count, keyMask: sequence.keyMask))
            tokens += sequence.tokens
        }
        guard !tokens.isEmpty else { return [] }
        let longest = pack.map(\.count).max()!
        let work = Workspace(config: config, rows: tokens.count, keyCapacity: longest, scoreRows: longest)
        embed(tokens, into: work.hidden)
        runBlocks(rows: tokens.count, work: work, context: .encoder(pack))
        let h = config.hiddenSize
        return pack.map { sequence in
            let out = Matrix(rows: sequence.count, cols: h)
            Elementwise.rmsNorm(work.hidden.row(sequence.start), weight: weights.finalNorm, rows: sequence.count, cols: h,
                                eps: config.normEps, into: out.data)
            return out
        }
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
        for (t, id) in tokens.enumerated() {
            weights.embedding.row(id, into: hidden.row(t))  // no √H scaling in LFM2
        }
    }

    private func computeLogits(row: Int, work: Workspace, into logits: UnsafeMutablePointer<Float>) {
        Elementwise.rmsNorm(work.hidden.row(row), weight: weights.finalNorm, rows: 1, cols: config.hiddenSize,
                            eps: config.normEps, into: work.lastNormed.data)
        LinearAlgebra.linear(work.lastNormed.data, rows: 1, weight: weights.outputHead, into: logits)
    }
}
