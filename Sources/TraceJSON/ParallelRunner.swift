import Dispatch

/// Runs independent jobs on several threads and returns their results in job order.
enum ParallelRunner {
    /// Calls `body` for `0..<count`, concurrently, and returns the results in index order.
    static func map<T>(count: Int, _ body: (Int) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = body(index)
            }
        }
        return slots.map { $0! }
    }
}
