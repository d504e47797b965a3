import Foundation
import Testing
import TraceJSON

/// What CI consumers read from renders of files in the shape today's releases write.
@Suite("current releases on the command line", .serialized)
struct ReleaseShapesCLITests {
    static let fixtures = "Tests/TraceFormatsTests/Fixtures"

    /// The `runs` of the summary.json a render of `arguments` wrote, by trace id.
    static func summaryRuns(_ out: URL) throws -> [String: JSONValue] {
        let data = [UInt8](try Data(contentsOf: out.appendingPathComponent("summary.json")))
        let summary = try #require(JSONStreamParser.parse(data).records.first?.value)
        var runs: [String: JSONValue] = [:]
        for run in summary["runs"]?.arrayValue ?? [] {
            if let id = run["trace_id"]?.stringValue { runs[id] = run }
        }
        return runs
    }

    @Test("an openai-agents 0.24 run whose Runner.run raised is an error in summary.json, and --fail-on-error exits 2")
    func openAIAgentsRaised() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "render", "\(Self.fixtures)/openai-agents/runner-raised.jsonl", "-o", out.path, "--fail-on-error",
        ])
        #expect(result.status == 2, "\(result.stderr)")
        let runs = try Self.summaryRuns(out)
        #expect(runs["trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61"]?["status"] == .string("error"))
        #expect(
            runs["trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61"]?["first_error"]?.stringValue?.contains(
                "payments service unavailable") == true)
        #expect(runs["trace_6a1d3b0f9c8e4f72b4d2a31e0f9c8b72"]?["status"] == .string("ok"))
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("1 failed"), "the index counts the failed run")
    }

    @Test(
        "summary.json gives each run's tokens as the index shows them: a strands run's equal the sum of its model calls"
    )
    func summaryTokens() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "render", "\(Self.fixtures)/strands/refund-default-conventions.otlp.json", "-o", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let strands = try #require(try Self.summaryRuns(out)["6c1f0e2d9b8a47c3a2e1f0d9c8b7a6e5"])
        // The two chat spans: 120 + 40 and 140 + 50; invoke_agent's 350 is their total, not added.
        #expect(
            strands["tokens"]
                == .object(
                    JSONObject([
                        ("input", .number(JSONNumber(260))), ("output", .number(JSONNumber(90))),
                        ("total", .number(JSONNumber(350))),
                    ])))
        #expect(strands["cost"] == .null)
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("350 tokens"))
    }

    @Test("summary.json carries the cost the index shows, and reads tokens and cost back as a baseline")
    func summaryCost() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let trace = out.appendingPathComponent("trace.jsonl")
        let line =
            #"{"trace_id":"c1","span_id":"s1","name":"call","kind":"llm","start_time":"2026-11-30T10:00:00Z","end_time":"2026-11-30T10:00:01Z","usage":{"input_tokens":10,"output_tokens":5,"cost":0.0025}}"#
        try Data((line + "\n").utf8).write(to: trace)
        let report = out.appendingPathComponent("report")
        let result = try run(["render", trace.path, "-o", report.path])
        #expect(result.status == 0, "\(result.stderr)")
        let runs = try Self.summaryRuns(report)
        #expect(runs["c1"]?["tokens"]?["total"] == .number(JSONNumber(15)))
        #expect(runs["c1"]?["cost"]?.numberValue?.double == 0.0025)
        let again = out.appendingPathComponent("again")
        let second = try run([
            "render", trace.path, "--baseline", report.appendingPathComponent("summary.json").path, "-o", again.path,
        ])
        #expect(second.status == 0, "\(second.stderr)")
    }

    @Test("extract gives a strands run's final answer as actual_output")
    func strandsExtract() throws {
        let result = try run([
            "extract", "\(Self.fixtures)/strands/refund-default-conventions.otlp.json", "--run",
            "6c1f0e2d9b8a47c3a2e1f0d9c8b7a6e5",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let row = try #require(JSONStreamParser.parse(Array(result.stdout.utf8)).records.first?.value)
        #expect(row["actual_output"] == .string("Yes: A-1042 arrived damaged, so it is refunded in full."))
        #expect(row["input"]?["messages"]?.arrayValue?[1]["content"] == .string("Refund A-1042?"))
    }

    @Test("--scores reads a Langfuse score batch as posted to /api/public/scores")
    func langfuseScoresFile() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "render", "\(Self.fixtures)/langfuse/refund-check.otlp.json", "--scores",
            "\(Self.fixtures)/langfuse/scores-batch.json", "-o", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let langfuse = try #require(try Self.summaryRuns(out)["9cb2844f895051de59139594b7df144f"])
        #expect(langfuse["name"] == .string("refund-check"))
        #expect(langfuse["scores"]?["correctness"]?.numberValue?.double == 1)
        #expect(langfuse["scores"]?["helpfulness"]?.numberValue?.double == 0.8)
        #expect(langfuse["labels"] == .array([.string("refunds"), .string("canary")]))
    }

    @Test("a LangSmith multipart body renders, with its failed run failed; a damaged one is refused with exit 1")
    func langSmithMultipart() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let good = try run([
            "render", "\(Self.fixtures)/langsmith/runs-multipart.body", "-o", out.appendingPathComponent("good").path,
            "--fail-on-error",
        ])
        #expect(good.status == 2, "\(good.stderr)")
        let runs = try Self.summaryRuns(out.appendingPathComponent("good"))
        #expect(runs["01a23ae6-bddc-70fe-99c1-cfd6735c26c2"]?["status"] == .string("error"))
        let body = try Data(contentsOf: root.appendingPathComponent("\(Self.fixtures)/langsmith/runs-multipart.body"))
        let damaged = out.appendingPathComponent("damaged.body")
        try body.prefix(body.count / 2).write(to: damaged)
        let bad = try run(["render", damaged.path, "-o", out.appendingPathComponent("bad").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("the body is not rendered"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("bad").path))
    }
}
