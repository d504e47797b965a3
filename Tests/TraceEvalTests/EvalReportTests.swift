import Foundation
import Testing
import TraceJSON
import TraceModel

@testable import TraceEval

#if canImport(FoundationXML)
    import FoundationXML
#endif

private func run(
    _ id: String, case caseID: String? = nil, status: String = "ok", _ scores: [String: Double], labels: [String] = [],
    release: String? = nil, ms: Int64 = 1000
) -> EvalRun {
    var metadata = JSONObject()
    if let caseID { metadata.members.append(("case_id", .string(caseID))) }
    if let release { metadata.members.append(("release", .string(release))) }
    return EvalRun(
        traceID: id,
        name: "agent",
        status: status,
        durationNanos: ms * 1_000_000,
        scores: scores.keys.sorted().map { Score(name: $0, value: scores[$0]!) },
        labels: labels,
        metadata: metadata,
        firstError: status == "error" ? "tool: TimeoutError: slow" : nil,
        page: "runs/\(id).html"
    )
}

@Suite("Eval report")
struct EvalReportTests {
    @Test("Score statistics, pass rate against the threshold, p50/p95")
    func statistics() {
        let runs = [
            run("a", ["acc": 1]), run("b", ["acc": 0.4], ms: 3000), run("c", ["acc": 0.7, "f": 0.9], ms: 2000),
        ]
        let report = EvalReport(runs: runs, options: EvalOptions(thresholds: ["acc": 0.6]))
        #expect(report.scoreNames == ["acc", "f"])
        let acc = report.scores[0]
        #expect(acc.count == 3)
        #expect(abs(acc.mean - 0.7) < 1e-9)
        #expect(acc.min == 0.4)
        #expect(acc.passed == 2)
        #expect(acc.threshold == 0.6)
        #expect(report.scores[1].threshold == 0.5, "0–1 scores default to 0.5")
        #expect(report.p50Nanos == 2_000_000_000)
        #expect(report.p95Nanos == 3_000_000_000)
        #expect(report.failures(of: runs[1]) == ["acc 0.4 is below 0.6"])
    }

    @Test("Runs match the baseline on a metadata key; deltas, new and missing cases")
    func baseline() {
        let old = [
            run("old-1", case: "q1", ["acc": 1]), run("old-2", case: "q2", ["acc": 1]),
            run("old-3", case: "q3", ["acc": 0.5]),
        ]
        let new = [
            run("new-1", case: "q1", ["acc": 1]), run("new-2", case: "q2", ["acc": 0.25]),
            run("new-4", case: "q4", ["acc": 1]),
        ]
        let report = EvalReport(
            runs: new, baseline: old,
            options: EvalOptions(matchOn: "metadata.case_id", gates: [.failOnRegression(score: "acc", tolerance: 0.1)]))
        #expect(report.comparisons.map { $0.baseline?.traceID } == ["old-1", "old-2", nil])
        #expect(report.comparisons[1].delta("acc") == -0.75)
        #expect(report.missing.map(\.traceID) == ["old-3"])
        #expect(report.gates.count == 1)
        #expect(!report.gates[0].passed)
        #expect(report.gates[0].detail == "1 run regressed on acc: agent [new-2] 1 → 0.25")
        let byTrace = EvalReport(runs: new, baseline: old)
        #expect(byTrace.comparisons.allSatisfy { $0.baseline == nil })
    }

    @Test("Gates: fail-under on the mean, fail-on-error, tolerance")
    func gates() {
        let runs = [run("a", ["acc": 0.9]), run("b", status: "error", ["acc": 0.5])]
        let report = EvalReport(
            runs: runs,
            options: EvalOptions(gates: [
                .failUnder(score: "acc", minimum: 0.7), .failUnder(score: "acc", minimum: 0.8), .failOnError,
            ]))
        #expect(report.gates.map(\.passed) == [true, false, false])
        #expect(report.gates[1].detail == "mean acc is 0.7 over 2 runs (minimum 0.8)")
        #expect(report.gates[2].detail == "1 run failed: agent [b]: tool: TimeoutError: slow")
        #expect(!report.gatesPassed)
        #expect(Gate.failUnder(parsing: "acc=0.8") == .failUnder(score: "acc", minimum: 0.8))
        #expect(Gate.failUnder(parsing: "acc") == nil)
        #expect(Gate.failUnder(parsing: "acc=high") == nil)
        #expect(Gate.failOnRegression(parsing: "acc") == .failOnRegression(score: "acc", tolerance: 0))
        #expect(Gate.failOnRegression(parsing: "acc=0.05") == .failOnRegression(score: "acc", tolerance: 0.05))
        #expect(Gate.failOnRegression(parsing: "acc=-1") == nil)
    }

    @Test("Facets group runs by label and metadata, with counts, error rate and means")
    func facets() {
        let runs = [
            run("a", status: "error", ["acc": 0], labels: ["stale"], release: "r1"),
            run("b", ["acc": 1], release: "r2"),
            run("c", ["acc": 0.5], labels: ["stale"], release: "r2"),
        ]
        let report = EvalReport(runs: runs, options: EvalOptions(facets: ["release"]))
        #expect(report.facets.map(\.facet) == ["label", "release"])
        #expect(report.facets[0].groups == [FacetGroup(value: "stale", runs: 2, errors: 1, means: [0.25])])
        #expect(report.facets[1].groups.map(\.value) == ["r1", "r2"])
        #expect(report.facets[1].groups[1].means == [0.75])
    }
}

@Suite("Eval outputs")
struct EvalOutputTests {
    let report = EvalReport(
        runs: [run("a", ["acc": 1]), run("b<&>", status: "error", ["acc": 0.2])],
        options: EvalOptions(gates: [.failUnder(score: "acc", minimum: 0.9)])
    )

    @Test("JUnit XML: one test case per run, failures name scores and the first error")
    func junit() throws {
        let xml = String(decoding: JUnitReport.write(report, title: "nightly"), as: UTF8.self)
        let document = try XMLDocument(xmlString: xml)
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 2)
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 1)
        let message = (failures[0] as? XMLElement)?.attribute(forName: "message")?.stringValue ?? ""
        #expect(message.contains("run failed: tool: TimeoutError: slow"))
        #expect(message.contains("acc 0.2 is below 0.9"))
        #expect((try document.nodes(forXPath: "//testsuite/@tests").first?.stringValue) == "2")
        #expect(xml.contains("b&lt;&amp;&gt;"))
    }

    @Test("Markdown summary: score table, gates, worst runs linked into the report")
    func markdown() {
        let md = MarkdownSummary.write(report, title: "Nightly | evals", reportPath: "report")
        #expect(md.hasPrefix("## Nightly \\| evals\n"))
        #expect(md.contains("| acc | 0.6 | 0.2 | 2 | 50% (≥ 0.9) |"))
        #expect(md.contains("- **FAIL** `--fail-under acc=0.9`: mean acc is 0.6 over 2 runs (minimum 0.9)"))
        #expect(
            md.contains(
                "### Runs to look at\n\n- agent `b<&>`: run failed: tool: TimeoutError: slow; acc 0.2 is below 0.9\n"),
            "a page name that is not a plain path is not linked")
        #expect(!md.contains("(report/runs/a.html)"), "a passing run is not listed")
    }

    @Test("Markdown summary: text from a trace cannot add links, images or markup; links go only to the report's pages")
    func markdownHostile() {
        let hostile =
            "Report](https://evil.example/phish) ![x](https://evil.example/p.png) <img src=x> *b* www.evil.example a@evil.example &amp; | x\n## forged"
        var bad = run("bad", status: "error", ["acc\u{1b}[31m": 0.1])
        bad.name = hostile
        bad.firstError = hostile
        var escaping = run("../../x", status: "error", ["acc\u{1b}[31m": 0.1])
        escaping.page = "https://evil.example/x.html"
        let report = EvalReport(runs: [bad, escaping], options: EvalOptions(gates: [.failOnError]))
        let md = MarkdownSummary.write(report, title: "t", reportPath: "my report (ci)")
        // Every link target in the summary is a report page.
        var targets: [Substring] = []
        var rest = md[...]
        while let r = rest.range(of: "](") {
            let after = rest[r.upperBound...]
            if rest[..<r.lowerBound].last != "\\" { targets.append(after.prefix { $0 != ")" }) }
            rest = after
        }
        #expect(targets == ["my%20report%20%28ci%29/runs/bad.html"], "\(targets)")
        #expect(!md.contains("!["))
        #expect(!md.contains("<img"))
        #expect(!md.contains("https://"))
        #expect(!md.contains("www."))
        #expect(!md.contains("a@"))
        #expect(md.contains("&amp;amp;"), "an entity in the text is shown as written")
        #expect(!md.contains("\u{1b}"))
        #expect(!md.contains("\n## forged"))
        #expect(
            md.contains(
                "- [Report\\](https\\://evil.example/phish) \\!\\[x\\](https\\://evil.example/p.png) &lt;img src=x&gt; \\*b\\* www\\.evil.example a\\@evil.example &amp;amp; \\| x \\#\\# forged](my%20report%20%28ci%29/runs/bad.html)"
            ), "\(md)")
    }

    @Test("summary.json round-trips as a baseline")
    func summaryRoundTrip() throws {
        let bytes = SummaryJSON.write(report, title: "t")
        let value = try #require(JSONStreamParser.parse(bytes).records.first?.value)
        #expect(SummaryJSON.isSummary(value))
        let (runs, problems) = SummaryJSON.runs(from: value, file: "summary.json")
        #expect(problems.isEmpty)
        #expect(runs.map(\.traceID) == ["a", "b<&>"])
        #expect(runs.map { $0.score("acc") } == [1, 0.2])
        #expect(runs[1].status == "error")
        #expect(runs[1].page == "runs/b<&>.html")
        #expect(SummaryJSON.write(report, title: "t") == bytes, "deterministic")
    }

    @Test("Scores files: good lines become run scores, bad lines are errors naming the line")
    func scoresFile() {
        let text = """
            {"trace_id":"a","name":"judge","value":0.5,"comment":"ok"}
            {"trace_id":"a","name":"judge2","value":"high"}
            not json
            {"name":"x","value":1}
            {"trace_id":"b","name":"pass","value":true}
            """
        let (infos, problems) = ScoresFile.read(Array(text.utf8), file: "s.jsonl")
        #expect(infos.map(\.traceID) == ["a", "b"])
        #expect(
            infos[0].scores == [Score(name: "judge", value: 0.5, text: "0.5", origin: "scores file", comment: "ok")])
        #expect(infos[1].scores.first?.value == 1)
        #expect(problems.map(\.location.line) == [2, 3, 4])
        #expect(problems.map(\.description).first == "s.jsonl:2: error: \"value\" of score \"judge2\" must be a number")
    }
}

@Suite("Many score names and labels")
struct ManyScoresTests {
    @Test("A run low on many scores has a signature naming five and counting the rest")
    func boundedSignature() {
        let scores = Dictionary(uniqueKeysWithValues: (0..<12).map { ("s\($0)", 0.1) })
        let low = run("a", scores)
        let report = EvalReport(runs: [low, run("b", scores.mapValues { _ in 0.9 })])
        let signature = FailureGroups.scoreSignature(low.scores, eval: report)
        #expect(signature?.hasSuffix(", and 7 more scores below their thresholds") == true, "\(signature ?? "nil")")
        #expect(signature?.components(separatedBy: "below 0.5").count == 6)
        let few = FailureGroups.scoreSignature([Score(name: "s0", value: 0.1)], eval: report)
        #expect(few == "score s0 below 0.5")
    }

    @Test("Label facets average each score column over the runs with that label")
    func labelFacetMeans() {
        let runs = [
            run("a", ["acc": 0.2, "f": 1], labels: ["x", "y"]), run("b", ["acc": 0.6], labels: ["y"]),
            run("c", ["acc": 1.0], labels: []),
        ]
        let report = EvalReport(runs: runs)
        let table = report.facets.first { $0.facet == "label" }
        #expect(table?.groups.map(\.value) == ["x", "y"])
        #expect(table?.groups.map(\.runs) == [1, 2])
        let acc = report.facetScoreNames.firstIndex(of: "acc")!
        #expect(table?.groups[1].means[acc] == 0.4)
        #expect(table?.groups[0].means[acc] == 0.2)
    }
}
