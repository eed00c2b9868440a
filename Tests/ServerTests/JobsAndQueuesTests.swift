import Dispatch
import Foundation
import Index
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Server
import Testing
import TestSupport

/// Index runs are jobs (202, progress, cancel); searches go on while one writes; each model's backlog is bounded
/// (429 with Retry-After) and each request has a deadline.
@Suite struct JobsAndQueuesTests {
    struct Job: Decodable {
        struct Progress: Decodable { let files_done: Int; let files_total: Int }
        struct Summary: Decodable { let added: Int; let unchanged: Int }
        let id: String
        let status: String
        let progress: Progress
        let summary: Summary?
    }

    /// Holds a serial queue busy until the returned closure is called.
    static func block(_ queue: DispatchQueue) -> @Sendable () -> Void {
        let release = DispatchSemaphore(value: 0)
        queue.async { release.wait() }
        return { release.signal() }
    }

    @Test func anIndexJobIsAcceptedFollowedAndFinished() async throws {
        let fixture = try ServerFixture(servesWholeFolder: true)
        defer { fixture.cleanup() }
        let extra = fixture.folder.appendingPathComponent("extra")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        for n in 0..<3 { try Data("Recipe \(n): knead the dough for ten minutes.\n".utf8).write(to: extra.appendingPathComponent("r\(n).md")) }
        try await fixture.withClient { client in
            let started = try await client.execute(uri: "/v1/index", method: .post,
                                                   body: ByteBuffer(string: #"{"paths":["\#(extra.path)"]}"#))
            #expect(started.status == .accepted)
            let job = try decode(Job.self, String(buffer: started.body))
            #expect(started.headers[.location] == "/v1/jobs/\(job.id)")
            var current = job
            for _ in 0..<200 where !["succeeded", "failed", "cancelled"].contains(current.status) {
                try await Task.sleep(for: .milliseconds(20))
                current = try decode(Job.self, try await client.get("/v1/jobs/\(job.id)").body)
            }
            #expect(current.status == "succeeded" && current.summary?.added == 3, "\(current)")
            #expect(current.progress.files_done == 3 && current.progress.files_total == 3)
            #expect(try await client.get("/v1/jobs").body.contains(job.id))
            #expect(try await client.post("/v1/search", json: #"{"query":"knead dough"}"#).body.contains("r0.md"))
            let unknown = try await client.get("/v1/jobs/job-nope")
            #expect(try unknown.status == 404 && ErrorBody.decode(unknown.body).code == "no_such_job")
        }
    }

    @Test func aQueuedJobCanBeCancelledAndSearchesDoNotWaitForJobs() async throws {
        let fixture = try ServerFixture(servesWholeFolder: true)
        defer { fixture.cleanup() }
        let release = Self.block(fixture.server.service.jobs.queue)
        defer { release() }
        try await fixture.withClient { client in
            let started = try decode(Job.self, try await client.post("/v1/index", json: "{}").body)
            #expect(started.status == "queued")
            // The indexing queue is busy, yet a search answers.
            let search = try await client.post("/v1/search", json: #"{"query":"kettle"}"#)
            #expect(search.status == 200 && search.body.contains("kettle"))
            let cancelled = try await client.execute(uri: "/v1/jobs/\(started.id)", method: .delete)
            #expect(try decode(Job.self, String(buffer: cancelled.body)).status == "cancelled")
        }
    }

    @Test func aFullBacklogAnswers429WithRetryAfter() async throws {
        let fixture = try ServerFixture(generator: true, backlog: 1)
        defer { fixture.cleanup() }
        let work = fixture.server.service.generatorWork
        let release = DispatchSemaphore(value: 0)
        try work.submit({ _ in release.wait() }, cancelled: { false })   // takes the one place
        defer { release.signal() }
        try await fixture.withClient { client in
            let answer = try await client.execute(uri: "/v1/chat/completions", method: .post,
                                                  body: ByteBuffer(string: #"{"messages":[{"role":"user","content":"kettle?"}]}"#))
            #expect(answer.status == .tooManyRequests)
            #expect(answer.headers[.retryAfter] == "2")
            #expect(try ErrorBody.decode(String(buffer: answer.body)).code == "queue_full")
            // Streams are refused the same way, before any event is sent.
            let stream = try await client.post("/v1/chat/completions",
                                               json: #"{"messages":[{"role":"user","content":"kettle?"}],"stream":true}"#)
            #expect(stream.status == 429)
        }
    }

    @Test func aRequestThatWaitsPastItsDeadlineIsRefused() async throws {
        let fixture = try ServerFixture(generator: true, timeout: .milliseconds(200))
        defer { fixture.cleanup() }
        let release = Self.block(fixture.server.service.generatorWork.queue)
        Task.detached {
            try? await Task.sleep(for: .milliseconds(600))
            release()
        }
        try await fixture.withClient { client in
            let answer = try await client.post("/v1/chat/completions", json: #"{"messages":[{"role":"user","content":"kettle?"}]}"#)
            #expect(answer.status == 503, "\(answer.body)")
            #expect(try ErrorBody.decode(answer.body).code == "timeout")
        }
        #expect(fixture.server.service.generatorWork.load == 0)
    }

    @Test func aGoneClientsWorkDoesNotRunOrIsAskedToStop() async throws {
        let queue = ModelQueue(name: "test", capacity: 4, timeout: .seconds(5))
        let ran = Locked(false)
        await #expect(throws: CancellationError.self) {
            try await queue.run(clientGone: { true }) { _ in ran.withLock { $0 = true } }
        }
        #expect(!ran.withLock { $0 })
        let gone = StopFlag()
        let (before, after) = try await queue.run(clientGone: { gone.isSet }) { shouldStop -> (Bool, Bool) in
            let before = shouldStop()
            gone.set()
            return (before, shouldStop())
        }
        #expect(!before && after)
        #expect(queue.load == 0)
    }
}
