@testable import ColBERT
import Foundation
import Testing
import TestSupport

/// What the encoder reads from the folder, and clear errors for folders that are not (valid) ColBERT models.
@Suite struct ColBERTFolderTests {
    /// A copy of a fixture ColBERT folder that a test may edit; remove `.deletingLastPathComponent()` afterwards.
    func copy(_ kind: String) throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("colbert-\(kind)-tiny")
        try FileManager.default.copyItem(at: Fixtures.url("colbert-\(kind)-tiny"), to: folder)
        return folder
    }

    func editJSON(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    func loadError(_ folder: URL) -> String {
        do {
            _ = try ColBERTEncoder.load(directory: folder)
            return "(no error)"
        } catch {
            return String(describing: error)
        }
    }

    @Test func configReadFromTheFiles() throws {
        let config = try ColBERTConfig.load(directory: Fixtures.url("colbert-causal-tiny"))
        #expect(config.queryPrefix == "[Q] " && config.documentPrefix == "[D] ")
        #expect(config.queryLength == 16 && config.documentLength == 40)
        #expect(config.doQueryExpansion && !config.attendToExpansionTokens)
        #expect(config.skiplistWords == ColBERTConfig.defaultSkiplist && config.skiplistWords.count == 32)
        #expect(config.prompt == nil && !config.lowercases && config.transformerPath == "")
        #expect(config.denseLayers == [DenseLayerConfig(path: "1_Dense", inFeatures: 64, outFeatures: 48, bias: false,
                                                        activation: .identity, useResidual: false)])
    }

    @Test func backboneDirectionComesFromConfig() throws {
        #expect(try ColBERTReference.encoder("causal").backboneConfig.direction == .causal)
        #expect(try ColBERTReference.encoder("bidir").backboneConfig.direction == .bidirectional)
    }

    @Test func languageModelFolderIsNotColBERT() {
        let message = loadError(Fixtures.url("lfm2-tiny"))
        #expect(message.contains("not a PyLate ColBERT folder") && message.contains("modules.json")
                && message.contains("LFM2-ColBERT-350M"), "\(message)")
        let missing = loadError(URL(fileURLWithPath: "/nonexistent/colbert"))
        #expect(missing.contains("/nonexistent/colbert") && missing.contains("no such folder"), "\(missing)")
    }

    @Test func unknownActivationIsRefused() throws {
        let folder = try copy("causal")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try editJSON(folder.appendingPathComponent("1_Dense/config.json")) {
            $0["activation_function"] = "torch.nn.modules.activation.Softsign"
        }
        let message = loadError(folder)
        #expect(message.contains("1_Dense/config.json") && message.contains("Softsign"), "\(message)")
    }

    @Test func denseWidthMismatchIsRefused() throws {
        let folder = try copy("causal")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try editJSON(folder.appendingPathComponent("1_Dense/config.json")) { $0["in_features"] = 32 }
        let message = loadError(folder)
        #expect(message.contains("1_Dense/config.json") && message.contains("in_features is 32"), "\(message)")
    }

    @Test func missingSettingsAndBadFieldsAreRefused() throws {
        let folder = try copy("causal")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let settings = folder.appendingPathComponent("config_sentence_transformers.json")
        try editJSON(settings) { $0["query_length"] = "16" }
        var message = loadError(folder)
        #expect(message.contains("config_sentence_transformers.json") && message.contains("query_length"), "\(message)")
        try editJSON(settings) { $0["query_length"] = 16; $0["query_prefix"] = "[QUERY] " }
        message = loadError(folder)
        #expect(message.contains("tokenizer.json") && message.contains("[QUERY] "), "\(message)")
        try FileManager.default.removeItem(at: settings)
        message = loadError(folder)
        #expect(message.contains("config_sentence_transformers.json"), "\(message)")
    }

    @Test func settingsChangeTheInput() throws {
        let folder = try copy("causal")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let settings = folder.appendingPathComponent("config_sentence_transformers.json")
        // No query expansion: no padding, the query keeps only its real tokens.
        try editJSON(settings) { $0["do_query_expansion"] = false }
        var encoder = try ColBERTEncoder.load(directory: folder)
        var input = encoder.input(for: "fox", as: .query)
        #expect(input.ids.count < 16 && input.attentionMask.allSatisfy { $0 } && input.kept.allSatisfy { $0 })
        // Attending to expansion tokens: padded, every position attended.
        try editJSON(settings) { $0["do_query_expansion"] = true; $0["attend_to_expansion_tokens"] = true }
        encoder = try ColBERTEncoder.load(directory: folder)
        input = encoder.input(for: "fox", as: .query)
        #expect(input.ids.count == 16 && input.ids.last == 7 && input.attentionMask.allSatisfy { $0 })
        // No document prefix and an empty skiplist: nothing inserted, punctuation kept.
        try editJSON(settings) { $0["document_prefix"] = ""; $0["skiplist_words"] = [String]() }
        encoder = try ColBERTEncoder.load(directory: folder)
        input = encoder.input(for: "a, b.", as: .document)
        let prefix = try ColBERTReference.load("causal").document_prefix_id
        #expect(input.ids.first == 1 && !input.ids.contains(prefix) && input.kept.allSatisfy { $0 })
        #expect(input.ids.count == 1 + encoder.countDocumentTokens("a, b."))
        // A default prompt is prepended to every text (before stripping).
        let withoutPrompt = encoder.countDocumentTokens("search: fox")
        try editJSON(settings) { $0["prompts"] = ["query": "search: "]; $0["default_prompt_name"] = "query" }
        encoder = try ColBERTEncoder.load(directory: folder)
        #expect(encoder.countDocumentTokens("fox") == withoutPrompt)
    }

    @Test func fingerprintIsStableAndSpecific() throws {
        let causal = try ColBERTReference.encoder("causal").fingerprint
        #expect(causal.count == 16)
        #expect(causal == (try ColBERTReference.encoder("causal").fingerprint))
        #expect(causal != (try ColBERTReference.encoder("bidir").fingerprint))
        let folder = try copy("causal")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        #expect(try ColBERTEncoder.load(directory: folder).fingerprint == causal)  // the path is not hashed
        let dense = folder.appendingPathComponent("1_Dense/model.safetensors")
        var bytes = try Data(contentsOf: dense)
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: dense)
        #expect(try ColBERTEncoder.load(directory: folder).fingerprint != causal)
    }
}

/// Lengths in config_sentence_transformers.json size every query (it is padded to query_length): absurd ones are
/// refused when the folder is loaded.
@Suite struct ColBERTLengthBoundsTests {
    @Test func absurdLengthsAreRefused() throws {
        let folders = ColBERTFolderTests()
        for field in ["query_length", "document_length"] {
            for value in [1_000_000_000_000, 0, -3] {
                let folder = try folders.copy("causal")
                defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
                try folders.editJSON(folder.appendingPathComponent("config_sentence_transformers.json")) { $0[field] = value }
                do {
                    _ = try ColBERTConfig.load(directory: folder)
                    Issue.record("\(field) = \(value) was accepted")
                } catch let error as ColBERTError {
                    let file = folder.appendingPathComponent("config_sentence_transformers.json").path
                    let problem = "is \(value), expected a length from 1 to 131072 tokens"
                    #expect(error == .invalidField(file: file, field: field, problem: problem), "\(error)")
                }
            }
        }
    }
}
