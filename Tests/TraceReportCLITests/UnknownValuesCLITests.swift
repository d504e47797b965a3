import Foundation
import Testing

/// Values the input does not hold are shown as not recorded, never as zero or the Unix epoch.
@Suite("Unknown values in the report", .serialized)
struct UnknownValuesCLITests {
    /// A SWE-agent trajectory in the tool's shape; with `executionTime` each action records one.
    static func trajectory(executionTime: Bool) -> String {
        let time = executionTime ? #","execution_time":1.25"# : ""
        return #"""
            {"trajectory":[{"action":"ls","observation":"setup.py src","response":"Look first.","thought":"Look first.","state":"{}"\#(time)},
            {"action":"submit","observation":"diff --git a/x b/x","response":"Done.","thought":"Done.","state":"{}"\#(time)}],
            "history":[{"role":"system","content":"You are a coding agent.","agent":"main"},{"role":"user","content":"Fix the bug.","agent":"main"}],
            "info":{"exit_status":"submitted","submission":"\r\ndiff --git a/src/x.py b/src/x.py\r\n--- a/src/x.py\r\n+++ b/src/x.py\r\n@@ -1,2 +1,2 @@\r\n def f(a):\r\n-    return a / 2\r\n+    return round(a / 2)\r\n","model_stats":{"tokens_sent":0,"tokens_received":0,"instance_cost":0,"api_calls":2}}}
            """#
    }

    @Test("SWE-agent pages never show 1970 or 0 ns; derived times say so; untimed runs sort last")
    func sweAgentTimes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.trajectory(executionTime: false).utf8).write(to: dir.appendingPathComponent("untimed.traj"))
        try Data(Self.trajectory(executionTime: true).utf8).write(to: dir.appendingPathComponent("timed.traj"))
        let native =
            #"{"trace_id":"clocked","span_id":"r","name":"clocked-run","start_time":"2025-09-03T12:00:00Z","end_time":"2025-09-03T12:00:01Z"}"#
        try Data((native + "\n").utf8).write(to: dir.appendingPathComponent("clocked.jsonl"))
        let out = dir.appendingPathComponent("report")
        let result = try run([
            "render", dir.appendingPathComponent("untimed.traj").path, dir.appendingPathComponent("timed.traj").path,
            dir.appendingPathComponent("clocked.jsonl").path, "-o", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(out)
        for (path, data) in files where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("1970"), "\(path) shows the Unix epoch")
            #expect(!text.contains("0 ns"), "\(path) shows a zero duration")
        }
        let untimed = String(decoding: try #require(files["runs/untimed.html"]), as: UTF8.self)
        #expect(untimed.contains("<dt>Start</dt><dd>not recorded</dd>"))
        #expect(untimed.contains("<dt>Duration</dt><dd>not recorded</dd>"))
        #expect(untimed.contains("<dt>Tokens</dt><dd>not recorded</dd>"))
        #expect(untimed.contains("no times recorded: spans drawn in order"))
        #expect(count("bar bar-order", in: untimed) == 5, "every span is drawn by its order, marked")
        #expect(!untimed.contains("Slowest span"))
        #expect(untimed.contains("<span class=\"status status-ok\">ok</span>"), "a run with no times is not unfinished")

        let timed = String(decoding: try #require(files["runs/timed.html"]), as: UTF8.self)
        #expect(timed.contains("<dt>Duration</dt><dd>2.50 s (derived)</dd>"))
        #expect(timed.contains("<dt>Start</dt><dd>not recorded</dd>"))
        #expect(timed.contains("derived times, not recorded"))
        #expect(timed.contains("≈1.25 s"))
        // The submission patch, the run's main output, is a diff block with its lines marked.
        #expect(
            timed.contains("data-run-output><h2>Output</h2><div class=\"tf\" data-format=\"diff\"><pre class=\"diff\">")
        )
        #expect(timed.contains("<span class=\"d-del\">-    return a / 2\n</span>"))
        #expect(timed.contains("<span class=\"d-add\">+    return round(a / 2)\n</span>"))

        // The clocked run first; runs without a recorded start after it.
        let index = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        let order = ["data-run-id=\"clocked\"", "data-run-id=\"timed\"", "data-run-id=\"untimed\""].map {
            index.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[0]! < order[2]!)
        #expect(
            index.contains("<td data-key=\"start\" data-value=\"\"><span class=\"unknown\">not recorded</span></td>"))
    }

    @Test("Tokens a span does not record are not recorded, not zero")
    func partialUsage() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let line =
            #"{"trace_id":"t","span_id":"a","name":"answer","kind":"llm","start_time":"2025-09-03T12:00:00Z","end_time":"2025-09-03T12:00:01Z","usage":{"output_tokens":31}}"#
        try Data((line + "\n").utf8).write(to: dir.appendingPathComponent("t.jsonl"))
        let out = dir.appendingPathComponent("report")
        #expect(try run(["render", dir.appendingPathComponent("t.jsonl").path, "-o", out.path]).status == 0)
        let page = String(decoding: try #require(try tree(out)["runs/t.html"]), as: UTF8.self)
        #expect(page.contains("31 (this span): not recorded in, 31 out"))
        #expect(page.contains("<dt>Cost</dt><dd>not recorded</dd>"))
    }
}

/// Occurrences of `needle` in `haystack`.
private func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}
