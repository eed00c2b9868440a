import Foundation

extension ColBERTConfig {
    /// A short digest of the settings around the weights that change the vectors an encoder writes: the query and
    /// document prefixes, their lengths, query expansion and whether expansion tokens are attended to, the skiplist,
    /// the default prompt, lower-casing and each Dense layer's activation, bias and residual. The weights alone
    /// (`WeightFingerprint`) miss these: the same checkpoint with `query_length` 32 instead of 48, or another prefix,
    /// writes other vectors, and an index must not mix the two. Ferret always L2-normalises and scores with MaxSim,
    /// so `similarity_fn_name` is not part of it. FNV-1a 64 over one line per setting, in a fixed order (hex).
    public var headFingerprint: String {
        var lines = [
            "query_prefix=\(queryPrefix.debugDescription)",
            "document_prefix=\(documentPrefix.debugDescription)",
            "query_length=\(queryLength)",
            "document_length=\(documentLength)",
            "do_query_expansion=\(doQueryExpansion)",
            "attend_to_expansion_tokens=\(attendToExpansionTokens)",
            "skiplist_words=\(skiplistWords.map(\.debugDescription).joined(separator: ","))",
            "prompt=\(prompt?.debugDescription ?? "none")",
            "do_lower_case=\(lowercases)",
        ]
        for layer in denseLayers {
            lines.append("dense \(layer.path)=\(layer.activation.rawValue),bias=\(layer.bias),residual=\(layer.useResidual)")
        }
        var hash = WeightFingerprint.offsetBasis
        WeightFingerprint.mix(Array(lines.joined(separator: "\n").utf8), into: &hash)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }
}

extension ColBERTEncoder {
    /// `config.headFingerprint`: recorded by an index next to the weights' fingerprint.
    public var head: String { config.headFingerprint }
}
