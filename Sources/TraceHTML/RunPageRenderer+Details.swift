import TraceJSON
import TraceModel

/// The span details: one article per span with its facts, scores, error, input, output, events and metadata.
extension RunPageRenderer {
    mutating func details(into out: inout HTMLBuffer) {
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
        if let input = span.inputContent {
            out.raw("<section class=\"io\"><h3>Input</h3>")
            content.render(input, as: .input, kind: span.kind, into: &out)
            out.raw("</section>\n")
        }
        if let output = span.outputContent {
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
