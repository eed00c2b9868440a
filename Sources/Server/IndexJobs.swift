import ColBERT
import Foundation
import Index
import Indexing
import Ingest

/// An indexing run started through the API, as `GET /v1/jobs/{id}` reports it.
struct IndexJob: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case queued, running, succeeded, failed, cancelled
        var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    struct Progress: Encodable, Sendable {
        var files_done = 0
        var files_total = 0
        var passages = 0
        /// The file most recently finished.
        var current: String?
        var files_per_second = 0.0
        var eta_seconds: Double?
    }

    let id: String
    var object = "index.job"
    var status: Status
    let paths: [String]
    let created_at: Date
    var started_at: Date?
    var finished_at: Date?
    var cancel_requested = false
    var progress = Progress()
    /// Counts, failures and skips of the finished run (as `ferret index --json`).
    var summary: IndexRunSummary?
    var error: String?
}

/// Index runs, one at a time on their own queue while searches go on reading (SQLite WAL: readers see the last
/// committed file). A run commits file by file, so cancelling (`DELETE /v1/jobs/{id}`, or the server stopping)
/// stops between files and leaves a consistent index.
final class IndexJobs: Sendable {
    /// Jobs waiting at most; more answer 429.
    let capacity: Int
    /// Finished jobs remembered for `GET`.
    let retained = 100
    let queue = DispatchQueue(label: "ferret.server.indexing")
    private let jobs = Locked<[String: IndexJob]>([:])
    private let order = Locked<[String]>([])

    init(capacity: Int = 16) {
        self.capacity = capacity
    }

    /// Queues a run over `roots` (absolute paths already checked against the server's roots).
    func start(roots: [String], database: IndexDatabase, encoder: ColBERTEncoder?, confinement: PathConfinement) throws -> IndexJob {
        let waiting = jobs.withLock { $0.values.filter { !$0.status.isFinished }.count }
        guard waiting < capacity else {
            var error = APIError(.tooManyRequests, type: "rate_limit_error", code: "queue_full",
                                 "\(waiting) index jobs are already waiting; retry when one has finished")
            error.headers[.retryAfter] = "10"
            throw error
        }
        let id = "job-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let job = IndexJob(id: String(id), status: .queued, paths: roots, created_at: Date())
        jobs.withLock { $0[job.id] = job }
        order.withLock { $0.append(job.id) }
        forgetOldJobs()
        queue.async { [self] in run(job.id, roots: roots, database: database, encoder: encoder, confinement: confinement) }
        return job
    }

    private func run(_ id: String, roots: [String], database: IndexDatabase, encoder: ColBERTEncoder?,
                     confinement: PathConfinement) {
        let cancelled = update(id) { job -> Bool in
            if job.cancel_requested {
                job.status = .cancelled
                job.finished_at = Date()
                return true
            }
            job.status = .running
            job.started_at = Date()
            return false
        }
        guard cancelled == false else { return }
        var options = IngestOptions()
        options.confinement = confinement
        do {
            let summary = try Indexer(database: database, encoder: encoder, options: options).run(
                roots: roots.map { URL(fileURLWithPath: $0) },
                shouldStop: { [self] in jobs.withLock { $0[id]?.cancel_requested ?? true } },
                progress: { [self] progress in
                    update(id) { job in
                        job.progress = .init(files_done: progress.done, files_total: progress.total,
                                             passages: progress.passages, current: progress.fullPath,
                                             files_per_second: progress.rate, eta_seconds: progress.eta)
                    }
                })
            update(id) { job in
                job.summary = summary
                job.status = summary.interrupted ? .cancelled : .succeeded
                job.finished_at = Date()
            }
        } catch {
            update(id) { job in
                job.error = String(describing: error)
                job.status = .failed
                job.finished_at = Date()
            }
        }
    }

    @discardableResult
    private func update<T>(_ id: String, _ change: (inout IndexJob) -> T) -> T? {
        jobs.withLock { all in
            guard var job = all[id] else { return nil }
            let result = change(&job)
            all[id] = job
            return result
        }
    }

    func job(_ id: String) -> IndexJob? { jobs.withLock { $0[id] } }

    /// Newest first.
    func list() -> [IndexJob] {
        let ids = order.withLock { $0 }
        return jobs.withLock { all in ids.reversed().compactMap { all[$0] } }
    }

    /// Asks a job to stop between files (a queued one never starts). Nil for an unknown id.
    func cancel(_ id: String) -> IndexJob? {
        update(id) { job -> IndexJob in
            if !job.status.isFinished { job.cancel_requested = true }
            if job.status == .queued {
                job.status = .cancelled
                job.finished_at = Date()
            }
            return job
        }
    }

    /// Waits until the job has finished (polling: jobs are long, a 50 ms step is nothing).
    func finished(_ id: String) async throws -> IndexJob? {
        while let job = job(id) {
            if job.status.isFinished { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Shutting down: stops every job between files and waits for the one running.
    func cancelAllAndWait() {
        for id in order.withLock({ $0 }) { _ = cancel(id) }
        queue.sync {}
    }

    private func forgetOldJobs() {
        let finished = list().filter(\.status.isFinished).map(\.id)
        guard finished.count > retained else { return }
        let drop = Set(finished.suffix(finished.count - retained))
        jobs.withLock { all in drop.forEach { all[$0] = nil } }
        order.withLock { $0.removeAll { drop.contains($0) } }
    }
}
