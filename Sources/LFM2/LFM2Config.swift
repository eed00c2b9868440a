import Foundation

/// The typed configuration of an LFM2 / LFM2.5 model or encoder (dense, or `lfm2_moe` with `experts`), decoded from `config.json` with every alias of
/// the reference (spec §1.1). Unknown or wrongly typed values throw at decode time; nothing is stringly typed later.
public struct LFM2Config: Sendable, Equatable {
    public enum LayerKind: String, Sendable { case conv, attention = "full_attention" }
    /// How tokens see each other: causal LMs and LFM2-ColBERT, or the centred conv + full attention of
    /// `Lfm2BidirectionalModel` encoders (LFM2.5-ColBERT).
    public enum Direction: Sendable { case causal, bidirectional }

    public var hiddenSize: Int
    public var layerKinds: [LayerKind]
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var convKernel: Int
    public var convBias: Bool
    /// FFN width after the auto-adjust rule; the loader replaces it with the `w1` shape when they differ.
    public var ffnWidth: Int
    public var normEps: Float
    public var ropeTheta: Float
    public var maxPositions: Int
    public var vocabSize: Int
    public var tieEmbeddings: Bool
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]
    public var padTokenID: Int?
    public var direction: Direction
    /// The routed experts of an `lfm2_moe` model (spec §7); nil for dense LFM2 / LFM2.5.
    public var experts: MixtureOfExpertsConfig? = nil

    public var layerCount: Int { layerKinds.count }

    public static func load(directory: URL) throws -> LFM2Config {
        let file = directory.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ModelError.unreadableConfig(file: file.path, reason: "the file does not exist or cannot be opened")
        }
        return try decode(data, file: file.path)
    }

    public static func decode(_ data: Data, file: String = "config.json") throws -> LFM2Config {
        guard let object = (try? JSONValue.parse(data))?.object else {
            throw ModelError.unreadableConfig(file: file, reason: "it is not a JSON object")
        }
        return try ConfigReader(object, file: file).lfm2Config()
    }

    /// The FFN width rule of `Lfm2MLP.__init__` (spec §1.1).
    public static func ffnWidth(base: Int, autoAdjust: Bool, multiplier: Double?, multipleOf: Int) -> Int {
        guard autoAdjust else { return base }
        var width = Int(2 * Double(base) / 3)
        if let multiplier {
            width = Int(multiplier * Double(width))
            width = multipleOf * ((width + multipleOf - 1) / multipleOf)
        }
        return width
    }
}
