import Foundation
import Testing

/// A run every hostile file carries beside its bad line: it must always render.
let controlLine =
    #"{"trace_id":"control","span_id":"c1","name":"control-run","kind":"agent","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z"}"#

/// A native span line of run `bad` with `fields` added.
func badLine(
    _ fields: String, span: String = "b1", start: String = "2025-01-01T00:00:00Z", end: String? = "2025-01-01T00:00:01Z"
) -> String {
    let endField = end.map { #","end_time":"\#($0)""# } ?? ""
    return #"{"trace_id":"bad","span_id":"\#(span)","name":"bad-run","start_time":"\#(start)""# + endField
        + (fields.isEmpty ? "" : "," + fields) + "}"
}

/// Writes `lines` to a file in a fresh folder and renders it; the result, the file's path and
/// the output folder.
func renderHostile(
    _ lines: [String], name: String = "hostile.jsonl", extra: [String] = []
) throws -> (Execution, String, URL) {
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
        Case(
            name: "score 1.9e15 with a gate", lines: [controlLine, badLine(#""scores":{"acc":1.9e15}"#)],
            badLineNumber: 2, message: "score \"acc\" 1.9e15", extra: ["--fail-under", "acc=0.5"]),
        Case(
            name: "score mean 1e17", lines: [controlLine, badLine(#""scores":{"acc":1e17}"#)], badLineNumber: 2,
            message: "score \"acc\" 1e17"),
        Case(
            name: "score 1e999", lines: [controlLine, badLine(#""scores":{"acc":1e999}"#)], badLineNumber: 2,
            message: "not a finite number"),
        Case(
            name: "cost 9.3e12", lines: [controlLine, badLine(#""usage":{"cost":9.3e12}"#)], badLineNumber: 2,
            message: "cost 9300000000000.0"),
        Case(
            name: "cost 1e999", lines: [controlLine, badLine(#""usage":{"cost":1e999}"#)], badLineNumber: 2,
            message: "cost inf is not a finite number"),
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
        Case(
            name: "span from 1700 to 2025",
            lines: [controlLine, badLine("", start: "1700-01-01T00:00:00Z", end: "2025-01-01T00:00:00Z")],
            badLineNumber: 2, message: "start time 1700-01-01"),
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
        Case(
            name: "event in 1700",
            lines: [controlLine, badLine(#""events":[{"name":"e","time":"1700-01-01T00:00:00Z"}]"#)], badLineNumber: 2,
            message: "time of event \"e\" 1700-01-01"),
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
        let long = (1...3).map {
            #"{"trace_id":"long\#($0)","span_id":"a","name":"long","start_time":"1901-01-01T00:00:00Z","end_time":"2189-01-01T00:00:00Z","scores":{"acc":1}}"#
        }
        let dir = try temporaryDirectory()
        let junit = dir.appendingPathComponent("junit.xml")
        let summary = dir.appendingPathComponent("summary.md")
        let (result, _, out) = try renderHostile(
            [controlLine] + long, extra: ["--junit", junit.path, "--summary", summary.path])
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
        let (result, _, out) = try renderHostile(
            [controlLine, badLine(#""scores":{"acc":0.9}"#)],
            extra: ["--baseline", baseline.path, "--fail-on-regression", "acc"])
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
        let line =
            #"{"trace_id":"\#(forged)","span_id":"s\n1","parent_id":"missing","name":"n","start_time":"2025-01-01T00:00:00Z"}"#
        let (result, path, out) = try renderHostile([controlLine, line])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no raw control character")
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x202E })
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix(path) || $0.hasPrefix("rendered ") }, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("::error::") || $0.hasPrefix("hostile.jsonl:99") })
        #expect(
            result.stderr.contains(#"run "x\x1b[31m\x07\nhostile.jsonl:99: error: forged\r\n::error::forged\u{202e}""#),
            "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    }

    @Test("The --summary Markdown links only to the report's pages and escapes run names")
    func summaryLinks() throws {
        let name = "Report](https://evil.example/phish) ![x](https://evil.example/p.png)"
        let line =
            #"{"trace_id":"bad","span_id":"b1","name":"\#(name)","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z","error":{"message":"<script>x</script> [y](javascript:alert(1))"}}"#
        let dir = try temporaryDirectory()
        let summary = dir.appendingPathComponent("summary.md")
        let (result, _, _) = try renderHostile(
            [controlLine, line], extra: ["--fail-on-error", "--summary", summary.path])
        #expect(result.status == 2, "\(result.stderr)")
        let md = try String(contentsOf: summary, encoding: .utf8)
        #expect(md.contains(#"[Report\](https\://evil.example/phish) \!\[x\](https\://evil.example/p.png)]("#), "\(md)")
        #expect(!md.contains("https://"))
        #expect(!md.contains("<script>"))
        #expect(!md.contains("[y]("))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Files are safe: names, the output folder, inputs", .serialized)
struct HostileFileTests {
    /// `href="runs/…"` targets of an index page.
    static func runLinks(_ index: String) -> [String] {
        index.components(separatedBy: "href=\"runs/").dropFirst().map { "runs/" + $0.prefix { $0 != "\"" } }
    }

    @Test("Ids that clean to the same page name get distinct pages, and each row links its own")
    func pageNamesUnique() throws {
        let lines = [
            #"{"trace_id":"victim run","span_id":"a","name":"first-run","start_time":"2025-01-01T00:00:00Z"}"#,
            #"{"trace_id":"victim_run-dc070ab9","span_id":"a","name":"second-run","start_time":"2025-01-01T00:00:01Z"}"#,
            #"{"trace_id":"Victim_Run-DC070AB9","span_id":"a","name":"third-run","start_time":"2025-01-01T00:00:02Z"}"#,
        ]
        let (result, _, out) = try renderHostile(lines)
        #expect(result.status == 0, "\(result.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("runs").path)
        #expect(pages.count == 3)
        #expect(Set(pages.map { $0.lowercased() }).count == 3, "unique after case folding: \(pages)")
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(Set(Self.runLinks(index)).count == 3)
        for name in ["first-run", "second-run", "third-run"] {
            let owner = try pages.filter {
                try String(contentsOf: out.appendingPathComponent("runs/\($0)"), encoding: .utf8).contains(name)
            }
            #expect(owner.count == 1, "\(name) is on exactly one page")
        }
    }

    @Test("Trace ids compare as bytes: café precomposed and decomposed are two runs")
    func idsAsBytes() throws {
        let lines = [
            #"{"trace_id":"caf\u00e9","span_id":"a","name":"precomposed","start_time":"2025-01-01T00:00:00Z"}"#,
            #"{"trace_id":"cafe\u0301","span_id":"a","name":"decomposed","start_time":"2025-01-01T00:00:01Z"}"#,
        ]
        let (result, _, out) = try renderHostile(lines)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("rendered 2 runs"), "\(result.stderr)")
        #expect(!result.stderr.contains("already recorded"))
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("runs").path)
        #expect(pages.count == 2)
    }

    @Test("-o must not be empty or /, and the report never overwrites an input")
    func outputChecks() throws {
        let empty = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("the output folder must not be empty"))
        let slash = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", "/"])
        #expect(slash.status == 64)
        #expect(slash.stderr.contains("must not be the root folder"))

        let dir = try temporaryDirectory()
        let clash = dir.appendingPathComponent("clash")
        try FileManager.default.createDirectory(at: clash, withIntermediateDirectories: true)
        let input = clash.appendingPathComponent("summary.json")
        let text = Data((controlLine + "\n").utf8)
        try text.write(to: input)
        let result = try run(["render", input.path, "-o", clash.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("would overwrite its own input"), "\(result.stderr)")
        #expect(try Data(contentsOf: input) == text, "the input is unchanged")
        #expect(
            !FileManager.default.fileExists(atPath: clash.appendingPathComponent("index.html").path),
            "nothing was written")
    }

    @Test(
        "The sweep removes only pages an earlier render listed: the user's runs/notes.html and a runs symlink survive")
    func sweepKeepsUserFiles() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("runs"), withIntermediateDirectories: true)
        let notes = out.appendingPathComponent("runs/notes.html")
        try Data("mine".utf8).write(to: notes)
        #expect(try run(["render", "Examples/eval-set/trace.jsonl", "-o", out.path]).status == 0)
        let manifest = try String(contentsOf: out.appendingPathComponent(".trace-report-manifest"), encoding: .utf8)
        #expect(manifest.hasPrefix("trace-report manifest 1\n"))
        #expect(!manifest.contains("notes.html"))
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path]).status == 0)
        #expect(
            Set(try tree(out).keys) == [
                "index.html", "runs/notes.html", "runs/refund-7c1e2a9b4f.html", "runs.jsonl", "summary.json",
            ])

        // `runs` as a symbolic link to another folder: nothing in that folder is removed.
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: other.appendingPathComponent("x.html"))
        let linked = dir.appendingPathComponent("linked")
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: linked.appendingPathComponent("runs"), withDestinationURL: other)
        #expect(try run(["render", "Examples/eval-set/trace.jsonl", "-o", linked.path]).status == 0)
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl", "-o", linked.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: other.appendingPathComponent("x.html").path))
        #expect(try Data(contentsOf: other.appendingPathComponent("x.html")) == Data("keep".utf8))
    }

    @Test("Temporary files left by a killed render are removed; others are not")
    func deadTemporaryFiles() throws {
        let out = try temporaryDirectory()
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("runs"), withIntermediateDirectories: true)
        // A pid far above any the system hands out.
        let dead = ["index.html.tmp-2147483646", "runs/a.html.tmp-2147483646", "summary.json.tmp-2147483646"]
        for name in dead { try Data("x".utf8).write(to: out.appendingPathComponent(name)) }
        let alive = "index.html.tmp-\(getpid())"
        try Data("x".utf8).write(to: out.appendingPathComponent(alive))
        try Data("x".utf8).write(to: out.appendingPathComponent("notes.txt.tmp-2147483646"))
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path]).status == 0)
        for name in dead {
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent(alive).path),
            "a live process's file stays")
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("notes.txt.tmp-2147483646").path),
            "not a report file")
    }

    @Test("A render refuses a folder another render holds")
    func lockedFolder() throws {
        let out = try temporaryDirectory()
        let lockPath = out.appendingPathComponent(".trace-report.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let refused = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another trace-report render is writing to this folder"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        close(fd)
        let after = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path])
        #expect(after.status == 0, "the lock goes with its holder")
        #expect(!FileManager.default.fileExists(atPath: lockPath), "the lock file is removed at the end")
    }

    @Test("Two renders into one folder at once: every link of the final index works")
    func concurrentRenders() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        func input(_ tag: String) throws -> String {
            let lines = (0..<1500).map {
                #"{"trace_id":"\#(tag)-\#($0)","span_id":"a","name":"r","start_time":"2025-01-01T00:00:00Z"}"#
            }
            let file = dir.appendingPathComponent("\(tag).jsonl")
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            return file.path
        }
        let a = try input("a")
        let b = try input("b")
        func start(_ path: String) throws -> Process {
            let p = Process()
            p.executableURL = executable
            p.arguments = ["render", path, "-o", out.path, "-q", "--large-report-runs", "5000"]
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let first = try start(a)
        let second = try start(b)
        first.waitUntilExit()
        second.waitUntilExit()
        let statuses = [first.terminationStatus, second.terminationStatus]
        #expect(statuses.allSatisfy { $0 == 0 || $0 == 1 }, "\(statuses)")
        #expect(statuses.contains(0))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        let links = Self.runLinks(index)
        #expect(links.count == 1500)
        let broken = links.filter { !FileManager.default.fileExists(atPath: out.appendingPathComponent($0).path) }
        #expect(broken.isEmpty, "\(broken.count) broken links")
    }

    @Test("Devices, FIFOs without a writer and inputs past the size limit stop with a clear error")
    func endlessInputs() throws {
        let zero = try run(["render", "/dev/zero", "-o", try temporaryDirectory().path])
        #expect(zero.status == 1)
        #expect(zero.stderr.contains("/dev/zero: error: cannot read: is a device, not a file"))

        let dir = try temporaryDirectory()
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let fromFifo = try run(["render", fifo, "-o", dir.appendingPathComponent("out").path])
        #expect(fromFifo.status == 1)
        #expect(fromFifo.stderr.contains("no spans could be read from \(fifo)"))

        let big = Data(repeating: 0x20, count: 3000)
        let limited = try run(
            ["render", "-", "-o", dir.appendingPathComponent("out").path], stdin: big,
            environment: ["TRACE_REPORT_MAX_INPUT_BYTES": "1000"])
        #expect(limited.status == 1)
        #expect(limited.stderr.contains("-: error: cannot read: delivers more than the input limit of 1000 bytes"))
        let file = dir.appendingPathComponent("big.jsonl")
        try big.write(to: file)
        let limitedFile = try run(
            ["render", file.path, "-o", dir.appendingPathComponent("out").path],
            environment: ["TRACE_REPORT_MAX_INPUT_BYTES": "1000"])
        #expect(limitedFile.status == 1)
        #expect(limitedFile.stderr.contains("is 3000 bytes, more than the input limit of 1000 bytes"))
    }

    @Test("A file truncated while it is read ends early; the render does not crash")
    func truncatedWhileRead() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("rotating.jsonl")
        let line = controlLine + "\n"
        let bytes = Data(String(repeating: line, count: 60_000).utf8)
        for attempt in 0..<3 {
            try bytes.write(to: file)
            let p = Process()
            p.executableURL = executable
            p.arguments = ["render", file.path, "-o", dir.appendingPathComponent("out\(attempt)").path, "-q"]
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(attempt) * 20_000)
            #expect(truncate(file.path, Int(attempt) * 1000 + 10) == 0)
            p.waitUntilExit()
            #expect(p.terminationReason == .exit)
            #expect(p.terminationStatus < 128)
        }
    }
}

@Suite("Format detection and resync", .serialized)
struct DetectionTests {
    @Test(
        "A stray first value does not hide the file: the first value that is a trace decides",
        arguments: ["1", "null", "[1, 2, 3]", #"{"log":"started","level":"info"}"#])
    func strayFirstLine(_ first: String) throws {
        let (result, path, out) = try renderHostile([first, controlLine, badLine("")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("rendered 2 runs"), "\(result.stderr)")
        #expect(result.stderr.hasPrefix("\(path):1: error: "), "the stray line is named: \(result.stderr)")
        #expect(!result.stderr.contains("unrecognized"))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("control-run"))
        #expect(index.contains("bad-run"))
    }

    @Test("Native spans carrying root_span_id, object or version stay native")
    func nativeWithForeignKeys() throws {
        let lines = [
            #"{"trace_id":"t","span_id":"a","name":"root-span","start_time":"2025-01-01T00:00:00Z","root_span_id":"a","object":"trace","version":3}"#,
            #"{"trace_id":"t","span_id":"b","parent_id":"a","name":"child-span","start_time":"2025-01-01T00:00:00.5Z","root_span_id":"a"}"#,
            controlLine,
        ]
        let (result, _, out) = try renderHostile(lines)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix("rendered 2 runs (3 span records) with 0 skipped lines and 0 warnings"),
            "\(result.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("runs").path)
        let page = try String(contentsOf: out.appendingPathComponent("runs/t.html"), encoding: .utf8)
        #expect(pages.contains("t.html"))
        #expect(page.contains("child-span"))
        #expect(page.contains("trace-report JSONL"))
    }

    @Test("CR-only line endings: a broken record costs only its own line")
    func carriageReturnOnly() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("cr.jsonl")
        let text =
            [
                controlLine, #"{"trace_id":"x","span_id":"broken"#, badLine(""),
                badLine(#""parent_id":"b1""#, span: "b2"),
            ].joined(separator: "\r") + "\r"
        try Data(text.utf8).write(to: file)
        let out = dir.appendingPathComponent("report")
        let result = try run(["render", file.path, "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):2: error: "), "\(result.stderr)")
        #expect(result.stderr.contains("rendered 2 runs (3 span records) with 1 skipped line"), "\(result.stderr)")
    }
}

@Suite("Bounded output for inputs built to blow up", .serialized)
struct BoundedOutputTests {
    @Test("Many score names: columns for the most common, the rest in one column")
    func manyScoreNames() throws {
        var lines = (0..<30).map {
            #"{"trace_id":"r\#($0)","span_id":"a","name":"run-\#($0)","start_time":"2025-01-01T00:00:00Z","scores":{"common":0.5,"own\#($0)":0.25}}"#
        }
        lines.append(controlLine)
        let (result, _, out) = try renderHostile(lines)
        #expect(result.status == 0, "\(result.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        let table = try #require(index.components(separatedBy: "id=\"runs\"").dropFirst().first)
        let header = table.components(separatedBy: "</thead>")[0]
        let scoreColumns = header.components(separatedBy: "data-key=\"score:").count - 1
        #expect(scoreColumns == 20, "at most 20 score columns: \(scoreColumns)")
        #expect(header.contains("data-key=\"score:common\""))
        #expect(header.contains("Other scores"))
        // Every run's own score is still in its row.
        let rows = index.components(separatedBy: "<tr data-run-id=").dropFirst()
        #expect(rows.count == 31)
        #expect(
            rows.filter { $0.contains("data-key=\"scores:other\" data-value=\"own") }.count == 11,
            "eleven runs' own scores have no column")
        for i in 0..<30 {
            let row = try #require(rows.first { $0.hasPrefix("\"r\(i)\"") })
            #expect(
                row.contains("own\(i) 0.25") || row.contains("data-key=\"score:own\(i)\" data-value=\"0.25\""),
                "run r\(i) keeps its own score")
        }
    }

    @Test("A Markdown text past 1 MiB is shown as written, not run through Markdown")
    func longMarkdown() throws {
        let text = String(repeating: "**bold** ", count: 130_000)
        let line =
            #"{"trace_id":"long","span_id":"a","name":"long-run","start_time":"2025-01-01T00:00:00Z","output":"\#(text)"}"#
        let (result, _, out) = try renderHostile([controlLine, line])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("runs/long.html"), encoding: .utf8)
        #expect(page.contains("**bold** **bold**"))
        #expect(!page.contains("<strong>bold</strong>"))
        // Shown once in full: the span's detail holds it; the header previews it and the eval
        // case points at `extract` instead of carrying a second copy.
        let whole = String(repeating: "**bold** ", count: 129_999) + "**bold**"
        #expect(page.components(separatedBy: whole).count == 2, "the whole text appears exactly once")
        #expect(page.contains("1,170,000 bytes, shown as written"))
        #expect(page.contains("1,170,000 bytes; shown in full in its span"))
        #expect(page.contains("<code>trace-report extract --run long</code> writes it"))
        #expect(page.utf8.count < 1_400_000, "page size \(page.utf8.count)")
    }

    @Test("A value nested 9,999 levels deep gives a page linear in the value")
    func deepValue() throws {
        let deep = String(repeating: "[", count: 9_999) + "1" + String(repeating: "]", count: 9_999)
        let line =
            #"{"trace_id":"deep","span_id":"a","name":"deep-run","start_time":"2025-01-01T00:00:00Z","input":\#(deep)}"#
        let (result, _, out) = try renderHostile([controlLine, line])
        #expect(result.status == 0, "\(result.stderr)")
        let size =
            try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("runs/deep.html").path)[.size]
            as? Int ?? 0
        #expect(size < 5_000_000, "page size \(size)")
    }
}

@Suite("Diagnostics that were missing or wrong", .serialized)
struct MissingDiagnosticTests {
    @Test(
        "Impossible dates and offsets are errors; an end before the start is a warning; error fields that are not text are kept"
    )
    func datesAndErrors() throws {
        let lines = [
            controlLine,
            #"{"trace_id":"t","span_id":"a","name":"n","start_time":"2025-02-31T00:00:00Z"}"#,
            #"{"trace_id":"t","span_id":"b","name":"n","start_time":"2025-02-01T00:00:00+99:99"}"#,
            #"{"trace_id":"t","span_id":"c","name":"n","start_time":"2024-02-29T00:00:02Z","end_time":"2024-02-29T00:00:01Z","error":{"message":{"code":5},"type":42}}"#,
        ]
        let (result, path, out) = try renderHostile(lines)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                #"\#(path):2: error: "start_time" is not an RFC 3339 date-time: "2025-02-31T00:00:00Z""#),
            "\(result.stderr)")
        #expect(result.stderr.contains("\(path):3: error: "))
        #expect(
            result.stderr.contains(
                "\(path):4: warning: span \"c\" of run \"t\": ends at 2024-02-29 00:00:01.000Z, before it starts"),
            "\(result.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("runs/t.html"), encoding: .utf8)
        #expect(page.contains("42: {&quot;code&quot;:5}"))
    }

    @Test("A UTF-16 file is named as UTF-16, with how to convert it")
    func utf16() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("wide.jsonl")
        var data = Data([0xFF, 0xFE])
        data.append(controlLine.data(using: .utf16LittleEndian)!)
        try data.write(to: file)
        let good = dir.appendingPathComponent("good.jsonl")
        try Data((controlLine + "\n").utf8).write(to: good)
        let result = try run(["render", file.path, good.path, "-o", dir.appendingPathComponent("out").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("\(file.path):1: error: the file is UTF-16LE, not UTF-8; convert it"),
            "\(result.stderr)")
    }
}
