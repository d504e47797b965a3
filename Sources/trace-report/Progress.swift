import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress line on standard error for long renders: bytes read, runs rendered, the rate and
/// the time left, rewritten in place with `\r`.
///
/// It appears only when standard error is a terminal, and only once the work has taken about a
/// second; ``finish()`` erases it, so the summary line takes its place. With `--quiet`, or when
/// standard error is a file or a pipe (CI logs), nothing is ever written.
final class ProgressLine: Sendable {
    /// The counters the line is made of.
    struct Counts: Equatable {
        var bytesRead: Int64 = 0
        var totalBytes: Int64 = 0
        var runsRendered: Int = 0
        /// Zero until the runs are known.
        var totalRuns: Int = 0
    }

    private struct State {
        var counts = Counts()
        var shown = false
        var stopped = false
        var paused = false
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    private let done = DispatchSemaphore(value: 0)
    private let enabled: Bool

    /// Wait before the first line, and between updates.
    static let delay: Duration = .seconds(1)
    static let interval: Duration = .milliseconds(200)

    /// Starts watching work on `totalBytes` of input; shows nothing unless `enabled`.
    init(totalBytes: Int64, enabled: Bool) {
        self.enabled = enabled
        state.withLock { $0.counts.totalBytes = totalBytes }
        guard enabled else { return }
        let thread = Thread { [self] in
            self.tick()
            self.done.signal()
        }
        thread.name = "progress"
        thread.start()
    }

    /// Whether a progress line may be shown: standard error is a terminal that can redraw a line,
    /// and the user did not ask for quiet.
    static func wanted(quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !quiet && isatty(2) == 1 && environment["TERM"] != "dumb"
    }

    func addBytesRead(_ n: Int64) {
        state.withLock { $0.counts.bytesRead += n }
    }

    /// Sets the count once an input is read whole, correcting any rounding in between.
    func setBytesRead(_ n: Int64) {
        state.withLock { $0.counts.bytesRead = n }
    }

    func setTotalRuns(_ n: Int) {
        state.withLock { $0.counts.totalRuns = n }
    }

    func runRendered() {
        state.withLock { $0.counts.runsRendered += 1 }
    }

    /// Erases the line while `body` writes to standard error, then lets it come back.
    func interrupt(_ body: () -> Void) {
        let wasShown = state.withLock { s -> Bool in
            s.paused = true
            defer { s.shown = false }
            return s.shown
        }
        if wasShown { Self.write("\r\u{1B}[K") }
        body()
        state.withLock { $0.paused = false }
    }

    /// Stops the updates and erases the line, leaving the cursor at the start of an empty line.
    func finish() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        guard enabled, first else { return }
        done.wait()
        if state.withLock({ $0.shown }) { Self.write("\r\u{1B}[K") }
    }

    private func tick() {
        var next = start + Self.delay
        while true {
            // Sleep in short steps so that finish() never waits long.
            while ContinuousClock.now < next {
                if state.withLock({ $0.stopped }) { return }
                Thread.sleep(forTimeInterval: 0.02)
            }
            next = ContinuousClock.now + Self.interval
            let elapsed = ContinuousClock.now - start
            let line: String? = state.withLock { s in
                guard !s.stopped, !s.paused else { return nil }
                s.shown = true
                return Self.line(s.counts, elapsed: elapsed, width: Self.terminalWidth())
            }
            if let line { Self.write("\r" + line + "\u{1B}[K") }
        }
    }

    // MARK: - Formatting

    /// The progress line for `counts` after `elapsed`, cut to `width` columns.
    ///
    /// For example `read 120 MB of 210 MB · rendered 812 of 2,014 runs · 45.2 MB/s · 12 s left`.
    /// Reading counts for a tenth of the work and rendering for the rest, as measured on agent
    /// traces (on the 200 MB benchmark, reading, decoding and analysis take 1 s of 13 s at
    /// `--jobs 1` and 0.8 s of 7.4 s at `--jobs 2`); the time left is the elapsed time scaled by
    /// what remains.
    static func line(_ counts: Counts, elapsed: Duration, width: Int = 80) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var parts: [String] = []
        parts.append("read \(megabytes(counts.bytesRead)) of \(megabytes(counts.totalBytes))")
        if counts.totalRuns > 0 {
            parts.append("rendered \(grouped(counts.runsRendered)) of \(grouped(counts.totalRuns)) runs")
        }
        let done = fraction(counts)
        if seconds > 0 {
            let rate = Double(counts.totalBytes) * done / seconds / 1e6
            parts.append(String(format: "%.1f MB/s", rate))
        }
        if done > 0.02, done < 1 {
            parts.append(duration(seconds / done - seconds) + " left")
        }
        var text = parts.joined(separator: " · ")
        if width > 1, text.count > width - 1 { text = String(text.prefix(width - 2)) + "…" }
        return text
    }

    /// How much of the work is done, 0 to 1.
    static func fraction(_ counts: Counts) -> Double {
        let read = counts.totalBytes > 0 ? min(1, Double(counts.bytesRead) / Double(counts.totalBytes)) : 1
        let rendered = counts.totalRuns > 0 ? min(1, Double(counts.runsRendered) / Double(counts.totalRuns)) : 0
        return read / 10 + rendered * 9 / 10
    }

    /// Bytes as MB (10^6), with one decimal under 10 MB: `0.4 MB`, `9.9 MB`, `120 MB`.
    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1e6
        return mb < 10 ? String(format: "%.1f MB", mb) : "\(grouped(Int(mb.rounded()))) MB"
    }

    /// `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `7 s`, `2 min 05 s`, `1 h 03 min`.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min " + String(format: "%02d s", s % 60) }
        return "\(s / 3600) h " + String(format: "%02d min", s / 60 % 60)
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
        return 80
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
