import Kernels

extension LFM2Weights {
    /// Random weights of `config`'s shapes, built in memory and stored as `type` (benchmarks: speed does not depend
    /// on the values). Uniform values scaled by 1/√fan-in keep activations finite through all blocks.
    public static func random(config: LFM2Config, type: ElementType = .f32, seed: UInt64 = 1) -> LFM2Weights {
        var state = seed | 1
        func matrix(_ rows: Int, _ cols: Int) -> WeightMatrix {
            let scale = 1 / Float(cols).squareRoot()
            let values = WeightMatrix(rows: rows, cols: cols, type: .f32) { memory in
                let m = memory.assumingMemoryBound(to: Float.self)
                for i in 0..<rows * cols {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17   // xorshift64
                    m[i] = (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
                }
            }
            return values.converted(to: type)
        }
        let h = config.hiddenSize, d = config.headDim, f = config.ffnWidth
        let ones = [Float](repeating: 1, count: h)
        let blocks = config.layerKinds.enumerated().map { index, kind -> Block in
            let mixer: Mixer
            switch kind {
            case .conv:
                let kernel = matrix(h, config.convKernel)
                mixer = .conv(ShortConv(inProjection: matrix(3 * h, h),
                                        kernel: Matrix(rows: h, cols: config.convKernel, values: kernel.toFloats()),
                                        outProjection: matrix(h, h), inBias: nil, kernelBias: nil, outBias: nil))
            case .attention:
                mixer = .attention(Attention(
                    query: matrix(config.headCount * d, h), key: matrix(config.kvHeadCount * d, h),
                    value: matrix(config.kvHeadCount * d, h), output: matrix(h, config.headCount * d),
                    queryNorm: [Float](repeating: 1, count: d), keyNorm: [Float](repeating: 1, count: d)))
            }
            let feedForward: FeedForward
            if let moe = config.experts, config.isSparse(layer: index) {
                feedForward = .experts(MixtureOfExperts(
                    router: matrix(moe.count, h),
                    bias: moe.usesExpertBias ? [Float](repeating: 0, count: moe.count) : nil,
                    experts: (0..<moe.count).map { _ in
                        SwiGLU(gate: matrix(moe.width, h), up: matrix(moe.width, h), down: matrix(h, moe.width))
                    }))
            } else {
                feedForward = .dense(SwiGLU(gate: matrix(f, h), up: matrix(f, h), down: matrix(h, f)))
            }
            return Block(operatorNorm: ones, mixer: mixer, ffnNorm: ones, feedForward: feedForward)
        }
        return LFM2Weights(embedding: matrix(config.vocabSize, h), blocks: blocks, finalNorm: ones, head: nil)
    }

    /// Every matrix once (the tied head is the embedding).
    public var matrices: [WeightMatrix] {
        var all = [embedding] + (head.map { [$0] } ?? [])
        for block in blocks {
            switch block.mixer {
            case .conv(let conv): all += [conv.inProjection, conv.outProjection]
            case .attention(let a): all += [a.query, a.key, a.value, a.output]
            }
            switch block.feedForward {
            case .dense(let mlp): all += [mlp.gate, mlp.up, mlp.down]
            case .experts(let moe): all += [moe.router] + moe.experts.flatMap { [$0.gate, $0.up, $0.down] }
            }
        }
        return all
    }

    /// Bytes of every matrix (the tied head counted once): what decode streams per token, plus the embedding.
    public var matrixBytes: Int { matrices.reduce(0) { $0 + $1.byteCount } }
}
