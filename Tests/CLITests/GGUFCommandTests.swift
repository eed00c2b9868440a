import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// A Q4_K_M GGUF file (llama.cpp's converter and quantiser, scripts/fixtures/gguf.py) wherever a generator folder
/// goes: `generate`, `tokenize`, `ask`, `chat` and `serve`, as a user runs them.
@Suite struct GGUFCommandTests {
    static let file = Fixtures.url("gguf/lfm2-quant-tiny-q4_k_m.gguf").path

    struct Reference: Decodable {
        struct Run: Decodable { let prompt: String; let prompt_ids: [Int]; let greedy: [Int]; let greedy_margins: [Float] }
        struct Outputs: Decodable { let logits: String; let runs: [Run] }
        struct Tokenization: Decodable { let text: String; let llama_ids: [Int] }
        struct File: Decodable { let llama: Outputs; let reference: Outputs; let tokenization: [Tokenization] }
        let files: [String: File]
    }

    struct Generated: Decodable { let prompt_ids: [Int]; let ids: [Int]; let stop: String }

    static let reference = try! Fixtures.decode(Reference.self, from: "gguf/reference.json").files["lfm2-quant-tiny-q4_k_m.gguf"]!

    @Test func generateContinuesAsLlamaCpp() throws {
        let text = Self.reference.tokenization[0].text
        let run = try #require(Self.reference.llama.runs.first { $0.prompt == "prompt0" })
        let result = try FerretBinary.run(["generate", "--model", Self.file, "--prompt", text, "--max-tokens", "24", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let generated = try JSONDecoder().decode(Generated.self, from: Data(result.stdout.utf8))
        #expect(generated.prompt_ids == run.prompt_ids)
        // Equal while llama.cpp's margin exceeds twice its own distance from the dequantised F32 reference (Ferret's
        // prefill is closer to it; GGUFParityTests checks that), and before any <|im_end|> (7), where ours stops.
        let noise = 2 * Difference(expected: try Fixtures.floats("gguf/" + Self.reference.reference.logits),
                                   actual: try Fixtures.floats("gguf/" + Self.reference.llama.logits)).maxAbs
        let trusted = min(run.greedy_margins.firstIndex { $0 < noise } ?? run.greedy.count,
                          run.greedy.firstIndex(of: 7) ?? run.greedy.count)
        #expect(Array(generated.ids.prefix(trusted)) == Array(run.greedy.prefix(trusted)),
                "ferret \(generated.ids) llama.cpp \(run.greedy), equal for \(trusted) required")
    }

    @Test func tokenizeReadsTheFilesVocabulary() throws {
        for entry in Self.reference.tokenization {
            let result = try FerretBinary.run(["tokenize", "--model", Self.file, "--json", entry.text])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\(entry.llama_ids.map(String.init).joined(separator: ","))"), "\(result.stdout)")
        }
    }

    @Test func askAndChatAnswerWithTheFile() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        #expect(try FerretBinary.run(["index", notes.path, "--index", index]).status == 0)
        let ask = try FerretBinary.run(["ask", "kettle descale", "--index", index, "--generator", Self.file,
                                        "--max-tokens", "8", "--jsonl"])
        #expect(ask.status == 0, "\(ask.stderr)")
        let lines = ask.stdout.split(separator: "\n")
        #expect(lines.first?.contains("\"delta\"") == true && lines.last?.contains("\"done\"") == true, "\(ask.stdout)")
        let script = folder.appendingPathComponent("input.txt")
        try Data("How often should the kettle be descaled?\n/sources\n/quit\n".utf8).write(to: script)
        let chat = try FerretBinary.run(["chat", "--index", index, "--generator", Self.file, "--max-tokens", "8"],
                                        standardInput: script)
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stdout.split(separator: "\n").count >= 2, "an answer, then /sources: \(chat.stdout)")
    }

    @Test func serveAnswersWithTheFile() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try SampleNotes.write(under: folder)
        let index = folder.appendingPathComponent("i.sqlite").path
        #expect(try await offPool { try FerretBinary.run(["index", notes.path, "--index", index]) }.status == 0)
        let (process, started) = try await offPool { try ServeProcess.start(["--index", index, "--port", "0", "--generator", Self.file,
                                                         "--max-tokens", "8"]) }
        defer { if process.isRunning { process.terminate() } }
        let address = try #require(started, "ferret serve exited before listening")
        let (models, _) = try await URLSession.shared.data(from: URL(string: address + "/v1/models")!)
        #expect(String(decoding: models, as: UTF8.self).contains("lfm2-quant-tiny-q4_k_m"))
        var request = URLRequest(url: URL(string: address + "/v1/chat/completions")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"messages":[{"role":"user","content":"How often should the kettle be descaled?"}]}"#.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = String(decoding: data, as: UTF8.self)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(body)")
        #expect(body.contains("\"chat.completion\"") && body.contains("\"extracted\":false"), "\(body)")
        process.terminate()
        process.waitUntilExit()
    }

    @Test func aGGUFFileIsNotAnEncoder() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try FerretBinary.run(["index", folder.path, "--index", folder.appendingPathComponent("i.sqlite").path,
                                           "--model", Self.file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("ColBERT encoder is read from its Hugging Face folder"), "\(result.stderr)")
    }

    @Test func aFileThatIsNotAModelIsNamed() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let result = try FerretBinary.run(["generate", "--model", text.path, "--prompt", "hi"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(text.path) && result.stderr.contains("not a GGUF file"), "\(result.stderr)")
    }
}
