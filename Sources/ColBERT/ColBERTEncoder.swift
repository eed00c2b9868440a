import Foundation
import Kernels
import LFM2
import Tokenizers

/// A PyLate ColBERT model ready to encode: text → kept token ids → L2-normalised vectors, with PyLate 1.6's exact
/// semantics for LFM2-ColBERT-350M (causal backbone) and LFM2.5-ColBERT-350M (bidirectional backbone).
///
/// ```swift
/// let encoder = try ColBERTEncoder.load(directory: URL(fileURLWithPath: "LFM2-ColBERT-350M"))
/// let query = try encoder.encodeQuery("What is the capital of France?")    // always query_length vectors
/// let passage = try encoder.encodeDocument("Paris is the capital of France.")
/// let score = ColBERTEncoder.maxSim(query: query, document: passage)
/// ```
/// Everything is read from the folder (modules.json, config_sentence_transformers.json, the Dense folders); nothing
/// about sizes is hard-coded. Immutable and `Sendable`: one encoder can serve many threads.
public struct ColBERTEncoder: Sendable {
    /// The model folder's name (`LFM2-ColBERT-350M`).
    public let name: String
    public let config: ColBERTConfig
    /// FNV-1a 64 of the weight files (hex), to refuse an index built with other weights.
    public let fingerprint: String
    let backbone: LFM2Model
    let builder: SequenceBuilder
    let dense: [DenseLayer]

    /// Width of the output vectors (the last Dense layer's `out_features`).
    public var dimension: Int { dense.last?.config.outFeatures ?? backbone.config.hiddenSize }
    /// Maximum tokens of a document, BOS and prefix included (`document_length`).
    public var documentLength: Int { config.documentLength }
    /// Tokens of every query, BOS, prefix and expansion included (`query_length`), when query expansion is on.
    public var queryLength: Int { config.queryLength }
    /// How many text tokens of a document are encoded; the rest is truncated (`document_length` minus BOS and prefix).
    public var documentTextCapacity: Int { builder.document.textCapacity }
    /// The backbone (causal for LFM2-ColBERT, bidirectional for LFM2.5-ColBERT).
    public var backboneConfig: LFM2Config { backbone.config }
    /// Drops the backbone's memory-mapped weights from resident memory until the next encoding pages them back in.
    public func releaseResidentWeights() { backbone.weights.matrices.forEach { $0.releaseResidentPages() } }

    /// Bytes of the backbone's matrices at the precision they were loaded in.
    public var backboneMatrixBytes: Int { backbone.weights.matrixBytes }

    /// Loads the ColBERT folder at `directory`: its configuration, tokenizer, backbone and Dense projections.
    /// - Parameter precision: the backbone's matrices (`--dtype`); the small Dense projections stay F32.
    public static func load(directory: URL, precision: Precision = .auto) throws -> ColBERTEncoder {
        let config = try ColBERTConfig.load(directory: directory)
        let backboneDirectory = directory.appendingPathComponent(config.transformerPath, isDirectory: true)
        let tokenizer = try Tokenizer.load(directory: backboneDirectory)
        let settings = try TokenizerSettings.load(directory: backboneDirectory)
        let builder = try SequenceBuilder(config: config, tokenizer: tokenizer, settings: settings,
                                          modelDirectory: directory, tokenizerDirectory: backboneDirectory)
        let backbone = try LFM2Model.load(directory: backboneDirectory, withHead: false, precision: precision)

        var width = backbone.config.hiddenSize
        var dense: [DenseLayer] = []
        for layerConfig in config.denseLayers {
            let folder = directory.appendingPathComponent(layerConfig.path, isDirectory: true)
            guard layerConfig.inFeatures == width else {
                throw ColBERTError.shapeMismatch(
                    file: folder.appendingPathComponent("config.json").path,
                    detail: "in_features is \(layerConfig.inFeatures) but its input is \(width) wide")
            }
            dense.append(try DenseLayer.load(directory: folder, config: layerConfig))
            width = layerConfig.outFeatures
        }

        let rows = backbone.weights.embedding.rows
        for id in [builder.query.prefixID, builder.document.prefixID, builder.padID].compactMap({ $0 }) where id >= rows {
            throw ColBERTError.shapeMismatch(
                file: backboneDirectory.appendingPathComponent("config.json").path,
                detail: "the tokenizer's prefix/pad token id \(id) has no row in the embedding of \(rows) rows")
        }
        let fingerprint = try WeightFingerprint.compute(directory: directory,
                                                        folders: [config.transformerPath] + config.denseLayers.map(\.path))
        return ColBERTEncoder(name: directory.standardizedFileURL.lastPathComponent, config: config,
                              fingerprint: fingerprint, backbone: backbone, builder: builder, dense: dense)
    }

    /// The vectors of a query: exactly `queryLength` of them with query expansion (BOS, prefix, text, expansions).
    public func encodeQuery(_ text: String) throws -> TokenVectors {
        try encode(text, as: .query)
    }

    /// The vectors of a document: BOS, prefix and text tokens up to `documentLength`, without skiplist tokens.
    public func encodeDocument(_ text: String) throws -> TokenVectors {
        try encode(text, as: .document)
    }

    /// The backbone input PyLate would build for `text` (for inspection and tests).
    public func input(for text: String, as role: TextRole) -> ColBERTInput {
        builder.input(text, role: role)
    }

    /// Number of text tokens `text` has as a document before truncation (no BOS or prefix): compare it with
    /// `documentTextCapacity` when chunking.
    public func countDocumentTokens(_ text: String) -> Int {
        builder.textIDs(text).count
    }

    /// The vectors of several documents, in order. Each document is encoded exactly as `encodeDocument` would (the
    /// backbone packs them without padding), but the projections run as large matrix products: faster than one by one.
    /// - Parameter batchTokens: about how many tokens go through the backbone in one pass (bounds memory).
    public func encodeDocuments(_ texts: [String], batchTokens: Int = 4096) throws -> [TokenVectors] {
        var results: [TokenVectors] = []
        results.reserveCapacity(texts.count)
        var batch: [ColBERTInput] = []
        var tokens = 0
        for text in texts {
            let input = builder.input(text, role: .document)
            if !batch.isEmpty && tokens + input.ids.count > batchTokens {
                results += try encode(batch)
                batch.removeAll(keepingCapacity: true)
                tokens = 0
            }
            batch.append(input)
            tokens += input.ids.count
        }
        if !batch.isEmpty { results += try encode(batch) }
        return results
    }

    /// Encodes one text on its own (a batch of one, so no document padding: spec gotcha 12).
    public func encode(_ text: String, as role: TextRole) throws -> TokenVectors {
        try encode([builder.input(text, role: role)])[0]
    }

    /// Backbone over the packed inputs, then the Dense layers and L2 normalisation over the kept rows of each.
    private func encode(_ inputs: [ColBERTInput]) throws -> [TokenVectors] {
        let sequences = inputs.map { input in
            EncoderSequence(tokens: input.ids, keyMask: input.attentionMask.allSatisfy { $0 } ? nil : input.attentionMask)
        }
        let hidden = try backbone.encode(batch: sequences)  // [Tᵢ, H] each

        // Dense layers and normalisation act on each row alone, so only kept rows are projected, all inputs at once.
        let keptRows = inputs.map { input in input.kept.indices.filter { input.kept[$0] } }
        let total = keptRows.reduce(0) { $0 + $1.count }
        guard total > 0 else { return inputs.map { _ in TokenVectors(ids: [], vectors: [], dimension: dimension) } }
        var rows = Matrix(rows: total, cols: backbone.config.hiddenSize)  // [K, H]
        var next = 0
        for (states, kept) in zip(hidden, keptRows) {
            for position in kept {
                rows.row(next).update(from: states.row(position), count: states.cols)
                next += 1
            }
        }
        for layer in dense { rows = layer.apply(rows) }  // [K, out]
        for row in 0..<rows.rows { Elementwise.l2Normalize(rows.row(row), count: rows.cols) }

        let width = rows.cols
        let all = rows.toArray()
        var offset = 0
        return zip(inputs, keptRows).map { input, kept in
            defer { offset += kept.count }
            return TokenVectors(ids: kept.map { input.ids[$0] },
                                vectors: Array(all[offset * width ..< (offset + kept.count) * width]), dimension: width)
        }
    }
}
