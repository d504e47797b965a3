import TraceJSON
import TraceModel

/// The run header's glance: input, output and expected output, rendered, so a reader sees what
/// the run was about before opening any span.
extension RunPageRenderer {
    mutating func glance(into out: inout HTMLBuffer) {
        let glance = RunGlance(run)
        guard !glance.isEmpty else { return }
        out.raw("<section class=\"run-glance\" aria-label=\"Input and output\">\n")
        if let input = glance.input {
            out.raw("<div class=\"glance glance-input\" data-run-input><h2>Input</h2>")
            glanceValue(input, into: &out)
            out.raw("</div>\n")
        }
        if glance.output != nil || glance.expected != nil {
            out.raw("<div class=\"glance-pair\">")
            out.raw("<div class=\"glance glance-output\" data-run-output><h2>Output</h2>")
            if let output = glance.output {
                glanceValue(output, into: &out)
            } else {
                out.raw("<p class=\"unknown\">not recorded</p>")
            }
            out.raw("</div>")
            if let expected = glance.expected {
                out.raw("<div class=\"glance glance-expected\" data-run-expected><h2>Expected</h2>")
                glanceValue(expected, into: &out)
                out.raw("</div>")
            }
            out.raw("</div>\n")
        }
        out.raw("</section>\n")
    }

    private mutating func glanceValue(_ value: JSONValue, into out: inout HTMLBuffer) {
        if case .string(let text) = value, text.utf8.count > ContentRenderer.markdownByteLimit {
            // A text this long is shown once, in its span's detail; the header previews it.
            out.raw("<p class=\"glance-long\">")
            out.text(ContentRenderer.preview(text, characters: 600))
            out.raw(" <span class=\"fold-size\">(")
            out.raw(Formatting.count(Int64(text.utf8.count)))
            out.raw(" bytes; shown in full in its span\u{2019}s detail)</span></p>")
            return
        }
        content.renderText(value, kind: .agent, into: &out)
    }
}

extension RunPageRenderer {
    /// On a tool span, the id of the call it ran, linking to the call in the model's output.
    func toolSpanCallLink(_ span: Span, into out: inout HTMLBuffer) {
        guard let id = ToolCallIndex.callID(of: span), content.toolCalls.names[id] != nil else { return }
        out.raw("<p class=\"tool-links\">Runs the call <a class=\"tool-link tool-ref\" href=\"#")
        out.text(ToolCallIndex.elementID("call-", id))
        out.raw("\">")
        out.text(id)
        out.raw("</a>")
        if content.toolCalls.resultIDs.contains(id) {
            out.raw(" · <a class=\"tool-link\" href=\"#")
            out.text(ToolCallIndex.elementID("result-", id))
            out.raw("\">its result</a>")
        }
        out.raw("</p>\n")
    }
}
