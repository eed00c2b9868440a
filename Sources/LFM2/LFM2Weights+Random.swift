import Kernels

extension LFM2Weights {
    /// Random weights of `config`'s shapes, built in memory (benchmarks: speed does not depend on the values).
    /// Uniform values scaled by 1/√fan-in keep activations finite through all blocks.
    public static func random(config: LFM2Config, seed: UInt64 = 1) -> LFM2Weights {
        var state = seed | 1
        func fill(_ m: Matrix, scale: Float) {
            for i in 0..<m.count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17   // xorshift64
                m.data[i] = (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
            }
        }
        func matrix(_ rows: Int, _ cols: Int) -> Matrix {
            let m = Matrix(rows: rows, cols: cols)
            fill(m, scale: 1 / Float(cols).squareRoot())
            return m
        }
        let h = config.hiddenSize, d = config.headDim, f = config.ffnWidth
        let ones = [Float](repeating: 1, count: h)
        let blocks = config.layerKinds.map { kind -> Block in
            let mixer: Mixer
            switch kind {
            case .conv:
                mixer = .conv(ShortConv(inProjection: matrix(3 * h, h), kernel: matrix(h, config.convKernel),
                                        outProjection: matrix(h, h), inBias: nil, kernelBias: nil, outBias: nil))
            case .attention:
                mixer = .attention(Attention(
                    query: matrix(config.headCount * d, h), key: matrix(config.kvHeadCount * d, h),
                    value: matrix(config.kvHeadCount * d, h), output: matrix(h, config.headCount * d),
                    queryNorm: [Float](repeating: 1, count: d), keyNorm: [Float](repeating: 1, count: d)))
            }
            return Block(operatorNorm: ones, mixer: mixer, ffnNorm: ones,
                         gate: matrix(f, h), up: matrix(f, h), down: matrix(h, f))
        }
        return LFM2Weights(embedding: matrix(config.vocabSize, h), blocks: blocks, finalNorm: ones, head: nil)
    }
}
