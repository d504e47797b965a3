import TraceEval
import TraceJSON
import TraceModel

/// Renders one run's page: header, span tree with waterfall, and span details.
///
/// The tree nests `<details>` elements so it collapses with JavaScript disabled. Browsers stop
/// nesting elements at a depth of about 512, and Chromium slows down markedly well before that
/// (a 20,000-deep chain loaded in 17.6 s with 200 nested levels, 6.0 s with 32), so below
/// ``nestingLimit`` levels rows are written flat, each carrying its depth and parent, and
/// indented by CSS; the page script folds them.
struct RunPageRenderer {
    /// How many `<details>` levels nest before rows are written flat.
    static let nestingLimit = 32
    /// Runs with at most this many spans open every node; larger runs open the top levels and
    /// the way to every error.
    static let openAllLimit = 300

    let run: AnalyzedRun
    let fileName: String
    let anchors: [String]
    let criticalPath: CriticalPath
    var content = ContentRenderer()
    /// Problems of this run's records (skipped lines, repairs, dropped fields).
    var problems: [ReportProblems.Item] = []
    /// The page comparing this run with its baseline run span by span, when there is one.
    var diffPage: String?

    init(run: AnalyzedRun, fileName: String) {
        self.run = run
        self.fileName = fileName
        self.anchors = Naming.spanAnchors(run.run.nodes.map(\.span.spanID))
        self.criticalPath = run.criticalPath
        content.toolCalls = ToolCallIndex(run: run.run, anchors: anchors)
    }

    /// The page body (inside `<body>`).
    mutating func body(into out: inout HTMLBuffer) {
        header(into: &out)
        out.raw("<main class=\"run-main\">\n")
        tree(into: &out)
        details(into: &out)
        out.raw("</main>\n")
    }

    // MARK: - Header

    mutating func header(into out: inout HTMLBuffer) {
        out.raw(
            "<header class=\"run-header\">\n<nav class=\"crumbs\"><a href=\"../index.html\">All runs</a></nav>\n<h1 class=\"run-name\">"
        )
        out.text(run.name)
        out.raw("</h1> ")
        Self.statusPill(run.status, into: &out)
        problemsMarker(into: &out)
        out.raw("\n<dl class=\"run-stats\">")
        stat("Duration", Self.durationText(run), into: &out)
        stat("Spans", Formatting.count(Int64(run.run.nodes.count)), into: &out)
        stat("Errors", Formatting.count(Int64(run.errorCount)), into: &out)
        stat("Tokens", run.hasTokens ? Formatting.count(run.totalTokens) : Self.notRecorded, into: &out)
        if run.hasTokens {
            stat("In / out", Formatting.count(run.inputTokens) + " / " + Formatting.count(run.outputTokens), into: &out)
        }
        stat("Cost", run.hasCost ? Formatting.cost(run.totalCost) : Self.notRecorded, into: &out)
        stat("Start", Self.startText(run), into: &out)
        stat("Trace ID", run.run.traceID, into: &out)
        if let format = run.run.nodes.first?.span.sourceFormat {
            stat("Source format", format, into: &out)
        }
        out.raw("</dl>\n")
        if let diffPage {
            out.raw("<p class=\"run-diff-link\"><a")
            out.attribute("href", diffPage)
            out.raw(">Compare with the baseline run, span by span</a></p>\n")
        }
        glance(into: &out)
        if !run.scores.isEmpty {
            out.raw("<div class=\"scores\">")
            for score in run.scores { Self.score(score, into: &out) }
            out.raw("</div>\n")
        }
        if !run.labels.isEmpty {
            Self.labels(run.labels, into: &out)
            out.raw("\n")
        }
        var metadata = run.run.info?.metadata ?? JSONObject()
        metadata.appendMissing(from: run.run.root?.metadata.members ?? [])
        if !metadata.isEmpty {
            out.raw("<details class=\"run-metadata\"><summary>Metadata</summary>")
            Self.metadataTable(metadata, into: &out)
            out.raw("</details>\n")
        }
        var findings: [(String, Int)] = []
        if let i = run.firstErrorIndex { findings.append(("First error", i)) }
        if let i = run.slowestIndex, run.run.nodes[i].span.timeSource != .placeholder,
            (run.metrics[i].durationNanos ?? 0) > 0
        {
            findings.append(("Slowest span", i))
        }
        if let i = run.mostExpensiveIndex { findings.append((run.hasCost ? "Most expensive" : "Most tokens", i)) }
        if !findings.isEmpty {
            out.raw("<ul class=\"run-findings\">")
            for (title, i) in findings {
                let node = run.run.nodes[i]
                out.raw("<li><span class=\"finding-title\">")
                out.text(title)
                out.raw("</span> <a href=\"#")
                out.text(anchors[i])
                out.raw("\">")
                out.text(node.span.name)
                out.raw("</a> <span class=\"finding-detail\">")
                if title == "First error", let error = node.span.error {
                    out.text(Self.errorSummary(error))
                } else if title == "Slowest span" {
                    out.text(spanDurationText(i))
                } else if run.hasCost {
                    out.text(Formatting.cost(run.metrics[i].costSelf))
                } else {
                    out.text(Formatting.count(run.metrics[i].tokensSelf) + " tokens")
                }
                out.raw("</span></li>")
            }
            out.raw("</ul>\n")
        }
        criticalSummary(into: &out)
        evalCase(into: &out)
        out.raw("</header>\n")
    }

    /// The run as a regression eval case (a dataset row, as `trace-report extract` writes it),
    /// visible as text; the page's script adds a button that copies it.
    private func evalCase(into out: inout HTMLBuffer) {
        guard var row = try? EvalCase(run: run) else { return }
        // Reports carry no paths: the trace file's name stays out of the page.
        row.source.file = nil
        let size = Self.textBytes(row.json, upTo: ContentRenderer.markdownByteLimit + 1)
        let text = size > ContentRenderer.markdownByteLimit ? "" : JSONText.compact(row.json)
        guard size <= ContentRenderer.markdownByteLimit, text.utf8.count <= ContentRenderer.markdownByteLimit else {
            // A row this long is the run's own long values again: the page would carry them twice.
            out.raw(
                "<details class=\"eval-case\"><summary>Eval case</summary><p class=\"eval-case-hint\">This run as a dataset row for a regression eval is "
            )
            out.raw("over ")
            out.raw(Formatting.count(Int64(ContentRenderer.markdownByteLimit)))
            out.raw(" bytes, too long to carry in the page twice; <code>trace-report extract --run ")
            out.text(Self.shellQuoted(run.run.traceID))
            out.raw("</code> writes it.</p></details>\n")
            return
        }
        out.raw(
            "<details class=\"eval-case\"><summary>Eval case</summary><p class=\"eval-case-hint\">This run as a dataset row for a regression eval (JSON Lines; <code>trace-report extract</code> writes the same row, with a label and expected output).</p><pre class=\"json eval-case-json\" id=\"eval-case-json\">"
        )
        out.text(text)
        out.raw("</pre></details>\n")
    }

    /// The bytes of the strings and member names in `value`, counted up to `limit` (a lower
    /// bound of its JSON's length that never reads more than it must).
    static func textBytes(_ value: JSONValue, upTo limit: Int) -> Int {
        var total = 0
        var stack = [value]
        while let v = stack.popLast(), total < limit {
            switch v {
            case .string(let s): total += s.utf8.count
            case .array(let items): stack.append(contentsOf: items)
            case .object(let o):
                for member in o.members {
                    total += member.key.utf8.count
                    stack.append(member.value)
                }
            default: total += 1
            }
        }
        return total
    }

    /// `text` as one shell word: bare when it is plainly safe, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
                    || b == UInt8(ascii: ":") || b == UInt8(ascii: "/")
            }
        if safe { return text }
        var quoted = "'"
        for c in text.unicodeScalars {
            if c == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(c) }
        }
        return quoted + "'"
    }

    private func stat(_ title: StaticString, _ value: String, into out: inout HTMLBuffer) {
        out.raw("<div><dt>")
        out.raw(title)
        out.raw("</dt><dd>")
        out.text(value)
        out.raw("</dd></div>")
    }

    static func statusPill(_ status: RunStatus, into out: inout HTMLBuffer) {
        out.raw("<span class=\"status status-")
        out.raw(status.rawValue)
        out.raw("\">")
        out.raw(status.rawValue)
        out.raw("</span>")
    }

    static func score(_ score: Score, into out: inout HTMLBuffer) {
        out.raw("<span class=\"score\"")
        out.attribute("data-score", score.name)
        out.attribute("data-value", score.text)
        out.raw("><span class=\"score-name\">")
        out.text(score.name)
        out.raw("</span> <span class=\"score-value ")
        out.raw(Formatting.scoreClass(score.value))
        out.raw("\"")
        if let comment = score.comment { out.attribute("title", comment) }
        out.raw(">")
        out.text(Formatting.score(score.value, text: score.text))
        out.raw("</span>")
        if let origin = score.origin {
            out.raw(" <span class=\"score-origin\">from ")
            out.text(origin)
            out.raw("</span>")
        }
        out.raw("</span>")
    }

    static func labels(_ labels: [String], into out: inout HTMLBuffer) {
        out.raw("<ul class=\"labels\">")
        for label in labels {
            out.raw("<li class=\"label\">")
            out.text(label)
            out.raw("</li>")
        }
        out.raw("</ul>")
    }

    static func metadataTable(_ metadata: JSONObject, into out: inout HTMLBuffer) {
        out.raw("<table class=\"kv\"><tbody>")
        for member in metadata.members {
            out.raw("<tr><th>")
            out.text(member.key)
            out.raw("</th><td>")
            switch member.value {
            case .string(let s): out.text(s)
            case .number(let n): out.text(n.text)
            case .bool(let b): out.raw(b ? "true" : "false")
            case .null: out.raw("null")
            default:
                out.raw("<pre class=\"json\">")
                out.text(JSONText.pretty(member.value))
                out.raw("</pre>")
            }
            out.raw("</td></tr>")
        }
        out.raw("</tbody></table>")
    }

    static func errorSummary(_ error: SpanError) -> String {
        if let type = error.type, type != error.message { return "\(type): \(error.message)" }
        return error.message
    }

    // MARK: - Tree and waterfall

    var timeBase: (start: Int64, length: Int64)? {
        guard let s = run.startTimeUnixNano, let e = run.endTimeUnixNano else { return nil }
        return (s, max(1, e.saturatingSubtract(s)))
    }

    private func tree(into out: inout HTMLBuffer) {
        let nodes = run.run.nodes
        treeHead(into: &out)
        out.raw("<div class=\"tree\">\n")
        let openAll = nodes.count <= Self.openAllLimit
        var openDetails: [Int] = []  // depths of open <details>
        for i in nodes.indices {
            let node = nodes[i]
            while let last = openDetails.last, last >= node.depth {
                out.raw("</details>\n")
                openDetails.removeLast()
            }
            let hasChildren = node.hasChildren(at: i)
            let flat = node.depth >= Self.nestingLimit
            if hasChildren && !flat {
                let open = openAll || node.depth < 2 || run.metrics[i].errorsInSubtree > 0
                out.raw(open ? "<details class=\"node\" open" : "<details class=\"node\"")
                nodeAttributes(i, into: &out)
                out.raw("><summary")
                rowAttributes(i, into: &out)
                out.raw(">")
                rowCells(i, into: &out)
                out.raw("</summary>\n")
                openDetails.append(node.depth)
            } else {
                out.raw(
                    flat
                        ? (hasChildren ? "<div class=\"node flat parent\"" : "<div class=\"node flat\"")
                        : "<div class=\"node leaf\"")
                nodeAttributes(i, into: &out)
                if flat, let p = node.parent {
                    out.attribute("data-parent", nodes[p].span.spanID)
                }
                out.raw("><div")
                rowAttributes(i, into: &out)
                out.raw(">")
                rowCells(i, into: &out)
                out.raw("</div></div>\n")
            }
        }
        for _ in openDetails { out.raw("</details>\n") }
        out.raw("</div>\n</section>\n")
    }

    /// The tree section's opening and its column heads with the time axis.
    func treeHead(into out: inout HTMLBuffer) {
        out.raw(
            "<section class=\"trace\" aria-label=\"Span tree and timeline\">\n<div class=\"trace-head\"><div class=\"col-name\">Span</div><div class=\"col-dur\">Duration</div><div class=\"col-tok\">Tokens</div><div class=\"axis\">"
        )
        if let base = timeBase {
            for (offset, label) in Self.ticks(length: base.length) {
                out.raw("<span class=\"tick\" style=\"left:")
                out.raw(Self.percent(offset, of: base.length))
                out.raw("%\">")
                out.text(label)
                out.raw("</span>")
            }
        }
        axisNote(into: &out)
        out.raw("</div></div>\n")
    }

    func nodeAttributes(_ i: Int, into out: inout HTMLBuffer) {
        let span = run.run.nodes[i].span
        out.attribute("data-span-id", span.spanID)
        out.raw(" data-kind=\"")
        out.raw(span.kind.rawValue)
        out.raw("\" data-depth=\"")
        out.int(run.run.nodes[i].depth)
        out.raw("\"")
        criticalAttribute(i, into: &out)
    }

    func rowAttributes(_ i: Int, into out: inout HTMLBuffer) {
        let node = run.run.nodes[i]
        out.raw(" class=\"row")
        if node.span.error != nil { out.raw(" has-error") }
        if !node.repairs.isEmpty { out.raw(" repaired") }
        out.raw("\" style=\"--depth:")
        out.int(node.depth)
        out.raw("\"")
    }

    func rowCells(_ i: Int, into out: inout HTMLBuffer) {
        let node = run.run.nodes[i]
        let span = node.span
        let m = run.metrics[i]
        out.raw("<span class=\"col-name\"><span class=\"badge k-")
        out.raw(span.kind.rawValue)
        out.raw("\">")
        out.text(span.kind == .span ? span.kindName : span.kind.rawValue)
        out.raw("</span><a class=\"span-link\" href=\"#")
        out.text(anchors[i])
        out.raw("\"")
        out.attribute("title", Self.fullName(span))
        out.raw(">")
        out.text(span.name)
        out.raw("</a>")
        Self.rowTags(span, into: &out)
        descendantErrorMarker(i, into: &out)
        if let error = span.error {
            out.raw("<span class=\"err-marker\"")
            out.attribute("title", Self.errorSummary(error))
            out.raw(">!</span>")
        }
        Self.droppedFieldsMarker(span, into: &out)
        for repair in node.repairs {
            out.raw("<span class=\"repair\"")
            out.attribute("title", repair.explanation)
            out.raw(">")
            out.raw(repair.label)
            out.raw("</span>")
        }
        out.raw("</span><span class=\"col-dur\">")
        durationCell(i, into: &out)
        out.raw("</span><span class=\"col-tok\"")
        if m.tokensTotal != m.tokensSelf {
            out.attribute(
                "title",
                Formatting.count(m.tokensSelf) + " self, " + Formatting.count(m.tokensTotal) + " with descendants")
        }
        out.raw(">")
        if m.tokensTotal > 0 { out.text(Formatting.count(m.tokensTotal)) }
        out.raw("</span><span class=\"col-wf\">")
        if span.timeSource == .placeholder || span.startTimeUnixNano == nil {
            orderBar(i, into: &out)
        } else if let base = timeBase, let start = span.startTimeUnixNano {
            let end = span.endTimeUnixNano ?? base.start.saturatingAdd(base.length)
            out.raw("<span class=\"bar k-")
            out.raw(span.kind.rawValue)
            if span.error != nil { out.raw(" bar-error") }
            if span.endTimeUnixNano == nil { out.raw(" bar-open") }
            out.raw("\" style=\"left:")
            out.raw(Self.percent(start.saturatingSubtract(base.start), of: base.length))
            out.raw("%;width:")
            out.raw(Self.percent(max(0, end.saturatingSubtract(start)), of: base.length))
            out.raw("%\"></span>")
        }
        criticalSegments(i, into: &out)
        out.raw("</span>")
    }

    /// `part / whole` as a percentage with three decimals, clamped to 0…100.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        let clamped = min(max(part, 0), whole)
        let thousandths = Int64((Double(clamped) / Double(whole) * 100_000).rounded())
        var text = Formatting.decimal(thousandths, places: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Tick offsets at a round step (1, 2 or 5 × 10^k ns), at most six, with labels.
    static func ticks(length: Int64) -> [(Int64, String)] {
        var step: Int64 = 1
        while length / step > 5 {
            let digits = String(step)
            if digits.hasPrefix("1") {
                step *= 2
            } else if digits.hasPrefix("2") {
                step = step / 2 * 5
            } else {
                step *= 2
            }
        }
        var ticks: [(Int64, String)] = []
        var t: Int64 = 0
        while t <= length {
            ticks.append((t, t == 0 ? "0" : Formatting.duration(t)))
            guard t <= length - step else { break }
            t += step
        }
        return ticks
    }

    // MARK: - Details

    private mutating func details(into out: inout HTMLBuffer) {
        out.raw(
            "<section class=\"details\" aria-label=\"Span details\">\n<p class=\"details-hint\">Select a span to see its input, output and metadata.</p>\n"
        )
        for i in run.run.nodes.indices {
            detail(i, into: &out)
        }
        out.raw("</section>\n")
    }

    mutating func detail(_ i: Int, into out: inout HTMLBuffer) {
        let node = run.run.nodes[i]
        let span = node.span
        let m = run.metrics[i]
        out.raw("<article class=\"span-detail\" id=\"")
        out.text(anchors[i])
        out.raw("\"")
        out.attribute("data-span-id", span.spanID)
        out.raw("><h2><span class=\"badge k-")
        out.raw(span.kind.rawValue)
        out.raw("\">")
        out.text(span.kind == .span ? span.kindName : span.kind.rawValue)
        out.raw("</span> ")
        out.text(span.name)
        out.raw("</h2>\n<dl class=\"facts\">")
        if Self.fullName(span) != span.name, let original = span.metadata["span.name"]?.stringValue {
            fact("Recorded name", original, into: &out)
        }
        fact(
            "Status",
            span.error != nil
                ? "error" : (span.startTimeUnixNano != nil && span.endTimeUnixNano == nil ? "unfinished" : "ok"),
            into: &out)
        let timed = span.timeSource != .placeholder
        if timed, let offset = m.offsetNanos {
            let at = offset == 0 ? "the run's start" : "+" + Formatting.duration(offset)
            fact("Starts at", at + (span.timeSource == .derived ? " (derived)" : ""), into: &out)
        }
        fact("Duration", spanDurationText(i), into: &out)
        timeToFirstTokenFact(span, into: &out)
        if span.timeSource == .recorded, let s = m.selfNanos, node.hasChildren(at: i) {
            fact("Self time", Formatting.duration(s) + " (not covered by child spans)", into: &out)
        }
        if let model = span.model { fact("Model", model, into: &out) }
        let u = span.usage
        if u.tokens != nil {
            var text = Formatting.count(u.tokens ?? 0) + " (this span)"
            if u.inputTokens != nil || u.outputTokens != nil {
                text +=
                    ": " + (u.inputTokens.map(Formatting.count) ?? Self.notRecorded) + " in, "
                    + (u.outputTokens.map(Formatting.count) ?? Self.notRecorded) + " out"
            }
            fact("Tokens", text, into: &out)
        }
        if node.hasChildren(at: i), m.tokensTotal > 0 {
            fact("Tokens, subtree", Formatting.count(m.tokensTotal) + " (this span and its descendants)", into: &out)
        }
        if let cost = u.cost { fact("Cost", Formatting.cost(cost) + " (this span)", into: &out) }
        if node.hasChildren(at: i), m.costTotal > 0 {
            fact("Cost, subtree", Formatting.cost(m.costTotal) + " (this span and its descendants)", into: &out)
        }
        fact("Span ID", span.spanID, into: &out)
        if let p = span.parentSpanID { fact("Parent ID", p, into: &out) }
        for repair in node.repairs { fact("Repaired", repair.explanation, into: &out) }
        out.raw("</dl>\n")
        if !span.scores.isEmpty {
            out.raw("<div class=\"scores\">")
            for score in span.scores { Self.score(score, into: &out) }
            out.raw("</div>\n")
        }
        if !span.labels.isEmpty {
            Self.labels(span.labels, into: &out)
            out.raw("\n")
        }
        if let error = span.error {
            out.raw("<div class=\"error-box\">")
            if let type = error.type {
                out.raw("<strong>")
                out.text(type)
                out.raw("</strong>: ")
            }
            out.text(error.message)
            if let stack = error.stack {
                Self.stack(stack, into: &out)
            }
            out.raw("</div>\n")
        }
        droppedFields(span, into: &out)
        toolSpanCallLink(span, into: &out)
        if let input = span.input {
            out.raw("<section class=\"io\"><h3>Input</h3>")
            content.render(input, as: .input, kind: span.kind, into: &out)
            out.raw("</section>\n")
        }
        if let output = span.output {
            out.raw("<section class=\"io\"><h3>Output</h3>")
            content.render(output, as: .output, kind: span.kind, into: &out)
            out.raw("</section>\n")
        }
        events(span, into: &out)
        if !span.metadata.isEmpty {
            out.raw("<section class=\"meta\"><h3>Metadata</h3>")
            content.json(.object(span.metadata), into: &out)
            out.raw("</section>\n")
        }
        out.raw("</article>\n")
    }

    private func fact(_ title: StaticString, _ value: String, into out: inout HTMLBuffer) {
        out.raw("<div><dt>")
        out.raw(title)
        out.raw("</dt><dd>")
        out.text(value)
        out.raw("</dd></div>")
    }
}
