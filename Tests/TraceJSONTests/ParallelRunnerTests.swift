import Synchronization
import Testing

@testable import TraceJSON

@Suite("ParallelRunner")
struct ParallelRunnerTests {
    /// Counts the jobs running at once and remembers the most seen.
    final class Occupancy: Sendable {
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)

        func enter() {
            let now = running.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
            var seen = peak.load(ordering: .sequentiallyConsistent)
            while now > seen {
                let (exchanged, original) = peak.compareExchange(
                    expected: seen, desired: now, ordering: .sequentiallyConsistent)
                if exchanged { break }
                seen = original
            }
        }

        func leave() { running.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
    }

    /// Work long enough that other threads get to start theirs meanwhile.
    static func spin(_ seed: Int) -> Int {
        var x = UInt64(seed) | 1
        for _ in 0..<200_000 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
        return Int(truncatingIfNeeded: x >> 40) ^ seed
    }

    @Test("Results come back in job order whatever the number of threads", arguments: [1, 2, 3, 8])
    func order(jobs: Int) {
        let expected = (0..<57).map { Self.spin($0) }
        #expect(ParallelRunner.map(count: 57, jobs: jobs) { Self.spin($0) } == expected)
        #expect(ParallelRunner.map(count: 0, jobs: jobs) { $0 }.isEmpty)
        #expect(ParallelRunner.map(count: 1, jobs: jobs) { $0 + 5 } == [5])
    }

    @Test("No more than `jobs` jobs ever run at once", arguments: [1, 2])
    func bounded(jobs: Int) {
        let occupancy = Occupancy()
        _ = ParallelRunner.map(count: 64, jobs: jobs) { i -> Int in
            occupancy.enter()
            defer { occupancy.leave() }
            return Self.spin(i)
        }
        #expect(occupancy.peak.load(ordering: .sequentiallyConsistent) <= jobs)
        #expect(occupancy.peak.load(ordering: .sequentiallyConsistent) >= 1)
    }

    @Test("With one job everything runs on the calling thread, in order")
    func serial() {
        let log = Mutex<[Int]>([])
        _ = ParallelRunner.map(count: 20, jobs: 1) { i in log.withLock { $0.append(i) } }
        #expect(log.withLock { $0 } == Array(0..<20))
    }
}
