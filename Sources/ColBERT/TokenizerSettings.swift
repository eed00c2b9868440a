import Foundation
import LFM2

/// The few tokenizer settings PyLate's tokenization depends on beyond what `Tokenizer` exposes: the mask token
/// (PyLate pads queries with it when there is one, else with EOS), and the padding and truncation sides.
/// `special_tokens_map.json` overrides `tokenizer_config.json`, as in `transformers`.
struct TokenizerSettings: Equatable {
    enum Side: String { case left, right }

    var maskToken: String?
    var paddingSide: Side = .right
    var truncationSide: Side = .right

    static func load(directory: URL) throws -> TokenizerSettings {
        var settings = TokenizerSettings()
        let fm = FileManager.default
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        if fm.fileExists(atPath: configURL.path) {
            let file = try JSONFile.read(configURL)
            let object = try file.object()
            settings.maskToken = try file.token("mask_token", in: object)
            settings.paddingSide = try side("padding_side", file: file, object: object) ?? .right
            settings.truncationSide = try side("truncation_side", file: file, object: object) ?? .right
        }
        let mapURL = directory.appendingPathComponent("special_tokens_map.json")
        if fm.fileExists(atPath: mapURL.path) {
            let file = try JSONFile.read(mapURL)
            if let mask = try file.token("mask_token", in: file.object()) { settings.maskToken = mask }
        }
        return settings
    }

    private static func side(_ key: String, file: JSONFile, object: [String: JSONValue]) throws -> Side? {
        guard let name = try file.string(key, in: object) else { return nil }
        guard let side = Side(rawValue: name) else {
            throw ColBERTError.invalidField(file: file.path, field: key, problem: "is \"\(name)\", expected \"left\" or \"right\"")
        }
        return side
    }
}
