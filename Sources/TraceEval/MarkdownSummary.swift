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
            line +=
                ", p50 \(EvalFormatting.number(Double(p50) / 1e9)) s, p95 \(EvalFormatting.number(Double(p95) / 1e9)) s"
        }
        if report.hasBaseline {
            let new = report.comparisons.filter { $0.baseline == nil }.count
            line += "; against the baseline (matched on \(report.matchOn)): \(new) new, \(report.missing.count) missing"
        }
        md += line + "\n\n"
        if !report.scores.isEmpty {
            md +=
                report.hasBaseline
                ? "| Score | Mean | Baseline | Delta | Min | Runs | Pass rate |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                : "| Score | Mean | Min | Runs | Pass rate |\n| --- | ---: | ---: | ---: | ---: |\n"
            for s in report.scores {
                let pass =
                    s.passRate.map { "\(EvalFormatting.percent($0)) (≥ \(EvalFormatting.number(s.threshold ?? 0)))" }
                    ?? "–"
                if report.hasBaseline {
                    let base = s.baselineMean.map(EvalFormatting.number) ?? "–"
                    let delta = s.baselineMean.map { EvalFormatting.delta(s.mean - $0) } ?? "–"
                    md +=
                        "| \(cell(s.name)) | \(EvalFormatting.number(s.mean)) | \(base) | \(delta) | \(EvalFormatting.number(s.min)) | \(s.count) | \(pass) |\n"
                } else {
                    md +=
                        "| \(cell(s.name)) | \(EvalFormatting.number(s.mean)) | \(EvalFormatting.number(s.min)) | \(s.count) | \(pass) |\n"
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
                let link =
                    run.page.flatMap { ownPageLink($0, reportPath: reportPath) }.map { "[\(cell(run.name))](\($0))" }
                    ?? cell(run.name)
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

    /// A code span holding `s` as written: nothing inside a code span is a link, an image or
    /// markup, so only the characters that would end the span, the table cell or the line change.
    static func code(_ s: String) -> String {
        var out = "`"
        for ch in s.unicodeScalars {
            switch ch {
            case "`": out += "'"
            case "|": out += "\\|"
            default:
                if isControl(ch) { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "`"
    }

    /// Text from a trace made inert in a Markdown table cell or list item: every character that
    /// could start emphasis, a link, an image, raw HTML, an entity or a table cell is escaped,
    /// and so are the characters GitHub turns into links by themselves (`https://`, `www.`,
    /// `@`). Line breaks and other control characters become spaces.
    static func cell(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let scalars = Array(s.unicodeScalars)
        for (i, ch) in scalars.enumerated() {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "!", "|", "~", "@", "$", "#", "{", "}":
                out += "\\"
                out.unicodeScalars.append(ch)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case ":":
                // `scheme://` becomes a link in GitHub's Markdown even without brackets.
                if i + 1 < scalars.count, scalars[i + 1] == "/" { out += "\\:" } else { out += ":" }
            case ".":
                // So does `www.` at a word's start.
                if i >= 3, scalars[(i - 3)..<i].map({ Character($0).lowercased() }).joined() == "www" {
                    out += "\\."
                } else {
                    out += "."
                }
            default:
                if isControl(ch) { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A link to one of the report's own pages, or `nil` when `page` is not a plain relative
    /// path of the report (letters, digits, `.`, `_`, `-` and `/`, no `..`, ending in `.html`).
    static func ownPageLink(_ page: String, reportPath: String) -> String? {
        let allowed = page.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "_"
                || c == "-" || c == "/"
        }
        guard allowed, page.hasSuffix(".html"), !page.hasPrefix("/"), !page.split(separator: "/").contains("..") else {
            return nil
        }
        var prefix = ""
        for byte in reportPath.utf8 {
            let c = Unicode.Scalar(byte)
            if (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "_"
                || c == "-" || c == "/"
            {
                prefix.unicodeScalars.append(c)
            } else {
                let hex = Array("0123456789ABCDEF")
                prefix += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return (prefix.isEmpty ? "" : prefix + "/") + page
    }

    /// C0 and C1 controls, DEL, and the line and paragraph separators.
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (c.value >= 0x7F && c.value < 0xA0) || c.value == 0x2028 || c.value == 0x2029
    }
}
