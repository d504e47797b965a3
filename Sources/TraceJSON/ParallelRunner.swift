import Dispatch
import Synchronization

/// Runs independent jobs on at most a given number of threads and returns their results in
/// job order. Every stage that works in parallel (parse, decode, analyze, render) goes through
/// it, so `--jobs` bounds them all the same way.
package enum ParallelRunner {
    /// Calls `body` for `0..<count` on at most `jobs` threads and returns the results in index
    /// order. With `jobs` 1, or a single job, everything runs on the calling thread, in order.
    ///
    /// Workers take the next index from a shared counter, so a few slow jobs do not leave the
    /// other threads idle. The result does not depend on `jobs` when `body` does not.
    package static func map<T>(count: Int, jobs: Int, _ body: (Int) -> T) -> [T] {
        let workers = min(max(1, jobs), count)
        if workers <= 1 { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let next = Counter()
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.take()
                    guard index < count else { return }
                    slots[index] = body(index)
                }
            }
        }
        return slots.map { $0! }
    }

    /// A shared source of job indices.
    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)

        func take() -> Int {
            value.wrappingAdd(1, ordering: .relaxed).oldValue
        }
    }
}
