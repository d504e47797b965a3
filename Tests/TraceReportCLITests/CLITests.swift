import Foundation
import Testing

/// The repository root, found from this file's path.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `trace-report` beside the test bundle.
let executable: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("trace-report")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/trace-report")
}()

struct Execution {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs trace-report with `arguments` in the repository root, feeding `stdin`.
func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Execution {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["GITHUB_STEP_SUMMARY"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    process.currentDirectoryURL = root
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Execution(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("trace-report-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every file under `dir`, by relative path, apart from the report's list of its own pages.
func tree(_ dir: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for case let path as String in FileManager.default.enumerator(atPath: dir.path) ?? FileManager.default.enumerator(
        atPath: "/")!
    {
        if path == ".trace-report-manifest" { continue }
        var isDir: ObjCBool = false
        let url = dir.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
            files[path] = try Data(contentsOf: url)
        }
    }
    return files
}

@Suite("trace-report command line", .serialized)
struct CLITests {
    @Test("--help documents the exit statuses; --version prints the version")
    func helpAndVersion() throws {
        let help = try run(["render", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXIT STATUS"))
        #expect(help.stdout.contains("-o, --output <dir>"))
        let version = try run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
    }

    @Test("Rendering the refund example writes the index and its page")
    func refund() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty, "nothing on stdout that was not asked for")
        #expect(result.stderr.hasPrefix("rendered 1 run (6 span records) with 0 skipped lines and 0 warnings; open "))
        let files = try tree(out)
        #expect(Set(files.keys) == ["index.html", "runs/refund-7c1e2a9b4f.html", "runs.jsonl", "summary.json"])
    }

    @Test("Every broken line is reported as FILE:LINE and every good run still renders")
    func brokenLines() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "Examples/broken-lines/trace.jsonl", "-o", out.path])
        #expect(result.status == 0)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.compactMap {
            line -> Int? in
            let parts = line.split(separator: ":")
            return parts.count > 2 && parts[0] == "Examples/broken-lines/trace.jsonl" ? Int(parts[1]) : nil
        }
        #expect(errorLines == [3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 18, 20])
        #expect(
            result.stderr.contains(
                "Examples/broken-lines/trace.jsonl:19: warning: field \"usage.input_tokens\" of span \"a-answer\" dropped"
            ))
        #expect(result.stderr.contains("Examples/broken-lines/trace.jsonl:21: warning: "))
        #expect(result.stderr.contains("rendered 2 runs"))
        let files = try tree(out)
        #expect(
            Set(files.keys) == [
                "index.html", "runs/broken-demo-ok-1.html", "runs/broken-demo-ok-2.html", "runs.jsonl", "summary.json",
            ])
        let page = String(decoding: files["runs/broken-demo-ok-1.html"]!, as: UTF8.self)
        #expect(page.contains("data-span-id=\"a-tool\""))
        #expect(page.contains("Lisbon"))
    }

    @Test("The report itself counts skipped lines, names the lost run and flags a dropped field")
    func problemsInReport() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "Examples/broken-lines/trace.jsonl", "-o", out.path])
        #expect(result.status == 0)
        let files = try tree(out)
        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        let section = try #require(
            index.range(of: "<section class=\"problems\" data-problems").map { String(index[$0.lowerBound...]) })
        #expect(section.contains("data-kind=\"skipped_line\" data-count=\"12\">12 skipped lines</span>"))
        #expect(section.contains("data-lost-run=\"broken-demo-bad\""))
        #expect(
            section.contains("<code class=\"problem-place\">trace.jsonl:6</code>"), "each problem names file and line")
        #expect(!section.contains("Examples/"), "the report names input files by base name only")
        // Fourteen problems are folded.
        #expect(section.contains("<details class=\"problem-list\"><summary>All 14 problems"))

        let summary = try JSONSerialization.jsonObject(with: files["summary.json"]!) as! [String: Any]
        let problems = try #require(summary["problems"] as? [String: Any])
        #expect(problems["skipped_lines"] as? Int == 12)
        #expect(problems["repaired_spans"] as? Int == 1)
        #expect(problems["dropped_fields"] as? Int == 1)
        #expect((problems["items"] as? [Any])?.count == 14)
        let lost = try #require(problems["lost_runs"] as? [[String: Any]])
        #expect(lost.map { $0["trace_id"] as? String } == ["broken-demo-bad"])

        // The span with one bad field is on its page, the field flagged with its raw value.
        let page = String(decoding: files["runs/broken-demo-ok-1.html"]!, as: UTF8.self)
        #expect(page.contains("data-span-id=\"a-answer\""))
        #expect(
            page.contains(
                "<tr data-field=\"usage.input_tokens\"><th>usage.input_tokens</th><td><span class=\"field-warning\">must be a number, found a string</span> <code class=\"raw-value\">&quot;1,200&quot;</code>"
            ))
        #expect(page.contains("<span class=\"repair dropped\""))
        #expect(page.contains("data-run-problems=\"2\""))
        #expect(page.contains("Tomorrow in <strong>Lisbon</strong>"), "the rest of the span is kept")
        let other = String(decoding: files["runs/broken-demo-ok-2.html"]!, as: UTF8.self)
        #expect(!other.contains("data-run-problems"))
    }

    @Test("--strict fails on skipped lines, after writing the report")
    func strict() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "--strict", "Examples/broken-lines/trace.jsonl", "-o", out.path])
        #expect(result.status == 1)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        #expect(try run(["render", "--strict", "Examples/refund-agent/trace.jsonl", "-o", out.path]).status == 0)
    }

    @Test("Usage errors exit with 64")
    func usage() throws {
        #expect(try run(["render"]).status == 64)
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl"]).status == 64)
        #expect(try run(["render", "a", "-o", "x", "--jobs", "0"]).status == 64)
        #expect(try run(["render", "-", "-", "-o", "x"]).status == 64)
        #expect(try run(["frobnicate"]).status == 64)
    }

    @Test("An unreadable input stops before anything is written")
    func missingInput() throws {
        let out = try temporaryDirectory().appendingPathComponent("report")
        let result = try run(["render", "Examples/refund-agent/trace.jsonl", "no/such/file.jsonl", "-o", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such/file.jsonl: error: cannot read: "))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("Input with no readable span exits 1 and writes nothing")
    func nothingToRender() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("bad.jsonl")
        try Data("not json\n{\"trace_id\":1}\n".utf8).write(to: input)
        let out = dir.appendingPathComponent("report")
        let result = try run(["render", input.path, "-o", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.jsonl:1: error: "))
        #expect(result.stderr.contains("bad.jsonl:2: error: \"trace_id\" must be a string, found a number"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("An output path that is a file is an error")
    func outputIsFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let result = try run(["render", "Examples/refund-agent/trace.jsonl", "-o", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("exists and is not a folder"))
    }

    @Test("Standard input is read with -")
    func standardInput() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try Data(contentsOf: root.appendingPathComponent("Examples/refund-agent/trace.jsonl"))
        let result = try run(["render", "-", "-o", out.path], stdin: data)
        #expect(result.status == 0)
        #expect(try tree(out).keys.contains("runs/refund-7c1e2a9b4f.html"))
    }

    @Test("Two processes, lines shuffled across two files, give byte-identical reports")
    func determinism() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let examples = ["refund-agent", "multi-agent-handoff", "eval-set"].map { "Examples/\($0)/trace.jsonl" }
        let first = try run(["render"] + examples + ["-o", dir.appendingPathComponent("a").path, "--jobs", "1"])
        #expect(first.status == 0)

        // Shuffle deterministically, keeping the records of one span in their order (later records
        // of a span override earlier ones by design), and split the lines over two files.
        var lines: [String] = []
        for e in examples {
            lines += try String(contentsOf: root.appendingPathComponent(e), encoding: .utf8).split(separator: "\n").map(
                String.init)
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var keyed = lines.enumerated().map { (i, line) -> (UInt64, Int, String) in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state, i, line)
        }
        keyed.sort { $0.0 < $1.0 }
        var bySpan: [String: [String]] = [:]
        for line in lines {
            let key =
                line.components(separatedBy: "\"span_id\":\"").dropFirst().first?.prefix(while: { $0 != "\"" }) ?? ""
            bySpan[String(key), default: []].append(line)
        }
        var used: [String: Int] = [:]
        let shuffled = keyed.map { entry -> String in
            let key = String(
                entry.2.components(separatedBy: "\"span_id\":\"").dropFirst().first?.prefix(while: { $0 != "\"" }) ?? ""
            )
            let n = used[key, default: 0]
            used[key] = n + 1
            return bySpan[key]![n]
        }
        #expect(shuffled != lines)
        let half = shuffled.count / 2
        let f1 = dir.appendingPathComponent("one.jsonl")
        let f2 = dir.appendingPathComponent("two.jsonl")
        try Data((shuffled[..<half].joined(separator: "\n") + "\n").utf8).write(to: f1)
        try Data((shuffled[half...].joined(separator: "\r\n") + "\r\n").utf8).write(to: f2)
        let second = try run(["render", f1.path, f2.path, "-o", dir.appendingPathComponent("b").path, "--jobs", "2"])
        #expect(second.status == 0)
        let a = try tree(dir.appendingPathComponent("a"))
        let b = try tree(dir.appendingPathComponent("b"))
        #expect(a.keys.sorted() == b.keys.sorted())
        // Problems name the file and line of each record, which moved; everything else is equal.
        for key in a.keys.sorted() {
            #expect(
                withoutProblemPlaces(a[key]) == withoutProblemPlaces(b[key]), "\(key) differs between the two renders")
        }
        #expect(
            a["index.html"].map {
                String(decoding: $0, as: UTF8.self).contains("data-kind=\"repaired_span\" data-count=\"1\"")
            } == true)
    }

    /// A report file with the places and messages of its listed problems removed (the counts stay).
    private func withoutProblemPlaces(_ data: Data?) -> String {
        var s = String(decoding: data ?? Data(), as: UTF8.self)
        for (open, close) in [("<li class=\"problem\"", "</li>"), ("\"items\": [", "]\n  }")] {
            while let a = s.range(of: open), let b = s.range(of: close, range: a.upperBound..<s.endIndex) {
                s.removeSubrange(a.lowerBound..<b.upperBound)
            }
        }
        return s
    }

    @Test("Re-rendering replaces pages and removes stale run pages, leaving no temporary files")
    func rerender() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(["render", "Examples/eval-set/trace.jsonl", "-o", out.path]).status == 0)
        #expect(try tree(out).count == 10)
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path]).status == 0)
        #expect(Set(try tree(out).keys) == ["index.html", "runs/refund-7c1e2a9b4f.html", "runs.jsonl", "summary.json"])
    }
}
