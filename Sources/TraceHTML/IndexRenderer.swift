import TraceModel

/// Renders the index page: one row per run with status, timing, tokens, cost, one column per
/// score, and labels; a summary line above.
struct IndexRenderer {
    let runs: [AnalyzedRun]
    let fileStems: [String]
    let title: String

    /// Every score name used by any run, sorted.
    var scoreNames: [String] {
        var names: Set<String> = []
        for run in runs { for score in run.scores { names.insert(score.name) } }
        return names.sorted()
    }

    func body(into out: inout HTMLBuffer) {
        let scoreNames = self.scoreNames
        out.raw("<header class=\"index-header\"><h1>")
        out.text(title)
        out.raw("</h1>\n<p class=\"summary\">")
        summary(scoreNames, into: &out)
        out.raw("</p>\n</header>\n<main class=\"index-main\">\n<div class=\"controls\" hidden></div>\n<table class=\"runs\" id=\"runs\">\n<thead><tr>")
        header("start", "num", "Start", sorted: true, into: &out)
        header("name", "text", "Run", into: &out)
        header("status", "text", "Status", into: &out)
        header("duration", "num", "Duration", into: &out)
        header("spans", "num", "Spans", into: &out)
        header("errors", "num", "Errors", into: &out)
        header("tokens", "num", "Tokens", into: &out)
        header("cost", "num", "Cost", into: &out)
        for name in scoreNames { header("score:" + name, "num", name, into: &out) }
        header("labels", "text", "Labels", into: &out)
        out.raw("</tr></thead>\n<tbody>\n")
        for (run, stem) in zip(runs, fileStems) {
            row(run, stem: stem, scoreNames: scoreNames, into: &out)
        }
        out.raw("</tbody>\n</table>\n")
        if runs.isEmpty { out.raw("<p class=\"empty\">No runs.</p>\n") }
        out.raw("</main>\n")
    }

    private func summary(_ scoreNames: [String], into out: inout HTMLBuffer) {
        var parts: [String] = []
        parts.append(Formatting.count(Int64(runs.count)) + (runs.count == 1 ? " run" : " runs"))
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

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Int) -> Int64 {
        let rank = max(1, (p * sorted.count + 99) / 100)
        return sorted[min(rank, sorted.count) - 1]
    }

    private func header(_ key: String, _ type: StaticString, _ title: String, sorted: Bool = false, into out: inout HTMLBuffer) {
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

    private func row(_ run: AnalyzedRun, stem: String, scoreNames: [String], into out: inout HTMLBuffer) {
        out.raw("<tr")
        out.attribute("data-run-id", run.run.traceID)
        out.raw(" data-status=\"")
        out.raw(run.status.rawValue)
        out.raw("\">")
        let startMillis = run.startTimeUnixNano.map { String($0 / 1_000_000) } ?? ""
        cell("start", value: startMillis, into: &out) { out in
            out.text(run.startTimeUnixNano.map(Timestamp.formatUTC) ?? "–")
        }
        cell("name", value: run.name, into: &out) { out in
            out.raw("<a href=\"runs/")
            out.text(stem)
            out.raw(".html\">")
            out.text(run.name)
            out.raw("</a>")
        }
        cell("status", value: run.status.rawValue, into: &out) { out in RunPageRenderer.statusPill(run.status, into: &out) }
        let duration = run.durationNanos
        cell("duration", value: duration.map { String($0 / 1_000_000) } ?? "", into: &out) { out in
            out.text(duration.map(Formatting.duration) ?? "–")
        }
        cell("spans", value: String(run.run.nodes.count), into: &out) { out in out.text(Formatting.count(Int64(run.run.nodes.count))) }
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
            out.text(run.hasTokens ? Formatting.count(run.totalTokens) : "–")
        }
        cell("cost", value: run.hasCost ? String(Int64((run.totalCost * 1_000_000).rounded())) : "", into: &out) { out in
            out.text(run.hasCost ? Formatting.cost(run.totalCost) : "–")
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
            }
        }
        cell("labels", value: run.labels.joined(separator: " "), into: &out) { out in
            if !run.labels.isEmpty { RunPageRenderer.labels(run.labels, into: &out) }
        }
        out.raw("</tr>\n")
    }
}
