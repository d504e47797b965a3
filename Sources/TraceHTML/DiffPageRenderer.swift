import TraceJSON
import TraceModel

/// Renders the diff page of one pair of runs: a header comparing the two runs, the first
/// difference and the final outputs, then the aligned tree with what changed on each span.
///
/// Test hooks: each aligned row carries `data-diff` (`same`, `changed`, `added`, `removed`) and
/// the `data-span-id` of the new run's span (the old run's for a removed one); the row of the
/// first difference carries `data-first-difference`. The page works without its script: rows
/// open as `<details>`, and "Only changes" is a checkbox the stylesheet reads.
struct DiffPageRenderer {
    let pair: DiffPair
    let diff: RunDiff
    /// The diff index as seen from the page, when there is one.
    var indexLink: String?
    /// The report's index as seen from the page, when the diff is part of a report.
    var reportIndex: String?
    /// What was redacted; `nil` when nothing was.
    var redaction: RedactionManifest?

    /// Lines of unchanged text kept around each change in a line diff.
    static let contextLines = 3
    /// The most lines a line diff or a text shows; the rest is counted.
    static let maxShownLines = 2_000

    init(pair: DiffPair, diff: RunDiff) {
        self.pair = pair
        self.diff = diff
    }

    private var old: AnalyzedRun { pair.old }
    private var new: AnalyzedRun { pair.new }

    /// The page body (inside `<body>`).
    func body(into out: inout HTMLBuffer) {
        header(into: &out)
        out.raw("<main class=\"diff-main\">\n")
        out.raw(
            "<div class=\"diff-tools\"><label><input type=\"checkbox\" id=\"diff-only-changes\"> Only changes</label>"
        )
        out.raw("<span class=\"diff-legend\"><span class=\"diff-tag d-same\">same</span>")
        out.raw("<span class=\"diff-tag d-changed\">changed</span><span class=\"diff-tag d-added\">added</span>")
        out.raw("<span class=\"diff-tag d-removed\">removed</span></span></div>\n")
        out.raw("<ol class=\"diff-tree\" aria-label=\"Aligned spans\">\n")
        for r in diff.rows.indices { row(r, into: &out) }
        out.raw("</ol>\n</main>\n")
    }

    // MARK: - Header

    private func header(into out: inout HTMLBuffer) {
        out.raw("<header class=\"run-header diff-header\">\n<nav class=\"crumbs\">")
        var links: [(String, String)] = []
        if let indexLink { links.append((indexLink, "All diffs")) }
        if let reportIndex { links.append((reportIndex, "All runs")) }
        if let runPage = pair.runPage { links.append((runPage, "Run page")) }
        for (i, (href, label)) in links.enumerated() {
            if i > 0 { out.raw(" ") }
            out.raw("<a")
            out.attribute("href", href)
            out.raw(">")
            out.text(label)
            out.raw("</a>")
        }
        out.raw("</nav>\n<h1 class=\"run-name\">Diff: ")
        out.text(new.name)
        out.raw("</h1>\n")
        Self.redactionNote(redaction, into: &out)
        runsTable(into: &out)
        out.raw("<p class=\"diff-counts\">")
        Self.counts(diff.counts, into: &out)
        out.raw("</p>\n")
        firstDifferenceSummary(into: &out)
        out.raw("<section class=\"diff-final\"><h2>Final output</h2>")
        if diff.finalOutput.isEmpty {
            out.raw("<p class=\"diff-note\">The same in both runs.</p>")
        } else {
            Self.lineDiff(diff.finalOutput, into: &out)
        }
        out.raw("</section>\n</header>\n")
    }

    /// Baseline and new run side by side: ids, status, duration, spans, tokens, cost, scores.
    private func runsTable(into out: inout HTMLBuffer) {
        out.raw("<table class=\"diff-runs\"><thead><tr><th></th><th>Baseline</th><th>This run</th></tr></thead><tbody>")
        func line(_ title: StaticString, _ a: String, _ b: String) {
            out.raw(a == b ? "<tr><th>" : "<tr class=\"diff-differs\"><th>")
            out.raw(title)
            out.raw("</th><td>")
            out.text(a)
            out.raw("</td><td>")
            out.text(b)
            out.raw("</td></tr>")
        }
        line("Trace ID", old.run.traceID, new.run.traceID)
        out.raw(old.status == new.status ? "<tr><th>Status</th><td>" : "<tr class=\"diff-differs\"><th>Status</th><td>")
        RunPageRenderer.statusPill(old.status, into: &out)
        out.raw("</td><td>")
        RunPageRenderer.statusPill(new.status, into: &out)
        out.raw("</td></tr>")
        line(
            "Duration", old.durationNanos.map(Formatting.duration) ?? "–",
            new.durationNanos.map(Formatting.duration) ?? "–")
        line("Spans", Formatting.count(Int64(old.run.nodes.count)), Formatting.count(Int64(new.run.nodes.count)))
        line(
            "Tokens", old.hasTokens ? Formatting.count(old.totalTokens) : "–",
            new.hasTokens ? Formatting.count(new.totalTokens) : "–")
        line(
            "Cost", old.hasCost ? Formatting.cost(old.totalCost) : "–",
            new.hasCost ? Formatting.cost(new.totalCost) : "–")
        var names: [String] = []
        for s in old.scores + new.scores where !names.contains(s.name) { names.append(s.name) }
        for name in names {
            let a = old.scores.first { $0.name == name }
            let b = new.scores.first { $0.name == name }
            out.raw(a?.value == b?.value ? "<tr data-score=\"" : "<tr class=\"diff-differs\" data-score=\"")
            out.text(name)
            out.raw("\"><th>")
            out.text(name)
            out.raw("</th><td>")
            Self.scoreValue(a, into: &out)
            out.raw("</td><td>")
            Self.scoreValue(b, into: &out)
            if let a, let b, a.value != b.value, a.value.isFinite, b.value.isFinite {
                out.raw(" <span class=\"diff-delta\">")
                let d = b.value - a.value
                out.text((d > 0 ? "+" : "") + Formatting.number(d))
                out.raw("</span>")
            }
            out.raw("</td></tr>")
        }
        out.raw("</tbody></table>\n")
    }

    /// A score's value, coloured as on run pages; `–` when the run has no such score.
    private static func scoreValue(_ score: Score?, into out: inout HTMLBuffer) {
        guard let score else { return out.raw("–") }
        RunPageRenderer.scoreValue(score, into: &out)
    }

    /// `3 same · 1 changed · 0 added · 1 removed`, each count tagged.
    static func counts(_ c: (same: Int, changed: Int, added: Int, removed: Int), into out: inout HTMLBuffer) {
        let items: [(StaticString, Int)] = [
            ("same", c.same), ("changed", c.changed), ("added", c.added), ("removed", c.removed),
        ]
        for (i, (name, n)) in items.enumerated() {
            if i > 0 { out.raw(" · ") }
            out.raw("<span class=\"diff-count d-")
            out.raw(name)
            out.raw("\" data-count-")
            out.raw(name)
            out.raw("=\"")
            out.int(n)
            out.raw("\">")
            out.text(Formatting.count(Int64(n)))
            out.raw(" ")
            out.raw(name)
            out.raw("</span>")
        }
    }

    /// Where the difference that led to a different final output starts, and why that span.
    private func firstDifferenceSummary(into out: inout HTMLBuffer) {
        out.raw("<p class=\"diff-first-summary\">")
        guard let r = diff.firstDifference else {
            out.raw(
                "The final output and status are the same in both runs, so no difference led to a different result.</p>\n"
            )
            return
        }
        out.raw("<strong>First difference:</strong> <a href=\"#first-difference\">")
        out.text(spanName(r))
        out.raw("</a> — ")
        out.text(reason(r))
        out.raw("</p>\n")
    }

    /// Why row `r` is the first difference.
    private func reason(_ r: Int) -> String {
        let row = diff.rows[r]
        switch row.change {
        case .added: return "only this run has this span; everything before it gave the same result."
        case .removed: return "only the baseline has this span; everything before it gave the same result."
        default: break
        }
        if row.fields.contains(.input) {
            return r == 0
                ? "the run's input differs."
                : "its input differs, while every span before it gave the same result."
        }
        var text = "same input, different "
        text += row.fields.contains(.output) ? "output" : "status"
        if row.fields.contains(.model), let a = oldSpan(row)?.model, let b = newSpan(row)?.model {
            text += " (model \(a) → \(b))"
        }
        return text + ": the change starts here."
    }

    // MARK: - Rows

    private func oldSpan(_ row: RunDiff.Row) -> Span? { row.old.map { old.run.nodes[$0].span } }
    private func newSpan(_ row: RunDiff.Row) -> Span? { row.new.map { new.run.nodes[$0].span } }
    private func spanName(_ r: Int) -> String { (newSpan(diff.rows[r]) ?? oldSpan(diff.rows[r]))!.name }

    private func row(_ r: Int, into out: inout HTMLBuffer) {
        let row = diff.rows[r]
        let span = (newSpan(row) ?? oldSpan(row))!
        let isFirst = diff.firstDifference == r
        out.raw("<li class=\"diff-row d-")
        out.raw(row.change.rawValue)
        out.raw("\"")
        out.attribute("id", isFirst ? "first-difference" : "d-\(r)")
        out.attribute("data-diff", row.change.rawValue)
        out.attribute("data-span-id", span.spanID)
        if isFirst { out.raw(" data-first-difference=\"true\"") }
        if row.moved { out.raw(" data-moved=\"true\"") }
        if diff.finalOutputRow == r { out.raw(" data-final-output=\"true\"") }
        out.raw(" style=\"--depth:")
        out.int(min(row.depth, 64))
        out.raw("\">")
        let hasBody = row.change != .same
        out.raw(
            hasBody
                ? (isFirst ? "<details open><summary class=\"diff-line\">" : "<details><summary class=\"diff-line\">")
                : "<div class=\"diff-line\">")
        out.raw("<span class=\"diff-tag d-")
        out.raw(row.change.rawValue)
        out.raw("\">")
        out.raw(row.change.rawValue)
        out.raw("</span> <span class=\"badge k-")
        out.raw(span.kind.rawValue)
        out.raw("\">")
        out.text(span.kind == .span ? span.kindName : span.kind.rawValue)
        out.raw("</span> <span class=\"diff-name\"")
        out.attribute("title", span.name)
        out.raw(">")
        out.text(span.name)
        out.raw("</span>")
        for field in row.fields {
            out.raw(" <span class=\"diff-field\">")
            out.raw(field == .position ? "moved" : field.rawValue)
            out.raw("</span>")
        }
        if isFirst { out.raw(" <span class=\"diff-first-tag\">first difference</span>") }
        out.raw(" <span class=\"diff-dur\">")
        out.text(durationText(row))
        out.raw("</span>")
        if hasBody {
            out.raw("</summary>\n<div class=\"diff-body\">")
            details(row, into: &out)
            out.raw("</div></details>")
        } else {
            out.raw("</div>")
        }
        out.raw("</li>\n")
    }

    private func durationText(_ row: RunDiff.Row) -> String {
        let a = oldSpan(row)?.durationNanos.map(Formatting.duration)
        let b = newSpan(row)?.durationNanos.map(Formatting.duration)
        switch (row.old, row.new) {
        case (nil, _): return b ?? ""
        case (_, nil): return a ?? ""
        default: return a == b ? (a ?? "") : "\(a ?? "–") → \(b ?? "–")"
        }
    }

    /// The body of a changed, added or removed row.
    private func details(_ row: RunDiff.Row, into out: inout HTMLBuffer) {
        let a = oldSpan(row)
        let b = newSpan(row)
        out.raw("<dl class=\"diff-values\">")
        func value(_ title: StaticString, _ field: RunDiff.Field, _ get: (Span) -> String?) {
            let x = a.flatMap(get)
            let y = b.flatMap(get)
            guard x != nil || y != nil else { return }
            out.raw(row.fields.contains(field) ? "<div class=\"diff-differs\" data-field=\"" : "<div data-field=\"")
            out.raw(field.rawValue)
            out.raw("\"><dt>")
            out.raw(title)
            out.raw("</dt><dd>")
            if a != nil && b != nil && x != y {
                out.raw("<del>")
                out.text(x ?? "–")
                out.raw("</del> → <ins>")
                out.text(y ?? "–")
                out.raw("</ins>")
            } else {
                out.text(x ?? y ?? "–")
            }
            out.raw("</dd></div>")
        }
        value("Model", .model) { $0.model }
        value("Status", .status) { RunDiff.statusText($0) }
        value("Duration", .duration) { $0.durationNanos.map(Formatting.duration) }
        value("Tokens", .tokens) { s in
            s.usage.tokens.map { total in
                var text = Formatting.count(total)
                if s.usage.inputTokens != nil || s.usage.outputTokens != nil {
                    text +=
                        " (" + Formatting.count(s.usage.inputTokens ?? 0) + " in, "
                        + Formatting.count(s.usage.outputTokens ?? 0) + " out)"
                }
                return text
            }
        }
        value("Cost", .cost) { $0.usage.cost.map(Formatting.cost) }
        if row.moved {
            out.raw(
                "<div class=\"diff-differs\" data-field=\"position\"><dt>Position</dt><dd>moved among its siblings</dd></div>"
            )
        }
        out.raw("</dl>")
        for (title, field, diffOf, text) in [
            ("Input", RunDiff.Field.input, row.input, { (s: Span) in s.input }),
            ("Output", RunDiff.Field.output, row.output, { (s: Span) in s.output }),
        ] as [(String, RunDiff.Field, TextDiff?, (Span) -> JSONValue?)] {
            out.raw("<section class=\"diff-text\" data-field=\"")
            out.raw(field.rawValue)
            out.raw("\"><h3>")
            out.text(title)
            out.raw("</h3>")
            if let diffOf {
                Self.lineDiff(diffOf, into: &out)
            } else if let only = b ?? a, a == nil || b == nil {
                if let value = text(only) {
                    Self.plainText(DiffText.text(value), into: &out)
                } else {
                    out.raw("<p class=\"diff-note\">Not recorded.</p>")
                }
            } else {
                out.raw(
                    (a.flatMap(text) == nil && b.flatMap(text) == nil)
                        ? "<p class=\"diff-note\">Not recorded.</p>" : "<p class=\"diff-note\">The same.</p>")
            }
            out.raw("</section>")
        }
    }
}
