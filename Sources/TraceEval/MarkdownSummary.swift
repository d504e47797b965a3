/// A Markdown summary of an eval for a CI page (GitHub's step summary): the score table, the
/// gates, and the worst runs linked into the report.
public enum MarkdownSummary {
    /// The summary. `reportPath` is the report folder as seen from where the summary is read
    /// (for example `report`), used to link run pages.
    public static func write(_ report: EvalReport, title: String, reportPath: String) -> String {
        var md = "## \(cell(title))\n\n"
        let failed = report.runs.filter { $0.status == "error" }.count
        var line = "\(report.runs.count) run\(report.runs.count == 1 ? "" : "s"), \(failed) failed"
        if let p50 = report.p50Nanos, let p95 = report.p95Nanos {
            line += ", p50 \(EvalFormatting.number(Double(p50) / 1e9)) s, p95 \(EvalFormatting.number(Double(p95) / 1e9)) s"
        }
        if report.hasBaseline {
            let new = report.comparisons.filter { $0.baseline == nil }.count
            line += "; against the baseline (matched on \(report.matchOn)): \(new) new, \(report.missing.count) missing"
        }
        md += line + "\n\n"
        if !report.scores.isEmpty {
            md += report.hasBaseline
                ? "| Score | Mean | Baseline | Delta | Min | Runs | Pass rate |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                : "| Score | Mean | Min | Runs | Pass rate |\n| --- | ---: | ---: | ---: | ---: |\n"
            for s in report.scores {
                let pass = s.passRate.map { "\(EvalFormatting.percent($0)) (≥ \(EvalFormatting.number(s.threshold ?? 0)))" } ?? "–"
                if report.hasBaseline {
                    let base = s.baselineMean.map(EvalFormatting.number) ?? "–"
                    let delta = s.baselineMean.map { EvalFormatting.delta(s.mean - $0) } ?? "–"
                    md += "| \(cell(s.name)) | \(EvalFormatting.number(s.mean)) | \(base) | \(delta) | \(EvalFormatting.number(s.min)) | \(s.count) | \(pass) |\n"
                } else {
                    md += "| \(cell(s.name)) | \(EvalFormatting.number(s.mean)) | \(EvalFormatting.number(s.min)) | \(s.count) | \(pass) |\n"
                }
            }
            md += "\n"
        }
        if !report.gates.isEmpty {
            md += "### Gates\n\n"
            for g in report.gates {
                md += "- **\(g.passed ? "PASS" : "FAIL")** \(code(g.gate.description)): \(cell(g.detail))\n"
            }
            md += "\n"
        }
        let worst = worstRuns(report, limit: 10)
        if !worst.isEmpty {
            md += "### Runs to look at\n\n"
            for (run, reasons) in worst {
                let link = run.page.map { "[\(cell(run.name))](\(reportPath.isEmpty ? "" : reportPath + "/")\($0))" } ?? cell(run.name)
                md += "- \(link) \(code(run.traceID)): \(cell(reasons.joined(separator: "; ")))\n"
            }
            md += "\n"
        }
        return md
    }

    /// Runs that failed, regressed or fell below a threshold, worst first.
    static func worstRuns(_ report: EvalReport, limit: Int) -> [(EvalRun, [String])] {
        var rows: [(run: EvalRun, reasons: [String], weight: Double, index: Int)] = []
        for (i, run) in report.runs.enumerated() {
            var reasons = report.failures(of: run)
            var weight = Double(reasons.count)
            if i < report.comparisons.count {
                for (name, delta) in report.comparisons[i].deltas where delta < 0 {
                    reasons.append("\(name) \(EvalFormatting.delta(delta)) against the baseline")
                    weight += -delta + 1
                }
            }
            if !reasons.isEmpty { rows.append((run, reasons, weight, i)) }
        }
        rows.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.index < $1.index }
        return rows.prefix(limit).map { ($0.run, $0.reasons) }
    }

    /// A code span holding `s` as written.
    static func code(_ s: String) -> String {
        var out = "`"
        for ch in s {
            switch ch {
            case "`": out += "'"
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out + "`"
    }

    /// Text safe in a Markdown table cell.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }
}
