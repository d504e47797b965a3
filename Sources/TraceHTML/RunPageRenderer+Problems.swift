import TraceJSON
import TraceModel

/// Problems on a run page: a marker in the header listing what was skipped, repaired or
/// dropped among the run's records, and each dropped field on its span with the raw value.
extension RunPageRenderer {
    /// The header marker and its list, when the run's records had problems.
    func problemsMarker(into out: inout HTMLBuffer) {
        guard !problems.isEmpty else { return }
        let n = problems.count
        out.raw("\n<details class=\"run-problems\" data-run-problems=\"")
        out.int(n)
        out.raw("\"><summary><span class=\"problem-marker\">")
        out.text(
            n == 1 ? "1 problem in this run's input" : "\(Formatting.count(Int64(n))) problems in this run's input")
        out.raw("</span></summary><ul>")
        for item in problems { IndexRenderer.problemItem(item, into: &out) }
        out.raw("</ul></details>")
    }

    /// A marker on a span row whose record lost fields.
    static func droppedFieldsMarker(_ span: Span, into out: inout HTMLBuffer) {
        guard !span.droppedFields.isEmpty else { return }
        out.raw("<span class=\"repair dropped\"")
        out.attribute("title", span.droppedFields.map { "\($0.field) dropped: \($0.reason)" }.joined(separator: "; "))
        out.raw(">dropped</span>")
    }

    /// The fields of a span's record that were left out, each with its raw value and a warning.
    func droppedFields(_ span: Span, into out: inout HTMLBuffer) {
        guard !span.droppedFields.isEmpty else { return }
        out.raw(
            "<section class=\"dropped-fields\" data-dropped-fields><h3>Dropped fields</h3><p class=\"dropped-hint\">These fields had the wrong type and were left out; the values below are as written, and nothing was read from them.</p><table class=\"kv\"><tbody>"
        )
        for field in span.droppedFields {
            out.raw("<tr")
            out.attribute("data-field", field.field)
            out.raw("><th>")
            out.text(field.field)
            out.raw("</th><td><span class=\"field-warning\">")
            out.text(field.reason)
            out.raw("</span> <code class=\"raw-value\">")
            out.text(JSONWriter.write(field.rawValue, pretty: false))
            out.raw("</code></td></tr>")
        }
        out.raw("</tbody></table></section>\n")
    }
}
