import Foundation

/// Wall-clock time per pipeline stage, printed to standard error when `TRACE_REPORT_TIMINGS=1`.
/// Used by the benchmark; never part of a report.
struct PhaseTimings {
    let enabled: Bool
    private var last = ContinuousClock.now
    private var phases: [(String, Duration)] = []

    init(enabled: Bool) {
        self.enabled = enabled
    }

    mutating func mark(_ name: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        phases.append((name, now - last))
        last = now
    }

    func report() {
        guard enabled else { return }
        let text = phases.map { "\($0.0) \($0.1.formatted(.units(allowed: [.milliseconds])))" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("timings: \(text)\n".utf8))
    }
}
