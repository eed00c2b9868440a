import CKernels
import Foundation

/// Ferret's worker threads: one fork-join pool for every matrix product and attention head, so the process never
/// runs two thread pools that fight for the cores (OpenBLAS is set to one thread and called per task).
/// Workers sleep when idle; between the products of one forward pass they poll for a few microseconds.
public final class ThreadPool: @unchecked Sendable {  // the C pool synchronises itself; `pool` is never reassigned
    private let pool: OpaquePointer?
    public let threads: Int

    public init(threads: Int, spinMicroseconds: Int = ThreadPool.defaultSpin) {
        pool = ck_pool_create(Int32(max(threads, 1)), Int32(spinMicroseconds))
        self.threads = Int(ck_pool_threads(pool))
    }

    deinit { ck_pool_destroy(pool) }

    /// Polling time before an idle worker sleeps (`FERRET_SPIN_US`, default 50 µs).
    public static let defaultSpin: Int = {
        ProcessInfo.processInfo.environment["FERRET_SPIN_US"].flatMap { Int($0) }.map { min(max($0, 0), 10_000) } ?? 50
    }()

    /// Runs `body(task, thread)` for every task in `0..<count` and returns when all are done. `thread` is below
    /// `threads` and identifies per-thread scratch within this call. Tasks must write disjoint memory. Safe to call
    /// from several threads: while one job runs, another caller runs its tasks on its own thread.
    public func run(tasks count: Int, _ body: (_ task: Int, _ thread: Int) -> Void) {
        guard count > 0 else { return }
        withoutActuallyEscaping(body) { escapable in
            var closure = escapable
            withUnsafeMutablePointer(to: &closure) { pointer in
                ck_pool_run(pool, count, { context, task, thread in
                    let body = context!.assumingMemoryBound(to: ((Int, Int) -> Void).self).pointee
                    body(task, Int(thread))
                }, pointer)
            }
        }
    }

    /// CPU seconds the worker threads have used (idle workers sleep, so this stops growing between jobs).
    public var workerCPUSeconds: Double { ck_pool_worker_cpu_seconds(pool) }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var sharedPool = ThreadPool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// The process-wide pool (all cores unless `configure` said otherwise).
    public static var shared: ThreadPool {
        lock.lock(); defer { lock.unlock() }
        return sharedPool
    }

    /// Sets the worker count once at start (the CLI's `--threads`).
    public static func configure(threads: Int) {
        lock.lock(); defer { lock.unlock() }
        if sharedPool.threads != threads { sharedPool = ThreadPool(threads: threads) }
    }
}
