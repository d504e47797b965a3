import TraceEval
import TraceModel

/// Renders the index page: one row per run with status, timing, tokens, cost, one column per
/// score, and labels; a summary line above; and the eval reading of the runs: score statistics,
/// gates, baseline deltas, and groups by label and facet.
struct IndexRenderer {
    let runs: [AnalyzedRun]
    let fileStems: [String]
    let title: String
    let eval: EvalReport
    /// What loading skipped, repaired or dropped.
    var problems = ReportProblems()
    /// The recurring failures, when the runs are index rows without spans (a merge of shards).
    var knownFailureGroups: FailureGroups? = nil
    /// Each row's searchable text, parallel to `runs`, when the runs are index rows without spans.
    var knownRowTexts: [RowText]? = nil
    /// The number of runs before selection, when runs were selected.
    var totalRuns: Int? = nil
    /// How the runs were selected, as command-line options.
    var selection: String? = nil
    /// What was redacted; `nil` when the report is not redacted.
    var redaction: RedactionManifest? = nil
    /// The index of the runs' diff pages and how many there are, when `render --baseline` wrote them.
    var diffIndex: (href: String, count: Int)? = nil
    /// The table as data, for a report of many runs; `nil` for a server-rendered table.
    var large: LargeIndex? = nil

    /// The score names with a column: all, or the most common when there are many.
    var scoreNames: [String] {
        EvalReport.columnScoreNames(runs.map { $0.scores.map(\.name) })
    }

    func body(into out: inout HTMLBuffer) {
        let scoreNames = self.scoreNames
        out.raw("<header class=\"index-header\"><h1>")
        out.text(title)
        out.raw("</h1>\n<p class=\"summary\">")
        summary(scoreNames, into: &out)
        out.raw("</p>\n</header>\n<main class=\"index-main\">\n")
        gates(into: &out)
        problemsSection(into: &out)
        scoreTable(into: &out)
        failureGroups(into: &out)
        redactionManifest(into: &out)
        if let diffIndex {
            out.raw("<p class=\"diff-link\"><a")
            out.attribute("href", diffIndex.href)
            out.raw(">Span-by-span diffs against the baseline</a> (")
            out.text(Formatting.count(Int64(diffIndex.count)))
            out.raw(diffIndex.count == 1 ? " run)</p>\n" : " runs)</p>\n")
        }
        out.raw("<div class=\"controls\" hidden></div>\n<table class=\"runs\" id=\"runs\">\n<thead><tr>")
        header("start", "num", "Start", sorted: true, into: &out)
        header("name", "text", "Run", into: &out)
        header("status", "text", "Status", into: &out)
        header("duration", "num", "Duration", into: &out)
        header("spans", "num", "Spans", into: &out)
        header("errors", "num", "Errors", into: &out)
        header("tokens", "num", "Tokens", into: &out)
        header("cost", "num", "Cost", into: &out)
        for name in scoreNames { header("score:" + name, "num", name, into: &out) }
        let columns = Set(scoreNames)
        let hasOther = runs.contains { $0.scores.contains { !columns.contains($0.name) } }
        if hasOther { header("scores:other", "text", "Other scores", into: &out) }
        header("labels", "text", "Labels", into: &out)
        out.raw("</tr></thead>\n<tbody>\n")
        let other = hasOther ? columns : nil
        if let large {
            for i in large.order.prefix(large.noScriptRows) {
                row(at: i, scoreNames: scoreNames, otherThan: other, into: &out)
            }
        } else {
            for i in runs.indices { row(at: i, scoreNames: scoreNames, otherThan: other, into: &out) }
        }
        out.raw("</tbody>\n</table>\n")
        if runs.isEmpty { out.raw("<p class=\"empty\">No runs.</p>\n") }
        if let large { tableData(large, scoreNames: scoreNames, otherThan: other, into: &out) }
        missing(into: &out)
        facets(into: &out)
        out.raw("</main>\n")
    }

    private func summary(_ scoreNames: [String], into out: inout HTMLBuffer) {
        var parts: [String] = []
        if let totalRuns {
            let how = selection.map { $0.isEmpty ? "" : " (" + $0 + ")" } ?? ""
            parts.append(
                Formatting.count(Int64(runs.count)) + " of " + Formatting.count(Int64(totalRuns)) + " runs selected"
                    + how)
        } else {
            parts.append(Formatting.count(Int64(runs.count)) + (runs.count == 1 ? " run" : " runs"))
        }
        let failed = runs.filter { $0.status == .error }.count
        parts.append(Formatting.count(Int64(failed)) + " failed")
        let withErrors = runs.filter { $0.errorCount > 0 }.count
        parts.append(Formatting.count(Int64(withErrors)) + " with span errors")
        let durations = runs.compactMap(\.durationNanos).sorted()
        if !durations.isEmpty {
            parts.append("p50 " + Formatting.duration(Self.percentile(durations, 50)))
            parts.append("p95 " + Formatting.duration(Self.percentile(durations, 95)))
        }
        if runs.contains(where: \.hasTokens) {
            parts.append(Formatting.count(runs.reduce(0) { $0 + $1.totalTokens }) + " tokens")
        }
        if runs.contains(where: \.hasCost) {
            parts.append(Formatting.cost(runs.reduce(0) { $0 + $1.totalCost }) + " total cost")
        }
        for name in scoreNames {
            let values = runs.compactMap { run in run.scores.first(where: { $0.name == name })?.value }
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            parts.append("mean " + name + " " + Formatting.number(mean))
        }
        for (i, part) in parts.enumerated() {
            if i > 0 { out.raw(" · ") }
            out.raw("<span>")
            out.text(part)
            out.raw("</span>")
        }
    }

    static func delta(_ delta: Double, baseline: Double?, into out: inout HTMLBuffer) {
        let cls = delta < -1e-12 ? "delta delta-down" : (delta > 1e-12 ? "delta delta-up" : "delta delta-same")
        out.raw(" <span class=\"")
        out.raw(cls)
        out.raw("\"")
        if let baseline { out.attribute("title", "baseline " + EvalFormatting.number(baseline)) }
        out.raw(">")
        out.text(EvalFormatting.delta(delta))
        out.raw("</span>")
    }

    private func gates(into out: inout HTMLBuffer) {
        guard !eval.gates.isEmpty else { return }
        out.raw("<section class=\"gates\" aria-label=\"Gates\"><h2>Gates</h2><ul>")
        for g in eval.gates {
            out.raw(
                g.passed
                    ? "<li class=\"gate gate-pass\"><strong>PASS</strong> <code>"
                    : "<li class=\"gate gate-fail\"><strong>FAIL</strong> <code>")
            out.text(g.gate.description)
            out.raw("</code> ")
            out.text(g.detail)
            out.raw("</li>")
        }
        out.raw("</ul></section>\n")
    }

    private func scoreTable(into out: inout HTMLBuffer) {
        guard !eval.scores.isEmpty else { return }
        out.raw(
            "<section class=\"score-summary\" aria-label=\"Scores\"><h2>Scores</h2><table class=\"stats\"><thead><tr><th>Score</th><th>Mean</th><th>Min</th><th>Max</th><th>Runs</th><th>Pass rate</th>"
        )
        if eval.hasBaseline { out.raw("<th>Baseline mean</th><th>Change</th>") }
        out.raw("</tr></thead><tbody>")
        for s in eval.scores {
            out.raw("<tr")
            out.attribute("data-score", s.name)
            out.raw("><th>")
            out.text(s.name)
            out.raw("</th><td><span class=\"score-value ")
            out.raw(Formatting.scoreClass(s.mean))
            out.raw("\">")
            out.text(EvalFormatting.number(s.mean))
            out.raw("</span></td><td>")
            out.text(EvalFormatting.number(s.min))
            out.raw("</td><td>")
            out.text(EvalFormatting.number(s.max))
            out.raw("</td><td>")
            out.int(s.count)
            out.raw("</td><td>")
            if let rate = s.passRate, let t = s.threshold {
                out.text(
                    EvalFormatting.percent(rate) + " (" + String(s.passed) + " of " + String(s.count) + " ≥ "
                        + EvalFormatting.number(t) + ")")
            } else {
                out.raw("–")
            }
            out.raw("</td>")
            if eval.hasBaseline {
                out.raw("<td>")
                out.text(s.baselineMean.map(EvalFormatting.number) ?? "–")
                out.raw("</td><td>")
                if let b = s.baselineMean { Self.delta(s.mean - b, baseline: b, into: &out) } else { out.raw("–") }
                out.raw("</td>")
            }
            out.raw("</tr>")
        }
        out.raw("</tbody></table>")
        if eval.hasBaseline {
            let new = eval.comparisons.filter { $0.baseline == nil }.count
            let regressed = eval.comparisons.filter { $0.deltas.contains { $0.delta < -1e-12 } }.count
            let improved = eval.comparisons.filter { $0.deltas.contains { $0.delta > 1e-12 } }.count
            out.raw("<p class=\"baseline-note\">")
            out.text(
                "Compared with the baseline, runs matched on \(eval.matchOn): \(regressed) regressed, \(improved) improved, \(new) new, \(eval.missing.count) missing."
            )
            out.raw("</p>")
        }
        out.raw("</section>\n")
    }

    private func missing(into out: inout HTMLBuffer) {
        guard !eval.missing.isEmpty else { return }
        out.raw("<section class=\"missing\" aria-label=\"Missing cases\"><h2>In the baseline, missing here (")
        out.int(eval.missing.count)
        out.raw(")</h2><ul>")
        for run in eval.missing {
            out.raw("<li><span class=\"run-name\">")
            out.text(run.name)
            out.raw("</span> <span class=\"run-id\">")
            out.text(run.traceID)
            out.raw("</span></li>")
        }
        out.raw("</ul></section>\n")
    }

    private func facets(into out: inout HTMLBuffer) {
        for table in eval.facets {
            out.raw("<section class=\"facet\"")
            out.attribute("data-facet", table.facet)
            out.raw("><h2>By ")
            out.text(table.facet)
            out.raw("</h2><table class=\"stats\"><thead><tr><th>")
            out.text(table.facet)
            out.raw("</th><th>Runs</th><th>Failed</th><th>Error rate</th>")
            for name in eval.facetScoreNames {
                out.raw("<th>Mean ")
                out.text(name)
                out.raw("</th>")
            }
            out.raw("</tr></thead><tbody>")
            for group in table.groups {
                out.raw("<tr><th>")
                out.text(group.value)
                out.raw("</th><td>")
                out.int(group.runs)
                out.raw("</td><td>")
                out.int(group.errors)
                out.raw("</td><td>")
                out.text(EvalFormatting.percent(Double(group.errors) / Double(max(1, group.runs))))
                out.raw("</td>")
                for mean in group.means {
                    out.raw("<td>")
                    if let mean {
                        out.raw("<span class=\"score-value ")
                        out.raw(Formatting.scoreClass(mean))
                        out.raw("\">")
                        out.text(EvalFormatting.number(mean))
                        out.raw("</span>")
                    } else {
                        out.raw("–")
                    }
                    out.raw("</td>")
                }
                out.raw("</tr>")
            }
            out.raw("</tbody></table></section>\n")
        }
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Int) -> Int64 {
        let rank = max(1, (p * sorted.count + 99) / 100)
        return sorted[min(rank, sorted.count) - 1]
    }

    private func header(
        _ key: String, _ type: StaticString, _ title: String, sorted: Bool = false, into out: inout HTMLBuffer
    ) {
        out.raw("<th")
        out.attribute("data-key", key)
        out.raw(" data-type=\"")
        out.raw(type)
        out.raw("\"")
        if sorted { out.raw(" aria-sort=\"ascending\"") }
        out.raw(">")
        out.text(title)
        out.raw("</th>")
    }

    private func cell(_ key: String, value: String, into out: inout HTMLBuffer, _ content: (inout HTMLBuffer) -> Void) {
        out.raw("<td")
        out.attribute("data-key", key)
        out.attribute("data-value", value)
        out.raw(">")
        content(&out)
        out.raw("</td>")
    }

    /// The row of `runs[i]`.
    func row(at i: Int, scoreNames: [String], otherThan columns: Set<String>?, into out: inout HTMLBuffer) {
        row(
            runs[i], position: i, stem: fileStems[i], scoreNames: scoreNames, otherThan: columns,
            comparison: i < eval.comparisons.count ? eval.comparisons[i] : nil, into: &out)
    }

    /// Where `runs[i]`'s links go: its page, or, in a large index, the index itself when the
    /// run has no page of its own (the script opens it in place).
    func runHref(_ i: Int) -> String {
        if let large, !large.hasPage[i] { return "#run/" + fileStems[i] }
        return "runs/" + fileStems[i] + ".html"
    }

    private func row(
        _ run: AnalyzedRun, position: Int, stem: String, scoreNames: [String], otherThan columns: Set<String>?,
        comparison: RunComparison?, into out: inout HTMLBuffer
    ) {
        out.raw("<tr")
        out.attribute("data-run-id", run.run.traceID)
        out.raw(" data-status=\"")
        out.raw(run.status.rawValue)
        out.raw("\"")
        if let comparison {
            out.raw(comparison.baseline == nil ? " data-baseline=\"new\"" : " data-baseline=\"matched\"")
            if comparison.deltas.contains(where: { $0.delta < 0 }) { out.raw(" data-regressed=\"true\"") }
        }
        out.raw(">")
        // Runs without a recorded start sort after the others (empty values sort last).
        let recordedStart = RunPageRenderer.clockTimesRecorded(run) ? run.startTimeUnixNano : nil
        cell("start", value: recordedStart.map { String($0 / 1_000_000) } ?? "", into: &out) { out in
            Self.valueOrUnknown(recordedStart.map(Timestamp.formatUTC), into: &out)
        }
        cell("name", value: run.name, into: &out) { out in
            out.raw("<a")
            out.attribute("href", runHref(position))
            out.attribute("title", run.name)
            out.raw(">")
            out.text(run.name)
            out.raw("</a>")
            if run.name != run.run.traceID {
                out.raw(" <span class=\"run-id\">")
                out.text(run.run.traceID)
                out.raw("</span>")
            }
            if comparison?.baseline == nil && comparison != nil {
                out.raw(" <span class=\"badge-new\" title=\"no matching run in the baseline\">new</span>")
            }
            previews(run, position: position, into: &out)
        }
        cell("status", value: run.status.rawValue, into: &out) { out in
            RunPageRenderer.statusPill(run.status, into: &out)
        }
        let duration = run.run.root?.timeSource == .placeholder || run.durationNanos == 0 ? nil : run.durationNanos
        cell("duration", value: duration.map { String($0 / 1_000_000) } ?? "", into: &out) { out in
            Self.valueOrUnknown(
                duration.map {
                    RunPageRenderer.hasDerivedTimes(run) ? "≈" + Formatting.duration($0) : Formatting.duration($0)
                }, into: &out)
        }
        cell("spans", value: String(run.run.nodes.count), into: &out) { out in
            out.text(Formatting.count(Int64(run.run.nodes.count)))
        }
        cell("errors", value: String(run.errorCount), into: &out) { out in
            if run.errorCount > 0 {
                out.raw("<span class=\"err-count\">")
                out.text(Formatting.count(Int64(run.errorCount)))
                out.raw("</span>")
            } else {
                out.raw("0")
            }
        }
        cell("tokens", value: run.hasTokens ? String(run.totalTokens) : "", into: &out) { out in
            Self.valueOrUnknown(run.hasTokens ? Formatting.count(run.totalTokens) : nil, into: &out)
        }
        cell("cost", value: run.hasCost ? String(Formatting.micros(run.totalCost)) : "", into: &out) { out in
            Self.valueOrUnknown(run.hasCost ? Formatting.cost(run.totalCost) : nil, into: &out)
        }
        for name in scoreNames {
            let score = run.scores.first(where: { $0.name == name })
            cell("score:" + name, value: score?.text ?? "", into: &out) { out in
                if let score {
                    out.raw("<span class=\"score-value ")
                    out.raw(Formatting.scoreClass(score.value))
                    out.raw("\">")
                    out.text(Formatting.score(score.value, text: score.text))
                    out.raw("</span>")
                }
                if let delta = comparison?.delta(name) {
                    Self.delta(delta, baseline: comparison?.baseline?.score(name), into: &out)
                }
            }
        }
        if let columns {
            let other = run.scores.filter { !columns.contains($0.name) }.map {
                "\($0.name) \(Formatting.score($0.value, text: $0.text))"
            }.joined(separator: "; ")
            cell("scores:other", value: other, into: &out) { $0.text(other) }
        }
        cell("labels", value: run.labels.joined(separator: " "), into: &out) { out in
            if !run.labels.isEmpty { RunPageRenderer.labels(run.labels, into: &out) }
        }
        out.raw("</tr>\n")
    }
}
