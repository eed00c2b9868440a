import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `ferret serve` as a process on a real socket: it starts, answers, stops on SIGTERM, and refuses a bad index.
@Suite struct ServeCommandTests {
    @Test func servesOnAFreePortAndStopsOnSigterm() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("The kettle switches off by itself when the water boils.\n".utf8).write(to: notes.appendingPathComponent("k.md"))
        let index = folder.appendingPathComponent("i.sqlite").path
        #expect(try await offPool { try FerretBinary.run(["index", notes.path, "--index", index]) }.status == 0)

        let (process, started) = try await offPool { try ServeProcess.start(["--index", index, "--port", "0"]) }
        defer { if process.isRunning { process.terminate() } }
        let address = try #require(started, "ferret serve exited before listening")
        #expect(address.hasPrefix("http://127.0.0.1:"))

        var request = URLRequest(url: URL(string: address + "/v1/search")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"query":"kettle"}"#.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("k.md"))

        process.terminate()   // SIGTERM: a graceful stop
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "status \(process.terminationStatus)")
    }

    @Test func aDamagedIndexIsAClearError() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = folder.appendingPathComponent("i.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: index)
        let result = try FerretBinary.run(["serve", "--index", index.path, "--port", "0"], environment: ["FERRET_CONFIG": "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(index.path), "\(result.stderr)")
    }

    /// A missing index is created empty, and clients fill it through an index job over the --root folder.
    @Test func startsOnAMissingIndexAndIndexesThroughTheAPI() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("The kettle switches off by itself when the water boils.\n".utf8).write(to: notes.appendingPathComponent("k.md"))
        let index = folder.appendingPathComponent("new/i.sqlite").path
        let (process, started) = try await offPool { try ServeProcess.start(["--index", index, "--port", "0", "--root", notes.path]) }
        defer { if process.isRunning { process.terminate() } }
        let address = try #require(started, "ferret serve exited before listening")
        #expect(FileManager.default.fileExists(atPath: index))

        var request = URLRequest(url: URL(string: address + "/v1/index")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"wait":true}"#.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains(#""status":"succeeded""#))
        var search = URLRequest(url: URL(string: address + "/v1/search")!)
        search.httpMethod = "POST"
        search.httpBody = Data(#"{"query":"kettle"}"#.utf8)
        let (hits, _) = try await URLSession.shared.data(for: search)
        #expect(String(decoding: hits, as: UTF8.self).contains("k.md"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func beyondLoopbackWithoutAKeyIsRefused() throws {
        let result = try FerretBinary.run(["serve", "--host", "0.0.0.0", "--port", "0", "--index", "/nonexistent/i.sqlite"],
                                          environment: ["FERRET_API_KEY": "", "FERRET_CONFIG": "/dev/null"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--api-key") && result.stderr.contains("--insecure-no-key"), "\(result.stderr)")
    }
}
