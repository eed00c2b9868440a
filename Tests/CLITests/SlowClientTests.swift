import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Clients that stall cannot hold the server: one that stops mid-request and one that asks for much and never reads
/// are cut off after --idle-timeout, and everyone else is served meanwhile.
@Suite struct SlowClientTests {
    /// A raw TCP connection to the server's port.
    static func connect(_ address: String) throws -> Int32 {
        let port = UInt16(address.split(separator: ":").last!)!
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = port.bigEndian
        target.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(result == 0, "connect failed: \(errno)")
        return socket
    }

    static func send(_ socket: Int32, _ text: String) {
        _ = text.withCString { Glibc.send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Waits up to `seconds` for the server to close the connection (reading and discarding whatever arrives).
    static func closedByServer(_ socket: Int32, within seconds: Double) -> Bool {
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
        }
        return false
    }

    @Test func stalledClientsAreCutOffAndOthersServed() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = folder.appendingPathComponent("i.sqlite").path
        let (process, started) = try await offPool { try ServeProcess.start(["--index", index, "--port", "0", "--idle-timeout", "1"]) }
        defer { if process.isRunning { process.terminate() } }
        let address = try #require(started)

        let halfRequest = try Self.connect(address)
        defer { close(halfRequest) }
        Self.send(halfRequest, "POST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"query\":")
        let neverReads = try Self.connect(address)
        defer { close(neverReads) }
        var small: Int32 = 4096
        setsockopt(neverReads, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        Self.send(neverReads, String(repeating: "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", count: 200))

        // Meanwhile the server answers others at once.
        let (data, response) = try await URLSession.shared.data(from: URL(string: address + "/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200 && String(decoding: data, as: UTF8.self).contains("ok"))

        #expect(Self.closedByServer(halfRequest, within: 5), "a half-sent request kept its connection")

        // A request addressed to another host (DNS rebinding) is refused on a real socket too.
        let rebound = try Self.connect(address)
        defer { close(rebound) }
        Self.send(rebound, "GET /v1/status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        var reply = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(rebound, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let count = recv(rebound, &reply, reply.count, 0)
        let head = String(decoding: reply.prefix(max(count, 0)), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 403") && head.contains("host_not_allowed"), "\(head)")
        let (again, _) = try await URLSession.shared.data(from: URL(string: address + "/health")!)
        #expect(String(decoding: again, as: UTF8.self).contains("ok"))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the server did not stop cleanly with a stalled client connected")
    }
}
