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
