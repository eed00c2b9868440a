import Foundation
import Testing
import TestSupport

/// `ferret search`, `status` and `remove` as a user runs them, on a small folder indexed with the tiny ColBERT model.
@Suite struct SearchCommandTests {
    let model = Fixtures.url("colbert-causal-tiny").path

    /// A folder `notes/` with an English, a French and a CJK note, indexed into `i.sqlite` (with the model unless
    /// `lexical`).
    func makeIndexedNotes(lexical: Bool = false) throws -> (folder: URL, index: String) {
        let folder = try Fixtures.temporaryDirectory()
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("The water cycle moves water between the sea, the air and the land.\nRain falls on mountains.\n".utf8)
            .write(to: notes.appendingPathComponent("water.md"))
        try Data("Le vélo transmet la force des pédales à la roue arrière.\n".utf8).write(to: notes.appendingPathComponent("velo.md"))
        try Data("我昨天去了北京大学图书馆。\n昨日は図書館で本を読みました。\n".utf8).write(to: notes.appendingPathComponent("cjk.txt"))
        let index = folder.appendingPathComponent("i.sqlite").path
        let run = try FerretBinary.run(["index", notes.path, "--index", index] + (lexical ? [] : ["--model", model]))
        #expect(run.status == 0, "\(run.stderr)")
        return (folder, index)
    }

    @Test func lexicalSearchFindsChineseAndJapaneseWords() throws {
        let (folder, index) = try makeIndexedNotes(lexical: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let chinese = try FerretBinary.run(["search", "北京", "--index", index], environment: ["NO_COLOR": "1"])
        #expect(chinese.status == 0 && chinese.stdout.contains("cjk.txt:1"), "\(chinese.stdout)\(chinese.stderr)")
        #expect(!chinese.stdout.contains("\u{1B}["), "colour on a pipe")
        let japanese = try FerretBinary.run(["search", "図書館", "--index", index, "--json"])
        let hits = try JSONSerialization.jsonObject(with: Data(japanese.stdout.utf8)) as? [[String: Any]]
        #expect(hits?.count == 1 && (hits?.first?["path"] as? String)?.hasSuffix("cjk.txt") == true, "\(japanese.stdout)")
        let scores = hits?.first?["scores"] as? [String: Any]
        #expect(scores?["bm25"] is Double && scores?["maxsim"] is NSNull)
    }

    @Test func jsonPrintsEmptyArrayWhenNothingMatches() throws {
        let (folder, index) = try makeIndexedNotes(lexical: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try FerretBinary.run(["search", "zeppelin", "--index", index, "--json"])
        #expect(run.status == 0)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let human = try FerretBinary.run(["search", "zeppelin", "--index", index])
        #expect(human.stdout.isEmpty && human.stderr.contains("no results"))
    }

    @Test func hybridAndSemanticSearchWithTheModel() throws {
        let (folder, index) = try makeIndexedNotes()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hybrid = try FerretBinary.run(["search", "water sea", "--index", index, "--model", model, "--json", "-k", "3"])
        #expect(hybrid.status == 0, "\(hybrid.stderr)")
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(hybrid.stdout.utf8)) as? [[String: Any]])
        #expect(hits.count == 3)
        #expect((hits.first?["path"] as? String)?.hasSuffix("water.md") == true)
        let scores = hits.first?["scores"] as? [String: Any]
        #expect(scores?["rrf"] is Double && scores?["maxsim"] is Double && scores?["bm25"] is Double)
        let semantic = try FerretBinary.run(["search", "bicycle", "--index", index, "--model", model, "--mode", "semantic",
                                             "--path", "*.md"])
        #expect(semantic.status == 0 && !semantic.stdout.contains("cjk.txt"), "\(semantic.stdout)")
        #expect(semantic.stdout.contains(" 1  "))
    }

    @Test func wrongModelOrMissingModelIsExplained() throws {
        let (folder, index) = try makeIndexedNotes()
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = Fixtures.url("colbert-bidir-tiny").path
        let wrong = try FerretBinary.run(["search", "water", "--index", index, "--model", other])
        #expect(wrong.status == 1 && wrong.stderr.contains("colbert-causal-tiny") && wrong.stderr.contains("colbert-bidir-tiny"),
                "\(wrong.stderr)")
        // Without --model the index's own encoder is used, from where `index` saw it, and said so.
        let remembered = try FerretBinary.run(["search", "water", "--index", index, "--mode", "semantic"])
        #expect(remembered.status == 0 && remembered.stderr.contains("using the index's encoder"), "\(remembered.stderr)")
        // A lexical-only index cannot search semantically: the error says what is needed.
        let lexicalFolder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: lexicalFolder) }
        let lexical = lexicalFolder.appendingPathComponent("l.sqlite").path
        _ = try FerretBinary.run(["index", folder.appendingPathComponent("notes").path, "--index", lexical])
        let noModel = try FerretBinary.run(["search", "water", "--index", lexical, "--mode", "semantic"])
        #expect(noModel.status != 0 && noModel.stderr.contains("--model"), "\(noModel.stderr)")
    }

    @Test func foreignOrCorruptIndexFileGivesAClearError() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let notIndex = try FerretBinary.run(["search", "hello", "--index", text.path])
        #expect(notIndex.status == 1 && notIndex.stderr.contains("is not a Ferret index"), "\(notIndex.stderr)")
        let foreign = folder.appendingPathComponent("other.sqlite")
        try FileManager.default.copyItem(at: Fixtures.url("foreign.sqlite"), to: foreign)
        let status = try FerretBinary.run(["status", "--index", foreign.path])
        #expect(status.status == 1 && status.stderr.contains("not a Ferret index"), "\(status.stderr)")
        let missing = try FerretBinary.run(["status", "--index", folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1 && missing.stderr.contains("no index at"), "\(missing.stderr)")
    }

    @Test func statusAndRemove() throws {
        let (folder, index) = try makeIndexedNotes()
        defer { try? FileManager.default.removeItem(at: folder) }
        let status = try FerretBinary.run(["status", "--index", index, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["documents"] as? Int == 3 && object["schema_version"] as? Int == 6)
        #expect((object["encoder"] as? [String: Any])?["name"] as? String == "colbert-causal-tiny")
        #expect(object["bytes_per_token"] is Double && object["last_run"] is [String: Any])
        let human = try FerretBinary.run(["status", "--index", index])
        #expect(human.stdout.contains("documents   3") && human.stdout.contains("colbert-causal-tiny"), "\(human.stdout)")

        let notes = folder.appendingPathComponent("notes")
        let removed = try FerretBinary.run(["remove", notes.appendingPathComponent("velo.md").path, "--index", index])
        #expect(removed.status == 0 && removed.stdout.contains("removed 1 document"), "\(removed.stderr)")
        let gone = try FerretBinary.run(["search", "vélo", "--index", index, "--json", "--mode", "lexical"])
        #expect(gone.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let folderRemoval = try FerretBinary.run(["remove", notes.path, "nothing-here", "--index", index])
        #expect(folderRemoval.status == 1 && folderRemoval.stdout.contains("removed 2 documents"))
        #expect(folderRemoval.stderr.contains("not in the index: nothing-here"))
    }
}
