import Foundation
import Testing
import TestSupport

/// `ferret mcp` as an MCP client runs it: a subprocess on an index of the sample notes (built with the tiny ColBERT
/// fixture), driven over stdin/stdout with newline-delimited JSON-RPC.
@Suite struct MCPCommandTests {
    static let environment = ["FERRET_CONFIG": "/dev/null"]

    /// The three sample notes and a note of several lines, indexed with vectors; the index remembers its encoder, so `mcp` needs no --model.
    func makeIndex() throws -> (folder: URL, notes: URL, index: String) {
        let folder = try Fixtures.temporaryDirectory()
        let notes = try SampleNotes.write(under: folder)
        try Data("# Steps\n\nStep one: fill the pot.\nStep two: boil the water.\n\nStep three: pour it.\n".utf8)
            .write(to: notes.appendingPathComponent("steps.md"))
        let index = folder.appendingPathComponent("i.sqlite").path
        let result = try FerretBinary.run(["index", notes.path, "--index", index, "--model",
                                           Fixtures.url("colbert-causal-tiny").path], environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        return (folder, notes, index)
    }

    static func text(_ result: [String: Any]) -> String {
        ((result["content"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined(separator: "\n")
    }

    static func structured(_ result: [String: Any]) throws -> [String: Any] {
        try #require(result["structuredContent"] as? [String: Any], "no structuredContent in \(result)")
    }

    @Test func aScriptedClientSearchesReadsAsksAndIsRefusedOutsideTheIndex() throws {
        let (folder, notes, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try MCPProcess(["--index", index], environment: Self.environment)
        defer { server.stop() }

        // initialize: server name and version, tools capability.
        let initialized = try server.request(1, "initialize", params: [
            "protocolVersion": "2025-06-18", "capabilities": [String: Any](),
            "clientInfo": ["name": "ferret-tests", "version": "1"]])
        let initResult = try #require(initialized["result"] as? [String: Any], "\(initialized)")
        let info = try #require(initResult["serverInfo"] as? [String: Any])
        #expect(info["name"] as? String == "ferret")
        #expect((info["version"] as? String)?.isEmpty == false)
        #expect((initResult["capabilities"] as? [String: Any])?["tools"] != nil, "\(initResult)")
        try server.notify("notifications/initialized")

        // tools/list: the four tools, each with an object schema naming its required arguments.
        let listed = try #require(try server.request(2, "tools/list")["result"] as? [String: Any])
        let tools = try #require(listed["tools"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: tools.compactMap { tool in (tool["name"] as? String).map { ($0, tool) } })
        #expect(Set(byName.keys) == ["search", "ask", "get_document", "status"])
        func schema(_ name: String) -> [String: Any] { (byName[name]?["inputSchema"] as? [String: Any]) ?? [:] }
        func properties(_ name: String) -> [String: Any] { (schema(name)["properties"] as? [String: Any]) ?? [:] }
        for name in byName.keys {
            #expect(schema(name)["type"] as? String == "object", "\(name)")
            #expect((byName[name]?["description"] as? String)?.count ?? 0 > 40, "\(name) needs a description an agent can use")
        }
        #expect(schema("search")["required"] as? [String] == ["query"])
        #expect(Set(properties("search").keys) == ["query", "k", "mode", "path"])
        let k = try #require(properties("search")["k"] as? [String: Any])
        #expect(k["minimum"] as? Int == 1 && k["maximum"] as? Int == 100 && k["default"] as? Int == 10, "\(k)")
        #expect((properties("search")["mode"] as? [String: Any])?["enum"] as? [String] == ["hybrid", "semantic", "lexical"])
        #expect(schema("ask")["required"] as? [String] == ["question"])
        #expect(Set(properties("ask").keys) == ["question", "k"])
        #expect(schema("get_document")["required"] as? [String] == ["path"])
        #expect(Set(properties("get_document").keys) == ["path", "start_line", "end_line"])
        #expect(properties("status").isEmpty)

        // search: the kettle note first, cited as path:line, with its passage text.
        let search = try server.callTool(3, "search", ["query": "descale the kettle", "k": 3])
        #expect(search["isError"] as? Bool != true, "\(search)")
        let results = try #require(try Self.structured(search)["results"] as? [[String: Any]])
        let top = try #require(results.first)
        let kettle = try #require(top["path"] as? String)
        #expect(kettle.hasSuffix("notes/kettle.md"), "\(results)")
        #expect(top["citation"] as? String == kettle + ":1", "\(top)")
        #expect((top["text"] as? String)?.contains("Descale it every month") == true, "\(top)")
        #expect(top["score"] as? NSNumber != nil)
        #expect(Self.text(search).contains("kettle.md:1"), "\(Self.text(search))")
        #expect(results.count <= 3)

        // search with a path prefix and lexical mode keeps only that note.
        let filtered = try server.callTool(4, "search", ["query": "tea kettle bicycles", "path": notes.path + "/bike", "mode": "lexical"])
        let filteredPaths = try #require(try Self.structured(filtered)["results"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(!filteredPaths.isEmpty && filteredPaths.allSatisfy { $0.hasSuffix("bike.md") }, "\(filteredPaths)")

        // get_document: an indexed path (also spelt with `..`) gives its stored text.
        let document = try server.callTool(5, "get_document", ["path": kettle])
        #expect(document["isError"] as? Bool != true, "\(document)")
        #expect(Self.text(document).contains("The kettle switches off by itself when the water boils."))
        #expect(try Self.structured(document)["line_start"] as? Int == 1)
        let dotted = notes.path + "/../notes/kettle.md"
        #expect(Self.text(try server.callTool(6, "get_document", ["path": dotted])).contains("Descale it every month"))
        let lines = try Self.structured(try server.callTool(7, "get_document", [
            "path": notes.appendingPathComponent("steps.md").path, "start_line": 4, "end_line": 6]))
        #expect(lines["text"] as? String == "Step two: boil the water.\n\nStep three: pour it.", "\(lines)")
        #expect(lines["line_start"] as? Int == 4 && lines["line_end"] as? Int == 6, "\(lines)")

        // get_document outside the index: an error with no file content, however the path is spelt.
        for (offset, path) in ["/etc/passwd", notes.path + "/../../../../../../etc/passwd", folder.appendingPathComponent("i.sqlite").path].enumerated() {
            let refused = try server.callTool(10 + offset, "get_document", ["path": path])
            #expect(refused["isError"] as? Bool == true, "\(path): \(refused)")
            #expect(Self.text(refused).contains("not an indexed document"), "\(Self.text(refused))")
            #expect(!Self.text(refused).contains("root:") && refused["structuredContent"] == nil)
        }

        // ask: an answer citing the kettle note (checked), or an abstention saying the files do not answer.
        let ask = try server.callTool(20, "ask", ["question": "How often should the kettle be descaled?"])
        #expect(ask["isError"] as? Bool != true, "\(ask)")
        let answer = try Self.structured(ask)
        let citations = try #require(answer["citations"] as? [[String: Any]])
        if answer["abstained"] as? Bool == true {
            #expect(Self.text(ask).contains("do not answer"), "\(Self.text(ask))")
        } else {
            #expect(answer["extracted"] as? Bool == true, "no generator was given: \(answer)")
            #expect(citations.contains { ($0["citation"] as? String)?.contains("kettle.md") == true && $0["verified"] as? Bool == true },
                    "\(answer)")
            #expect(Self.text(ask).contains("Sources:"), "\(Self.text(ask))")
        }

        // status: the index's statistics, as `ferret status --json`.
        let status = try server.callTool(21, "status", [:])
        let statistics = try Self.structured(status)
        #expect(statistics["documents"] as? Int == 4, "\(statistics)")
        #expect(statistics["health"] as? [String] == ["ok"])
        #expect(Self.text(status).contains("\"schema_version\""))

        // Invalid arguments: tool errors that say what is wrong, and the session goes on.
        let invalid: [(String, [String: Any], String)] = [
            ("search", ["query": "kettle", "k": 0], "`k` must be between 1 and 100"),
            ("search", ["k": 3], "search needs the argument `query`"),
            ("search", ["query": "kettle", "mode": "fuzzy"], "hybrid, semantic or lexical"),
            ("search", ["query": "kettle", "q": "x"], "no argument `q`"),
            ("search", ["query": 42], "`query` must be a string"),
            ("get_document", ["path": kettle, "start_line": 5, "end_line": 2], "end_line"),
            ("ask", ["question": "  "], "must not be empty"),
            ("delete_everything", [:], "unknown tool"),
        ]
        for (offset, (name, arguments, message)) in invalid.enumerated() {
            let result = try server.callTool(30 + offset, name, arguments)
            #expect(result["isError"] as? Bool == true, "\(name) \(arguments): \(result)")
            #expect(Self.text(result).contains(message), "\(name) \(arguments): \(Self.text(result))")
        }

        // Malformed requests: JSON-RPC errors, not a crash.
        try server.sendLine("{this is not json")
        let parseError = try server.nextMessage()
        #expect((parseError["error"] as? [String: Any])?["code"] as? Int == -32700, "\(parseError)")
        let unknown = try server.request(50, "no/such/method")
        #expect((unknown["error"] as? [String: Any])?["code"] as? Int == -32601, "\(unknown)")

        // Still serving; then stdin closes and the server exits cleanly.
        #expect(try Self.structured(try server.callTool(51, "status", [:]))["documents"] as? Int == 4)
        #expect(try server.finish() == 0, "\(server.standardError)")
        #expect(server.standardError.contains("ferret mcp: serving"), "\(server.standardError)")
    }

    /// A client that writes its requests and closes stdin at once still gets every answer.
    @Test func answersEveryRequestReadBeforeStdinCloses() throws {
        let (folder, _, index) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try MCPProcess(["--index", index], environment: Self.environment)
        defer { server.stop() }
        try server.sendLine(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        try server.sendLine(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        try server.sendLine(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"query":"kettle"}}}"#)
        try server.sendLine(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ask","arguments":{"question":"What makes climbing easier?"}}}"#)
        try server.finish()
        var ids = Set<Int>()
        while let message = try? server.nextMessage(timeout: .seconds(5)) { if let id = message["id"] as? Int { ids.insert(id) } }
        #expect(ids == [1, 2, 3])
    }

    @Test func aMissingIndexIsAClearError() throws {
        let result = try FerretBinary.run(["mcp", "--index", "/nonexistent/i.sqlite"], environment: Self.environment,
                                          standardInput: URL(fileURLWithPath: "/dev/null"))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty && result.stderr.contains("/nonexistent/i.sqlite"), "\(result.stderr)")
    }
}
