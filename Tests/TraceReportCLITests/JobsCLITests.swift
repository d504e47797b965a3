import Foundation
import Testing

/// `--jobs` bounds every stage, and the report does not depend on it.
@Suite("trace-report --jobs", .serialized)
struct JobsCLITests {
    /// A native trace of `runs` agent-shaped runs, big enough (over 2 MiB) for the decoder to cut
    /// it into pieces, with Markdown and plain messages, repeated chat history and some errors.
    static func multiRunTrace(runs: Int) -> String {
        var out = ""
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let words = [
            "refund", "order", "**policy**", "`code`", "café", "検索", "<b>", "&amp;", "[link](https://example.com)",
            "line\\nbreak", "- item", "# head", "plain", "text", "the", "customer",
        ]
        func sentence(_ n: Int) -> String { (0..<n).map { _ in words[next(words.count)] }.joined(separator: " ") }
        /// Milliseconds as Unix seconds with a fraction.
        func time(_ ms: Int) -> String { "\(ms / 1000).\(String(1000 + ms % 1000).dropFirst())" }
        for r in 0..<runs {
            let trace = "run-\(r)"
            var history: [String] = ["{\"role\":\"system\",\"content\":\"You are a support agent. \(sentence(30))\"}"]
            let calls = 3 + next(6)
            var t = 1_736_150_400_000 + r * 10_000
            out +=
                "{\"trace_id\":\"\(trace)\",\"span_id\":\"root\",\"parent_id\":null,\"name\":\"agent-\(r % 7)\",\"kind\":\"agent\",\"start_time\":\(time(t)),\"end_time\":\(time(t + 9000)),\"input\":\"\(sentence(20))\",\"output\":\"\(sentence(40))\",\"scores\":{\"quality\":\(Double(next(100)) / 100)}}\n"
            for c in 0..<calls {
                history.append("{\"role\":\"user\",\"content\":\"\(sentence(60 + next(200)))\"}")
                t += 100
                out +=
                    "{\"trace_id\":\"\(trace)\",\"span_id\":\"llm-\(c)\",\"parent_id\":\"root\",\"name\":\"call\",\"kind\":\"llm\",\"model\":\"m\",\"start_time\":\(time(t)),\"end_time\":\(time(t + 50 + next(400))),\"input\":{\"messages\":[\(history.joined(separator: ","))]},\"output\":\"\(sentence(80))\",\"usage\":{\"input_tokens\":\(next(900)),\"output_tokens\":\(next(300))}}\n"
                history.append("{\"role\":\"assistant\",\"content\":\"\(sentence(50))\"}")
                let failed = next(10) == 0
                out +=
                    "{\"trace_id\":\"\(trace)\",\"span_id\":\"tool-\(c)\",\"parent_id\":\"llm-\(c)\",\"name\":\"lookup\",\"kind\":\"tool\",\"start_time\":\(time(t + 10)),\"end_time\":\(time(t + 40)),\"input\":{\"q\":\"\(sentence(5))\"},\"output\":\"\(sentence(30))\"\(failed ? ",\"error\":{\"type\":\"TimeoutError\",\"message\":\"timed out\"}" : "")}\n"
            }
        }
        return out
    }

    @Test("--jobs 1 and --jobs 2 write the same bytes for the examples and a large multi-run file")
    func sameBytes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = dir.appendingPathComponent("many.jsonl")
        let text = Self.multiRunTrace(runs: 400)
        #expect(text.utf8.count > 2 << 20, "the file must be big enough to be cut into pieces")
        try Data(text.utf8).write(to: generated)
        let inputs: [[String]] = [
            ["Examples/refund-agent/trace.jsonl"],
            ["Examples/multi-agent-handoff/trace.jsonl"],
            ["Examples/eval-set/trace.jsonl"],
            ["Examples/broken-lines/trace.jsonl"],
            [
                "Examples/eval-ci/candidate.jsonl", "--scores", "Examples/eval-ci/judge-scores.ndjson", "--baseline",
                "Examples/eval-ci/baseline.jsonl",
                "--match-on", "metadata.case_id", "--fail-under", "accuracy=0.6", "--facet", "release",
            ],
            [generated.path, "--all-pages"],
            [generated.path],
        ]
        for (i, input) in inputs.enumerated() {
            var trees: [[String: Data]] = []
            for jobs in ["1", "2"] {
                let out = dir.appendingPathComponent("out-\(i)-\(jobs)")
                let result = try run(["render"] + input + ["-o", out.path, "--jobs", jobs])
                #expect(result.status == 0 || result.status == 2, "\(input): \(result.stderr)")
                trees.append(try tree(out))
            }
            #expect(!trees[0].isEmpty)
            #expect(trees[0].keys.sorted() == trees[1].keys.sorted(), "\(input)")
            for key in trees[0].keys.sorted() where trees[0][key] != trees[1][key] {
                Issue.record("\(input): \(key) differs between --jobs 1 and --jobs 2")
            }
        }
        #expect(try tree(dir.appendingPathComponent("out-5-1")).keys.filter { $0.hasPrefix("runs/") }.count == 400)
        // Past 200 runs the index carries the pages; only the runs that matter get files.
        #expect(try tree(dir.appendingPathComponent("out-6-1")).keys.filter { $0.hasPrefix("runs/") }.count <= 50)
    }

    @Test("A large file read in pieces gives the same report and diagnostics as reading it whole")
    func piecesSameAsWhole() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Many runs, with broken lines among them, so pieces cut between records and diagnostics
        // fall in later pieces with their file line numbers.
        var lines = Self.multiRunTrace(runs: 60).split(separator: "\n").map(String.init)
        for at in stride(from: 7, to: lines.count, by: 41) {
            lines.insert(#"{"trace_id":"run-3","span_id":"broken","name":"x","start_time":"#, at: at)
        }
        let generated = dir.appendingPathComponent("pieces.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: generated)
        var trees: [[String: Data]] = []
        var errors: [String] = []
        for (i, pieceBytes) in ["", "5000", "70000"].enumerated() {
            let out = dir.appendingPathComponent("out-\(i)")
            let result = try run(
                ["render", generated.path, "Examples/broken-lines/trace.jsonl", "-o", out.path],
                environment: pieceBytes.isEmpty ? [:] : ["TRACE_REPORT_PIECE_BYTES": pieceBytes])
            #expect(result.status == 0, "\(result.stderr)")
            trees.append(try tree(out))
            errors.append(result.stderr.replacingOccurrences(of: out.path, with: "OUT"))
        }
        #expect(errors[0].contains("pieces.jsonl:8: error:"), "a broken line is reported with its line")
        #expect(trees[0].keys.filter { $0.hasPrefix("runs/") }.count == 62)
        for k in 1..<trees.count {
            #expect(errors[k] == errors[0], "diagnostics read in pieces of \(k == 1 ? 5000 : 70000) bytes")
            #expect(trees[k].keys.sorted() == trees[0].keys.sorted())
            for key in trees[0].keys.sorted() where trees[0][key] != trees[k][key] {
                Issue.record("\(key) differs when the input is read in pieces")
            }
        }
    }
}
