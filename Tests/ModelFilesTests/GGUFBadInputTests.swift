import Foundation
import LFM2
import ModelFiles
import Testing
import TestSupport
import Weights

/// A fixture GGUF with one thing wrong: every case loads to a clear error that names the file (and the key or
/// tensor), never a crash.
@Suite struct GGUFBadInputTests {
    static let source = Fixtures.url("gguf/lfm2-quant-tiny-q4_0.gguf")

    /// The error message of loading the fixture after `edit`.
    func loadError(_ name: String, _ edit: (inout GGUFWriter) -> Void) throws -> String {
        var writer = GGUFWriter(copying: try GGUFFile(path: Self.source.path))
        edit(&writer)
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name + ".gguf")
        _ = try writer.write(to: url)
        do {
            _ = try LanguageModelFiles.load(argument: url.path)
        } catch {
            let message = String(describing: error)
            #expect(message.contains(url.path), "the error should name the file: \(message)")
            return message
        }
        Issue.record("\(name): loaded without an error")
        return ""
    }

    @Test func theUnchangedCopyLoads() throws {
        var writer = GGUFWriter(copying: try GGUFFile(path: Self.source.path))
        writer.replace("general.name", with: .string("copy"))
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("copy.gguf")
        let files = try LanguageModelFiles.load(argument: try writer.write(to: url).path)
        #expect(files.model.config.layerCount > 0)
    }

    @Test func anotherArchitectureIsNamed() throws {
        let moe = try loadError("moe") { $0.replace("general.architecture", with: .string("lfm2moe")) }
        // lfm2moe files are read; a dense file relabelled as one has no lfm2moe.* keys, and the first is named.
        #expect(moe.contains("lfm2moe.embedding_length"), "\(moe)")
        let llama = try loadError("llama") { $0.replace("general.architecture", with: .string("llama")) }
        #expect(llama.contains("\"llama\" is not LFM2"))
    }

    @Test func missingOrWrongConfigKeysAreNamed() throws {
        #expect(try loadError("no-width") { $0.replace("lfm2.embedding_length", with: nil) }
            .contains("lfm2.embedding_length"))
        #expect(try loadError("huge-width") { $0.replace("lfm2.embedding_length", with: .uint64(1 << 62)) }
            .contains("lfm2.embedding_length"))
        #expect(try loadError("kv-length") { $0.replace("lfm2.attention.head_count_kv", with: .array([.int32(2)])) }
            .contains("lfm2.attention.head_count_kv"))
        #expect(try loadError("kv-string") { $0.replace("lfm2.attention.head_count_kv", with: .string("2")) }
            .contains("lfm2.attention.head_count_kv"))
    }

    @Test func shapesThatDisagreeWithTheMetadataAreNamed() throws {
        let message = try loadError("width") { $0.replace("lfm2.embedding_length", with: .uint32(128)) }
        #expect(message.contains("token_embd.weight") || message.contains("blk."), "\(message)")
    }

    @Test func aTensorTypeFerretCannotComputeIsNamed() throws {
        // IQ4_NL blocks have Q4_0's size (32 elements in 18 bytes), so only the type id changes.
        let message = try loadError("iq4") { writer in
            let index = writer.tensors.firstIndex { $0.type == GGMLType.q4_0.rawValue }!
            writer.tensors[index].type = GGMLType.iq4_nl.rawValue
        }
        #expect(message.contains("IQ4_NL") && message.contains("blk."), "\(message)")
    }

    @Test func tokenizerDamageIsNamed() throws {
        #expect(try loadError("no-tokens") { $0.replace("tokenizer.ggml.tokens", with: nil) }
            .contains("tokenizer.ggml.tokens"))
        #expect(try loadError("short-types") { $0.replace("tokenizer.ggml.token_type", with: .array([.int32(1)])) }
            .contains("tokenizer.ggml.token_type"))
        #expect(try loadError("bad-type") { writer in
            writer.replace("tokenizer.ggml.token_type", with: .array(Array(repeating: .int32(9), count: 2688)))
        }.contains("tokenizer.ggml.token_type"))
        #expect(try loadError("bos") { $0.replace("tokenizer.ggml.bos_token_id", with: .uint32(1 << 30)) }
            .contains("bos_token_id"))
        #expect(try loadError("merge") { $0.replace("tokenizer.ggml.merges", with: .array([.string("nospace")])) }
            .contains("tokenizer.ggml.merges"))
        #expect(try loadError("pre") { $0.replace("tokenizer.ggml.pre", with: .string("mystery")) }
            .contains("mystery"))
    }

    @Test func aVocabularyThatDoesNotMatchTheEmbeddingIsRefused() throws {
        let file = try GGUFFile(path: Self.source.path)
        let tokens = try file.strings("tokenizer.ggml.tokens"), types = try file.ints("tokenizer.ggml.token_type")
        let message = try loadError("short-vocabulary") { writer in
            writer.replace("tokenizer.ggml.tokens", with: .array(tokens.dropLast(8).map { .string($0) }))
            writer.replace("tokenizer.ggml.token_type", with: .array(types.dropLast(8).map { .int32(Int32($0)) }))
        }
        #expect(message.contains("embedding"), "\(message)")
    }
}
