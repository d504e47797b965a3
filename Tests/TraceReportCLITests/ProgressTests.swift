import Foundation
import Testing

@testable import trace_report

@Suite("Progress line")
struct ProgressTests {
    @Test("The line names bytes read, runs rendered, the rate and the time left")
    func line() {
        var counts = ProgressLine.Counts(bytesRead: 105_000_000, totalBytes: 210_000_000, runsRendered: 0, totalRuns: 0)
        // Half read, nothing rendered: a twentieth of the work in 3 s, so 57 s are left.
        #expect(ProgressLine.line(counts, elapsed: .seconds(3)) == "read 105 MB of 210 MB · 3.5 MB/s · 57 s left")
        counts.bytesRead = 210_000_000
        counts.totalRuns = 2014
        counts.runsRendered = 1007
        // A tenth plus half of nine tenths: 0.55 done in 11 s, 9 s left.
        #expect(
            ProgressLine.line(counts, elapsed: .seconds(11))
                == "read 210 MB of 210 MB · rendered 1,007 of 2,014 runs · 10.5 MB/s · 9 s left")
        counts.runsRendered = 2014
        #expect(
            ProgressLine.line(counts, elapsed: .seconds(10))
                == "read 210 MB of 210 MB · rendered 2,014 of 2,014 runs · 21.0 MB/s")
    }

    @Test("Small sizes keep a decimal; long waits use minutes and hours")
    func units() {
        #expect(ProgressLine.megabytes(400_000) == "0.4 MB")
        #expect(ProgressLine.megabytes(9_940_000) == "9.9 MB")
        #expect(ProgressLine.megabytes(2_100_000_000) == "2,100 MB")
        #expect(ProgressLine.grouped(0) == "0")
        #expect(ProgressLine.grouped(999) == "999")
        #expect(ProgressLine.grouped(1_234_567) == "1,234,567")
        #expect(ProgressLine.duration(7.4) == "7 s")
        #expect(ProgressLine.duration(125) == "2 min 05 s")
        #expect(ProgressLine.duration(3780) == "1 h 03 min")
    }

    @Test("The line never wraps a narrow terminal")
    func narrow() {
        let counts = ProgressLine.Counts(bytesRead: 1, totalBytes: 2_000_000_000, runsRendered: 5, totalRuns: 123_456)
        let text = ProgressLine.line(counts, elapsed: .seconds(3), width: 40)
        #expect(text.count == 39)
        #expect(text.hasSuffix("…"))
    }

    @Test("Not shown when standard error is not a terminal, with --quiet, or on a dumb terminal")
    func wanted() {
        // The test runner's standard error is a pipe or a file here, never a terminal.
        if isatty(2) == 0 { #expect(!ProgressLine.wanted(quiet: false)) }
        #expect(!ProgressLine.wanted(quiet: true))
        #expect(!ProgressLine.wanted(quiet: false, environment: ["TERM": "dumb"]))
    }

    @Test("A piped run prints no progress line, only the summary")
    func pipedRunIsClean() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("many.jsonl")
        // Big enough to take over a second in a debug build, so a progress line would be due.
        try Data(JobsCLITests.multiRunTrace(runs: 600).utf8).write(to: input)
        let result = try run(["render", input.path, "-o", dir.appendingPathComponent("out").path, "--jobs", "1"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(!result.stderr.contains("MB/s"))
        #expect(result.stderr.hasPrefix("rendered 600 runs"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
