import Foundation
import Testing

/// A run every hostile file carries beside its bad line: it must always render.
let controlLine = #"{"trace_id":"control","span_id":"c1","name":"control-run","kind":"agent","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z"}"#

/// A native span line of run `bad` with `fields` added.
func badLine(_ fields: String, span: String = "b1", start: String = "2025-01-01T00:00:00Z", end: String? = "2025-01-01T00:00:01Z") -> String {
    let endField = end.map { #","end_time":"\#($0)""# } ?? ""
    return #"{"trace_id":"bad","span_id":"\#(span)","name":"bad-run","start_time":"\#(start)""# + endField + (fields.isEmpty ? "" : "," + fields) + "}"
}

/// Writes `lines` to a file in a fresh folder and renders it; the result, the file's path and
/// the output folder.
func renderHostile(_ lines: [String], name: String = "hostile.jsonl", extra: [String] = []) throws -> (Execution, String, URL) {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent(name)
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    let out = dir.appendingPathComponent("report")
    let result = try run(["render", file.path, "-o", out.path] + extra)
    return (result, file.path, out)
}

@Suite("Hostile numbers never stop a report", .serialized)
struct HostileNumberTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var lines: [String]
        var badLineNumber: Int
        var message: String
        var extra: [String] = []
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "score 1.9e15 with a gate", lines: [controlLine, badLine(#""scores":{"acc":1.9e15}"#)], badLineNumber: 2, message: "score \"acc\" 1.9e15", extra: ["--fail-under", "acc=0.5"]),
        Case(name: "score mean 1e17", lines: [controlLine, badLine(#""scores":{"acc":1e17}"#)], badLineNumber: 2, message: "score \"acc\" 1e17"),
        Case(name: "score 1e999", lines: [controlLine, badLine(#""scores":{"acc":1e999}"#)], badLineNumber: 2, message: "not a finite number"),
        Case(name: "cost 9.3e12", lines: [controlLine, badLine(#""usage":{"cost":9.3e12}"#)], badLineNumber: 2, message: "cost 9300000000000.0"),
        Case(name: "cost 1e999", lines: [controlLine, badLine(#""usage":{"cost":1e999}"#)], badLineNumber: 2, message: "cost inf is not a finite number"),
        Case(
            name: "token sums past Int64",
            lines: [
                controlLine,
                badLine(#""usage":{"input_tokens":9223372036854775807,"output_tokens":9223372036854775807}"#),
                badLine(#""parent_id":"b1","usage":{"total_tokens":9223372036854775807}"#, span: "b2"),
            ],
            badLineNumber: 3,
            message: "total tokens 9223372036854775807"
        ),
        Case(name: "span from 1700 to 2025", lines: [controlLine, badLine("", start: "1700-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z")], badLineNumber: 2, message: "start time 1700-01-01"),
        Case(
            name: "runs spanning 1950 to 2250",
            lines: [
                controlLine,
                badLine("", start: "1950-01-01T00:00:00Z", end: "1950-01-01T00:00:01Z"),
                #"{"trace_id":"late","span_id":"l1","name":"late","start_time":"2250-01-01T00:00:00Z","end_time":"2250-01-01T00:00:01Z"}"#,
            ],
            badLineNumber: 3,
            message: "start time 2250-01-01"
        ),
        Case(name: "event in 1700", lines: [controlLine, badLine(#""events":[{"name":"e","time":"1700-01-01T00:00:00Z"}]"#)], badLineNumber: 2, message: "time of event \"e\" 1700-01-01"),
        Case(
            name: "OTel JS hrtime at the end of Int64",
            lines: [
                #"{"name":"control-run","kind":1,"spanContext":{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},"startTime":[1700000000,5],"endTime":[1700000002,0],"status":{"code":1},"attributes":{},"events":[]}"#,
                #"{"name":"bad","kind":1,"spanContext":{"traceId":"6b8efff798038103d269b633813fc60c","spanId":"fee19b7ec3c1b174"},"startTime":[9223372036,999999999],"endTime":[1700000002,0],"status":{"code":1},"attributes":{},"events":[]}"#,
            ],
            badLineNumber: 2,
            message: "\"startTime\" is out of range"
        ),
    ]

    @Test("The control run renders and the bad line is named", arguments: cases)
    func hostileNumber(_ c: Case) throws {
        let (result, path, out) = try renderHostile(c.lines, extra: c.extra)
        #expect(result.status < 128, "\(result.stderr)")
        #expect(result.status == 0 || result.status == 2, "\(result.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("control-run"))
        let diagnostic = result.stderr.split(separator: "\n").first { $0.hasPrefix("\(path):\(c.badLineNumber): ") }
        #expect(diagnostic?.contains(c.message) == true, "\(result.stderr)")
    }

    @Test("--junit and --summary total runs whose durations sum past Int64")
    func longRunsInJUnit() throws {
        let long = (1...3).map { #"{"trace_id":"long\#($0)","span_id":"a","name":"long","start_time":"1901-01-01T00:00:00Z","end_time":"2189-01-01T00:00:00Z","scores":{"acc":1}}"# }
        let dir = try temporaryDirectory()
        let junit = dir.appendingPathComponent("junit.xml")
        let summary = dir.appendingPathComponent("summary.md")
        let (result, _, out) = try renderHostile([controlLine] + long, extra: ["--junit", junit.path, "--summary", summary.path])
        #expect(result.status == 0, "\(result.stderr)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"4\""))
        #expect(xml.contains("time=\"9223372036.854\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    }

    @Test("A baseline summary.json with duration_ms 1e13 is named and the rest compared")
    func baselineDuration() throws {
        let dir = try temporaryDirectory()
        let baseline = dir.appendingPathComponent("summary.json")
        let text = #"""
            {"trace_report_summary": 1, "title": "t", "runs": [
              {"trace_id": "control", "name": "control-run", "status": "ok", "duration_ms": 1e13, "scores": {}},
              {"trace_id": "bad", "name": "bad-run", "status": "ok", "duration_ms": 10000000000000, "scores": {"acc": 0.5}}
            ]}
            """#
        try Data(text.utf8).write(to: baseline)
        let (result, _, out) = try renderHostile([controlLine, badLine(#""scores":{"acc":0.9}"#)], extra: ["--baseline", baseline.path, "--fail-on-regression", "acc"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(baseline.path): warning: runs[0] duration_ms 1e13 is out of range"))
        #expect(result.stderr.contains("\(baseline.path): warning: runs[1] duration_ms 10000000000000 is out of range"))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("control-run"))
    }
}

@Suite("Text from a trace is safe on standard error and in the CI summary", .serialized)
struct HostileTextTests {
    @Test("Control characters in ids and messages are escaped: one diagnostic is one line")
    func stderrOneLine() throws {
        let forged = #"x\u001b[31m\u0007\nhostile.jsonl:99: error: forged\r\n::error::forged\u202e"#
        let line = #"{"trace_id":"\#(forged)","span_id":"s\n1","parent_id":"missing","name":"n","start_time":"2025-01-01T00:00:00Z"}"#
        let (result, path, out) = try renderHostile([controlLine, line])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control character")
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x202E })
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix(path) || $0.hasPrefix("rendered ") }, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("::error::") || $0.hasPrefix("hostile.jsonl:99") })
        #expect(result.stderr.contains(#"run "x\x1b[31m\x07\nhostile.jsonl:99: error: forged\r\n::error::forged\u{202e}""#), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    }

    @Test("The --summary Markdown links only to the report's pages and escapes run names")
    func summaryLinks() throws {
        let name = "Report](https://evil.example/phish) ![x](https://evil.example/p.png)"
        let line = #"{"trace_id":"bad","span_id":"b1","name":"\#(name)","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z","error":{"message":"<script>x</script> [y](javascript:alert(1))"}}"#
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("summary.md")
        let (result, _, _) = try renderHostile([controlLine, line], extra: ["--fail-on-error", "--summary", summary.path])
        #expect(result.status == 2, "\(result.stderr)")
        let md = try String(contentsOf: summary, encoding: .utf8)
        #expect(md.contains(#"[Report\](https\://evil.example/phish) \!\[x\](https\://evil.example/p.png)]("#), "\(md)")
        #expect(!md.contains("https://"))
        #expect(!md.contains("<script>"))
        #expect(!md.contains("[y]("))
    }
}
