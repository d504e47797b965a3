import Foundation
import Testing

@Suite("Selecting runs", .serialized)
struct SelectionTests {
    @Test(
        "--keep status=error --sample 500 over 100,000 runs renders every failed run plus 500 others, the same ones twice"
    )
    func sampleOfAHundredThousand() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        text.reserveCapacity(100_000 * 110)
        var failed: Set<String> = []
        for i in 0..<100_000 {
            let id = String(format: "prod-%06d", i)
            // Failures scattered without a pattern the hash could follow.
            let isError = (i &* 2_654_435_761) % 1000 < 7
            if isError { failed.insert(id) }
            text +=
                "{\"trace_id\":\"\(id)\",\"span_id\":\"s\",\"name\":\"answer\",\"start_time\":\(1_750_000_000 + i),\"end_time\":\(1_750_000_001 + i)"
            text += isError ? ",\"error\":\"tool timeout\"}\n" : "}\n"
        }
        try write(gzip(text), to: dir.appendingPathComponent("production.jsonl.gz"))

        var chosen: [Set<String>] = []
        for out in ["first", "second"] {
            let result = try trace(
                [
                    "render", "production.jsonl.gz", "--keep", "status=error", "--sample", "500", "--jobs", "2",
                    "--all-pages", "-o",
                    out,
                ], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let pages = try FileManager.default.contentsOfDirectory(
                atPath: dir.appendingPathComponent("\(out)/runs").path)
            chosen.append(Set(pages.map { String($0.dropLast(".html".count)) }))
            let index = try read(dir.appendingPathComponent("\(out)/index.html"))
            let n = failed.count + 500
            let shown = n >= 1000 ? "\(n / 1000),\(String(format: "%03d", n % 1000))" : "\(n)"
            #expect(index.contains("<span>\(shown) of 100,000 runs selected (--sample 500 --keep status=error)</span>"))
            let summary =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: dir.appendingPathComponent("\(out)/summary.json"))) as? [String: Any]
            #expect(summary?["selected_runs"] as? Int == failed.count + 500)
            #expect(summary?["total_runs"] as? Int == 100_000)
            #expect(summary?["selection"] as? String == "--sample 500 --keep status=error")
        }
        #expect(failed.count > 500)
        #expect(chosen[0] == chosen[1])
        #expect(failed.isSubset(of: chosen[0]))
        #expect(chosen[0].count == failed.count + 500)
        #expect(
            try read(dir.appendingPathComponent("first/index.html"))
                == read(dir.appendingPathComponent("second/index.html")))
    }

    @Test("--where filters combine, and a bad expression is a usage error")
    func whereFilters() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text =
            span(
                "r1", "a", name: "refund", start: 0, end: 45,
                extra: ",\"scores\":{\"correctness\":0.2},\"metadata\":{\"release\":\"2025.06\"},\"error\":\"x\"")
            + span(
                "r2", "a", name: "refund", start: 0, end: 5,
                extra: ",\"scores\":{\"correctness\":0.2},\"metadata\":{\"release\":\"2025.06\"}")
            + span(
                "r3", "a", name: "search", start: 0, end: 45,
                extra: ",\"scores\":{\"correctness\":0.9},\"metadata\":{\"release\":\"2025.05\"}")
        try write(Array(text.utf8), to: dir.appendingPathComponent("t.jsonl"))
        let result = try trace(
            [
                "render", "t.jsonl", "--where", "score.correctness<0.5", "--where", "metadata.release=2025.06",
                "--where", "duration>30s", "-o", "out",
            ], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/runs").path) == [
                "r1.html"
            ])
        #expect(result.stderr.contains("rendered 1 of 3 runs"))
        let bad = try trace(["render", "t.jsonl", "--where", "duration>soon", "-o", "out2"], in: dir)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--where 'duration>soon': 'soon' is not a duration"))
        let keepAlone = try trace(["render", "t.jsonl", "--keep", "status=error", "-o", "out2"], in: dir)
        #expect(keepAlone.status == 64)
    }
}
