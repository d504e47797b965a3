import Foundation
import Testing
import TraceEval

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Evals in CI", .serialized)
struct EvalCLITests {
    let loop = "Examples/eval-ci"

    func gated(_ traces: String, _ out: URL, extra: [String] = []) throws -> Execution {
        try run(
            [
                "render", "\(loop)/\(traces)", "--baseline", "\(loop)/baseline.jsonl", "--match-on", "metadata.case_id",
                "--fail-on-regression", "accuracy", "--fail-under", "accuracy=0.6",
                "--junit", out.appendingPathComponent("junit.xml").path, "--summary",
                out.appendingPathComponent("summary.md").path,
                "-o", out.appendingPathComponent("report").path,
            ] + extra
        )
    }

    @Test("The regression gate fails on the candidate, naming the score and runs, after writing everything")
    func regression() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try gated("candidate.jsonl", out)
        #expect(result.status == 2)
        let gateLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("trace-report: gate failed: ") }
        #expect(
            gateLines == [
                "trace-report: gate failed: --fail-under accuracy=0.6: mean accuracy is 0.4571 over 7 runs (minimum 0.6)",
                "trace-report: gate failed: --fail-on-regression accuracy=0: 2 runs regressed on accuracy: docs-qa-agent [eval-docsqa-candidate-002] 1 → 0; docs-qa-agent [eval-docsqa-candidate-005] 1 → 0.4",
            ])
        let files = try tree(out.appendingPathComponent("report"))
        #expect(files.keys.filter { $0.hasPrefix("runs/") }.count == 7)
        #expect(files["summary.json"] != nil)
        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(
            index.contains(
                "<li class=\"gate gate-fail\"><strong>FAIL</strong> <code>--fail-on-regression accuracy=0</code>"))
        #expect(index.contains("data-regressed=\"true\""))
        #expect(index.contains("<span class=\"delta delta-down\" title=\"baseline 1\">-1</span>"))

        // JUnit: an XML parser reads it; one test case per run.
        let xml = try XMLDocument(data: Data(contentsOf: out.appendingPathComponent("junit.xml")))
        #expect(try xml.nodes(forXPath: "//testcase").count == 7)
        #expect(try xml.nodes(forXPath: "//testcase/failure").count >= 2)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("- **FAIL** `--fail-on-regression accuracy=0`"))
        #expect(summary.contains("(report/runs/eval-docsqa-candidate-002.html)"))
    }

    @Test("The example's JUnit and summary files are what the documented command writes")
    func exampleOutputs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = dir.appendingPathComponent("expected")
        let result = try run([
            "render", "\(loop)/candidate.jsonl", "--scores", "\(loop)/judge-scores.ndjson",
            "--baseline", "\(loop)/baseline.jsonl", "--match-on", "metadata.case_id",
            "--fail-on-regression", "accuracy", "--fail-under", "accuracy=0.6",
            "--facet", "release", "--facet", "metadata.user_tier", "--title", "Docs QA evals: 2025.09-rc1",
            "--junit", expected.appendingPathComponent("junit.xml").path, "--summary",
            expected.appendingPathComponent("summary.md").path,
            "-o", expected.appendingPathComponent("report").path,
        ])
        #expect(result.status == 2)
        for name in ["junit.xml", "summary.md"] {
            let committed = try Data(contentsOf: root.appendingPathComponent("\(loop)/expected/\(name)"))
            let written = try Data(contentsOf: expected.appendingPathComponent(name))
            #expect(
                committed == written,
                "Examples/eval-ci/expected/\(name) is out of date: run the command in Examples/eval-ci/README.md")
        }
    }

    @Test("With the fix the same gates pass")
    func fixed() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try gated("fixed.jsonl", out)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("gate failed"))
    }

    @Test("A previous report's summary.json works as the baseline")
    func summaryBaseline() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(
            try run(["render", "\(loop)/baseline.jsonl", "-o", out.appendingPathComponent("base").path]).status == 0)
        let result = try run([
            "render", "\(loop)/candidate.jsonl", "--baseline", out.appendingPathComponent("base/summary.json").path,
            "--match-on", "metadata.case_id", "--fail-on-regression", "accuracy=0.7", "-o",
            out.appendingPathComponent("cand").path,
        ])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("1 run regressed on accuracy: docs-qa-agent [eval-docsqa-candidate-002] 1 → 0\n"),
            "only qa-002 lost more than 0.7")
    }

    @Test("Judge scores from a scores file join the runs; facets group them")
    func scoresAndFacets() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "render", "\(loop)/candidate.jsonl", "--scores", "\(loop)/judge-scores.ndjson", "--facet", "release",
            "--facet", "metadata.user_tier", "-o", out.path,
        ])
        #expect(result.status == 0)
        let index = String(decoding: try Data(contentsOf: out.appendingPathComponent("index.html")), as: UTF8.self)
        #expect(index.contains("data-key=\"score:judge_helpfulness\""))
        #expect(index.contains("<section class=\"facet\" data-facet=\"release\">"))
        #expect(index.contains("<section class=\"facet\" data-facet=\"metadata.user_tier\">"))
        #expect(index.contains("<section class=\"facet\" data-facet=\"label\">"))
        #expect(index.contains("<th>stale docs retrieval</th><td>2</td>"))
    }

    @Test(
        "Bad eval input stops with a clear message and writes nothing",
        arguments: [
            (["--fail-under", "acuracy=0.5"], "names score 'acuracy', which no run has"),
            (
                ["--scores", "Examples/broken-lines/trace.jsonl"],
                "the scores file Examples/broken-lines/trace.jsonl has 20 bad lines; nothing was written"
            ),
            (
                ["--baseline", "Examples/refund-agent/trace.jsonl", "--match-on", "metadata.case_id"],
                "no run matches a baseline run on metadata.case_id"
            ),
        ])
    func badEvalInput(extra: [String], message: String) throws {
        let out = try temporaryDirectory().appendingPathComponent("report")
        let result = try run(["render", "\(loop)/candidate.jsonl", "-o", out.path] + extra)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("A malformed scores file line is reported as FILE:LINE")
    func malformedScores() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scores = dir.appendingPathComponent("scores.jsonl")
        try Data(
            "{\"trace_id\":\"eval-docsqa-candidate-001\",\"name\":\"j\",\"value\":1}\n{\"trace_id\":\"x\",\"name\":\"j\",\"value\":\"high\"}\n"
                .utf8
        ).write(to: scores)
        let result = try run([
            "render", "\(loop)/candidate.jsonl", "--scores", scores.path, "-o", dir.appendingPathComponent("r").path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("scores.jsonl:2: error: \"value\" of score \"j\" must be a number"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path))
    }

    @Test("--fail-on-regression needs --baseline")
    func regressionNeedsBaseline() throws {
        #expect(
            try run(["render", "\(loop)/candidate.jsonl", "--fail-on-regression", "accuracy", "-o", "x"]).status == 64)
    }

    @Test("The Markdown summary goes to $GITHUB_STEP_SUMMARY when no --summary is given")
    func stepSummary() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let step = dir.appendingPathComponent("step.md")
        try Data("earlier step\n".utf8).write(to: step)
        let result = try run(
            ["render", "\(loop)/fixed.jsonl", "-o", dir.appendingPathComponent("r").path],
            environment: ["GITHUB_STEP_SUMMARY": step.path])
        #expect(result.status == 0)
        let text = try String(contentsOf: step, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n## Trace report\n"))
        #expect(text.contains("| accuracy |"))
    }

    @Test("extract writes a row that round-trips through the dataset reader")
    func extract() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let printed = try run([
            "extract", "Examples/refund-agent/trace.jsonl", "--run", "refund-7c1e2a9b4f", "--label",
            "stale policy retrieval", "--expected", "Yes: the window is 30 days.",
        ])
        #expect(printed.status == 0)
        let (cases, problems) = EvalCase.read(Array(printed.stdout.utf8), file: "stdout")
        #expect(problems.isEmpty)
        let row = try #require(cases.first)
        #expect(cases.count == 1)
        #expect(row.id == "refund-7c1e2a9b4f")
        #expect(row.labels.contains("stale policy retrieval"))
        #expect(row.expectedOutput == .string("Yes: the window is 30 days."))
        #expect(row.source.file == "Examples/refund-agent/trace.jsonl")
        #expect(row.line == printed.stdout, "writing the read row gives the same line")

        let dataset = dir.appendingPathComponent("dataset.jsonl")
        for _ in 0..<2 {
            #expect(
                try run([
                    "extract", "Examples/refund-agent/trace.jsonl", "--run", "refund-7c1e2a9b4f", "--label", "x", "-o",
                    dataset.path,
                ]).status == 0)
        }
        #expect(EvalCase.read([UInt8](try Data(contentsOf: dataset)), file: "d").cases.count == 2)
        let missing = try run(["extract", "Examples/refund-agent/trace.jsonl", "--run", "nope", "--label", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no run \"nope\""))
        #expect(
            try run(["extract", "Examples/refund-agent/trace.jsonl", "--run", "refund-7c1e2a9b4f", "--span", "nope"])
                .status == 1)
    }

    @Test("Run pages carry the eval case row as text")
    func pageRow() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(["render", "Examples/refund-agent/trace.jsonl", "-o", out.path]).status == 0)
        let page = String(
            decoding: try Data(contentsOf: out.appendingPathComponent("runs/refund-7c1e2a9b4f.html")), as: UTF8.self)
        #expect(
            page.contains(
                "<pre class=\"json eval-case-json\" id=\"eval-case-json\">{&quot;id&quot;:&quot;refund-7c1e2a9b4f&quot;"
            ))
    }
}
