import Foundation
import Testing
import TraceEval
import TraceHTML
import TraceJSON
import TraceModel
import TraceReportCore

/// The commands are thin: what `render`, `diff` and `extract` write is what the library's
/// actions give back for the same inputs and options.
@Suite("library actions: the commands' work as values", .serialized)
struct ActionsTests {
    /// The input at `path` in the repository, named as the command names it.
    static func input(_ path: String) throws -> TraceInput {
        TraceInput(name: path, bytes: [UInt8](try Data(contentsOf: root.appendingPathComponent(path))))
    }

    @Test("RenderAction gives every file `render` writes, byte for byte, eval options included")
    func renderSameAsCommand() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let cli = try run([
            "render", "Examples/eval-ci/candidate.jsonl", "--scores", "Examples/eval-ci/judge-scores.ndjson",
            "--baseline", "Examples/eval-ci/baseline.jsonl", "--fail-under", "accuracy=0.1", "--match-on",
            "metadata.case_id", "--title", "Nightly",
            "--jobs", "2", "-o", out.path,
        ])
        #expect(cli.status == 0, "\(cli.stderr)")
        let written = try tree(out)

        var action = RenderAction(
            pipeline: Pipeline(jobs: 1), report: ReportOptions(title: "Nightly", parallelism: 1))
        action.scores = [
            (
                "Examples/eval-ci/judge-scores.ndjson",
                [UInt8](try Data(contentsOf: root.appendingPathComponent("Examples/eval-ci/judge-scores.ndjson")))
            )
        ]
        action.baseline = [try Self.input("Examples/eval-ci/baseline.jsonl")]
        action.eval = EvalOptions(
            matchOn: "metadata.case_id", gates: [try #require(Gate.failUnder(parsing: "accuracy=0.1"))])
        let prepared = try action.prepare([try Self.input("Examples/eval-ci/candidate.jsonl")])
        var files: [String: Data] = [:]
        try prepared.write { files[$0.relativePath] = Data($0.contents) }

        #expect(files.count > 5)
        #expect(files.keys.sorted() == written.keys.sorted())
        for (path, bytes) in files where written[path] != bytes {
            Issue.record("\(path) differs from what render wrote")
        }
        #expect(prepared.evalReport.gates.count == 1)
        #expect(prepared.runs.count == prepared.evalReport.runs.count)
    }

    @Test("RenderAction fails before writing when a gate names a score no run has")
    func renderFailsFirst() throws {
        var action = RenderAction(pipeline: Pipeline(), report: ReportOptions())
        action.eval = EvalOptions(gates: [try #require(Gate.failUnder(parsing: "nosuch=0.5"))])
        let input = try Self.input("Examples/refund-agent/trace.jsonl")
        do throws(RenderAction.Failure) {
            _ = try action.prepare([input])
            Issue.record("prepare did not fail")
        } catch {
            #expect(error.message.contains("names score 'nosuch', which no run has"))
            #expect(error.message.hasSuffix("nothing was written"))
        }
    }

    @Test("RenderAction keeps a scores file's bad lines as diagnostics of its failure")
    func badScoresFile() throws {
        var action = RenderAction(pipeline: Pipeline(), report: ReportOptions())
        action.scores = [("scores.jsonl", Array("{\"trace_id\": \"x\"}\nnot json\n".utf8))]
        let input = try Self.input("Examples/refund-agent/trace.jsonl")
        do throws(RenderAction.Failure) {
            _ = try action.prepare([input])
            Issue.record("prepare did not fail")
        } catch {
            #expect(!error.diagnostics.isEmpty)
            #expect(error.diagnostics.allSatisfy { $0.location.file == "scores.jsonl" })
            #expect(error.message.contains("the scores file scores.jsonl has"))
        }
    }

    @Test("DiffAction gives the pages `diff` writes")
    func diffSameAsCommand() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let old = "Examples/eval-ci/baseline.jsonl"
        let new = "Examples/eval-ci/candidate.jsonl"
        let cli = try run(["diff", old, new, "--match-on", "metadata.case_id", "-o", out.path])
        #expect(cli.status == 0, "\(cli.stderr)")
        var action = DiffAction(pipeline: Pipeline(), title: "Run diffs")
        action.matchOn = "metadata.case_id"
        let result = try action.run(old: try Self.input(old), new: try Self.input(new))
        let written = try tree(out)
        #expect(result.pairs > 1)
        #expect(result.files.map(\.relativePath).sorted() == written.keys.sorted())
        for file in result.files where written[file.relativePath] != Data(file.contents) {
            Issue.record("\(file.relativePath) differs from what diff wrote")
        }
        #expect(cli.stderr.contains("differs in \(result.differing)"))
    }

    @Test("ExtractAction gives the line `extract` prints; a redacted span id still finds its span")
    func extractSameAsCommand() throws {
        let path = "Examples/refund-agent/trace.jsonl"
        let cli = try run(["extract", path, "--run", "refund-7c1e2a9b4f", "--label", "refund"])
        #expect(cli.status == 0, "\(cli.stderr)")
        var action = ExtractAction(pipeline: Pipeline(), runID: "refund-7c1e2a9b4f")
        action.labels = ["refund"]
        let made = try action.run([try Self.input(path)])
        #expect(made.eval.line == cli.stdout)

        // An id that a redaction rule rewrites: the span is found under its placeholder.
        var redacting = ExtractAction(pipeline: Pipeline(), runID: "r1")
        redacting.spanID = "sp-ann@example.com"
        redacting.redactor = try Redactor(options: RedactionOptions())
        let line =
            #"{"trace_id":"r1","span_id":"sp-ann@example.com","name":"lookup","kind":"tool","start_time":"2025-06-14T09:21:03Z","end_time":"2025-06-14T09:21:04Z","input":{"q":"x"},"output":"ok"}"#
        let redacted = try redacting.run([TraceInput(name: "mail.jsonl", bytes: Array(line.utf8))])
        #expect(!redacted.eval.line.contains("ann@example.com"))
        #expect(redacted.eval.line.contains(#""span_name":"lookup""#))
    }
}
