import TraceJSON
import TraceModel

/// What a tree row adds to a span's name so a reader recognises it: the model of a model call,
/// the agent and the service that ran it, the full name on hover; and, on a parent, that a
/// span below it failed, visible while it is collapsed.
extension RunPageRenderer {
    /// The full name of a span for hover text: the name, and the recorded name when a
    /// convention renamed it.
    static func fullName(_ span: Span) -> String {
        if let original = span.metadata["span.name"]?.stringValue, original != span.name {
            return "\(span.name) (\(original))"
        }
        return span.name
    }

    /// Short tags after a span's name: model, agent, service.
    static func rowTags(_ span: Span, into out: inout HTMLBuffer) {
        var tags: [(StaticString, String, String)] = []
        if let model = span.model, span.kind == .llm || span.kind == .embedding, !span.name.contains(model) {
            tags.append(("tag-model", model, "model"))
        }
        if let agent = span.metadata["gen_ai.agent.name"]?.stringValue, !agent.isEmpty, !span.name.contains(agent) {
            tags.append(("tag-agent", agent, "agent"))
        }
        if let service = (span.metadata["service.name"] ?? span.metadata["serviceName"])?.stringValue, !service.isEmpty,
            service != span.name
        {
            tags.append(("tag-service", service, "service"))
        }
        for (cls, text, what) in tags {
            out.raw("<span class=\"row-tag ")
            out.raw(cls)
            out.raw("\"")
            out.attribute("title", what + ": " + text)
            out.raw(">")
            out.text(text)
            out.raw("</span>")
        }
    }

    /// On a parent row, a marker that spans below it failed; the stylesheet shows it while the
    /// parent is collapsed.
    func descendantErrorMarker(_ i: Int, into out: inout HTMLBuffer) {
        let node = run.run.nodes[i]
        guard node.hasChildren(at: i) else { return }
        let below = run.metrics[i].errorsInSubtree - (node.span.error != nil ? 1 : 0)
        guard below > 0 else { return }
        out.raw("<span class=\"err-below\"")
        out.attribute("title", below == 1 ? "a span below this one failed" : "\(below) spans below this one failed")
        out.raw(">")
        out.text(below == 1 ? "1 failed below" : "\(Formatting.count(Int64(below))) failed below")
        out.raw("</span>")
    }

    /// Lines of a stack trace shown without scrolling: the last ones, where the exception is named.
    static let stackTailLines = 8

    /// A stack trace: its last lines always visible, the earlier ones folded above them.
    static func stack(_ stack: String, into out: inout HTMLBuffer) {
        var lines = stack.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        if lines.count > stackTailLines {
            let head = lines.count - stackTailLines
            out.raw("<details class=\"stack-head\"><summary>")
            out.text(head == 1 ? "1 earlier line" : "\(Formatting.count(Int64(head))) earlier lines")
            out.raw("</summary><pre class=\"stack\">")
            out.text(lines[..<head].joined(separator: "\n"))
            out.raw("</pre></details>")
            lines.removeFirst(head)
        }
        out.raw("<pre class=\"stack stack-tail\">")
        out.text(lines.joined(separator: "\n"))
        out.raw("</pre>")
    }
}

/// The span tree and its waterfall: nested `<details>` rows down to ``nestingLimit``, flat rows below, and the time axis.
extension RunPageRenderer {
    var timeBase: (start: Int64, length: Int64)? {
        guard let s = run.startTimeUnixNano, let e = run.endTimeUnixNano else { return nil }
        return (s, max(1, e.saturatingSubtract(s)))
    }

    func tree(into out: inout HTMLBuffer) {
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
                nodeRow(i, summary: true, into: &out)
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
                nodeRow(i, summary: false, into: &out)
            }
        }
        for _ in openDetails { out.raw("</details>\n") }
        out.raw("</div>\n</section>\n")
    }

    /// Closes a tree node's opening tag and writes its row: a `<summary>` for a node whose
    /// children follow inside it, otherwise a `<div>`, closing the node too.
    func nodeRow(_ i: Int, summary: Bool, into out: inout HTMLBuffer) {
        out.raw(summary ? "><summary" : "><div")
        rowAttributes(i, into: &out)
        out.raw(">")
        rowCells(i, into: &out)
        out.raw(summary ? "</summary>\n" : "</div></div>\n")
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
        rowMarks(i, into: &out)
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
}
