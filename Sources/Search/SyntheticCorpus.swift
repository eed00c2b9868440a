import Index
import Kernels

/// A deterministic stand-in for ColBERT token vectors, for tests and `ferret bench search`.
///
/// Real token vectors cluster by word type and shift with context; so here every token is the vector of a word
/// (one of `vocabulary` random unit vectors) plus Gaussian noise plus a per-passage context vector, re-normalised.
/// A passage draws half its words from its topic's 48 favoured words and half from a Zipf(1) distribution over the
/// whole vocabulary; its text spells the words as pseudo-words ("kamori tusena …") so FTS5 has something to index.
/// A query takes words from one target passage and its topic, with fresh noise. Nothing here is tuned to favour the
/// candidate scheme: recall is measured against exhaustive MaxSim on the same vectors.
public struct SyntheticCorpus: Sendable {
    public struct Passage: Sendable {
        public var text: String
        public var vectors: [Float]  // [tokens, dimension]
    }

    public struct Query: Sendable {
        public var text: String
        public var vectors: QueryVectors
    }

    public let dimension: Int
    public let vocabulary: Int
    public let topics: Int
    private let seed: UInt64
    private let words: [Float]          // [vocabulary, dimension]
    private let topicWords: [[Int]]     // [topics][48]
    private let zipf: [Double]          // cumulative, [vocabulary]
    private let wordNoise: Float = 0.35
    private let contextWeight: Float = 0.25

    public init(dimension: Int, vocabulary: Int = 16384, topics: Int = 512, seed: UInt64 = 1) {
        self.dimension = dimension
        self.vocabulary = vocabulary
        self.topics = topics
        self.seed = seed
        var random = SplitMix64(seed: seed)
        var words = [Float](repeating: 0, count: vocabulary * dimension)
        for w in 0..<vocabulary {
            Self.gaussian(&random, into: &words, offset: w * dimension, count: dimension, scale: 1)
            Self.normalize(&words, offset: w * dimension, count: dimension)
        }
        self.words = words
        topicWords = (0..<topics).map { _ in (0..<48).map { _ in Int(random.next() % UInt64(vocabulary)) } }
        var cumulative = [Double](repeating: 0, count: vocabulary)
        var total = 0.0
        for w in 0..<vocabulary {
            total += 1 / Double(w + 1)
            cumulative[w] = total
        }
        zipf = cumulative.map { $0 / total }
    }

    /// Passage number `index` with `tokens` token vectors (deterministic in the corpus seed and `index`).
    public func passage(_ index: Int, tokens: Int) -> Passage {
        var random = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        let topic = Int(random.next() % UInt64(topics))
        var context = [Float](repeating: 0, count: dimension)
        Self.gaussian(&random, into: &context, offset: 0, count: dimension, scale: 1)
        Self.normalize(&context, offset: 0, count: dimension)
        var ids: [Int] = []
        ids.reserveCapacity(tokens)
        for _ in 0..<tokens {
            if random.next() & 1 == 0 {
                ids.append(topicWords[topic][Int(random.next() % 48)])
            } else {
                let u = Double(random.next() >> 11) / Double(1 << 53)
                ids.append(min(vocabulary - 1, lowerBound(zipf, u)))
            }
        }
        var vectors = [Float](repeating: 0, count: tokens * dimension)
        for (t, w) in ids.enumerated() {
            let offset = t * dimension
            Self.gaussian(&random, into: &vectors, offset: offset, count: dimension, scale: wordNoise / Float(dimension).squareRoot())
            for d in 0..<dimension {
                vectors[offset + d] += words[w * dimension + d] + contextWeight * context[d]
            }
            Self.normalize(&vectors, offset: offset, count: dimension)
        }
        return Passage(text: ids.map(Self.spell).joined(separator: " "), vectors: vectors)
    }

    /// A query of `tokens` vectors about passage `target`: words from its first five tokens and from its topic.
    public func query(targeting target: Int, tokens: Int) -> Query {
        var random = SplitMix64(seed: seed ^ (UInt64(target) &* 0x9E37_79B9_7F4A_7C15))
        let topic = Int(random.next() % UInt64(topics))
        let firstWords = Array(passage(target, tokens: 5).text.split(separator: " ").map(String.init))
        var queryRandom = SplitMix64(seed: seed &+ 0x51_7CC1_B727_220A ^ UInt64(target))
        var ids: [Int] = []
        var text: [String] = []
        for t in 0..<tokens {
            let w: Int
            if t % 2 == 0, let word = firstWords.isEmpty ? nil : firstWords[Int(queryRandom.next() % UInt64(firstWords.count))],
               let id = Self.unspell(word) {
                w = id
            } else {
                w = topicWords[topic][Int(queryRandom.next() % 48)]
            }
            ids.append(w)
            if t < 12 { text.append(Self.spell(w)) }
        }
        var vectors = [Float](repeating: 0, count: tokens * dimension)
        for (t, w) in ids.enumerated() {
            let offset = t * dimension
            Self.gaussian(&queryRandom, into: &vectors, offset: offset, count: dimension,
                          scale: wordNoise / Float(dimension).squareRoot())
            for d in 0..<dimension { vectors[offset + d] += words[w * dimension + d] }
            Self.normalize(&vectors, offset: offset, count: dimension)
        }
        return Query(text: text.joined(separator: " "),
                     vectors: QueryVectors(vectors: vectors, count: tokens, dimension: dimension))
    }

    // MARK: - Helpers

    private static let syllables = ["ka", "ri", "mo", "tu", "se", "na", "pi", "lo", "be", "du", "fa", "gi", "ho", "je", "ku", "my"]

    /// Word number `w` as a pronounceable pseudo-word: its base-16 digits as syllables, at least two.
    static func spell(_ w: Int) -> String {
        var digits: [Int] = []
        var rest = w
        repeat {
            digits.append(rest % 16)
            rest /= 16
        } while rest > 0
        while digits.count < 2 { digits.append(0) }
        return digits.reversed().map { syllables[$0] }.joined()
    }

    static func unspell(_ word: String) -> Int? {
        var value = 0
        var rest = Substring(word)
        while !rest.isEmpty {
            guard let digit = syllables.firstIndex(where: { rest.hasPrefix($0) }) else { return nil }
            value = value * 16 + digit
            rest = rest.dropFirst(2)
        }
        return value
    }

    private func lowerBound(_ cumulative: [Double], _ u: Double) -> Int {
        var low = 0, high = cumulative.count
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Approximately normal values (Irwin–Hall sum of four uniforms, rescaled to unit variance) times `scale`.
    private static func gaussian(_ random: inout SplitMix64, into values: inout [Float], offset: Int, count: Int, scale: Float) {
        let unit: Float = 1.0 / 65536
        let stretch = Float(3).squareRoot() * scale
        for i in 0..<count {
            let bits = random.next()
            let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF) + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
            values[offset + i] += (sum * unit - 2) * stretch
        }
    }

    private static func normalize(_ values: inout [Float], offset: Int, count: Int) {
        var norm: Float = 0
        for i in 0..<count { norm += values[offset + i] * values[offset + i] }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in 0..<count { values[offset + i] *= scale }
    }
}
