import Foundation
import Kernels
import Testing

/// The pool's promises: idle workers sleep, and callers on several threads at once all get their tasks run.
@Suite struct ThreadPoolTests {
    /// After a job, the workers poll for at most `FERRET_SPIN_US` (50 µs) and then sleep: 300 ms of idling costs
    /// them (nearly) no CPU time. Spinning workers would burn up to 300 ms each.
    @Test func idleWorkersSleep() {
        let pool = ThreadPool(threads: 4)
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        defer { sums.deallocate() }
        pool.run(tasks: 64) { task, _ in sums[task] = (0..<10_000).reduce(0.0) { $0 + Double($1 * task) } }
        let before = pool.workerCPUSeconds
        Thread.sleep(forTimeInterval: 0.3)
        let spent = pool.workerCPUSeconds - before
        #expect(spent < 0.05, "3 idle workers used \(spent) s of CPU in 0.3 s")
    }

    /// Several threads share one pool (the server encodes and generates at once): while one job runs, another
    /// caller's tasks run on its own thread; every task of every call runs exactly once.
    @Test func concurrentCallersAllComplete() async {
        let pool = ThreadPool(threads: 2)
        let callers = 4, rounds = 200, tasks = 37
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: callers * tasks)
        counts.initialize(repeating: 0, count: callers * tasks)
        defer { counts.deallocate() }
        let address = Int(bitPattern: counts)
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    let counts = UnsafeMutablePointer<Int>(bitPattern: address)!
                    for _ in 0..<rounds {
                        pool.run(tasks: tasks) { task, _ in counts[caller * tasks + task] += 1 }
                    }
                }
            }
        }
        let wrong = (0..<callers * tasks).filter { counts[$0] != rounds }
        #expect(wrong.isEmpty, "tasks run a wrong number of times: \(wrong.prefix(5).map { counts[$0] })")
    }
}
