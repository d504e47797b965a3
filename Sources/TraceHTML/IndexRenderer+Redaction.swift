import TraceModel

// MARK: - Redaction manifest

extension IndexRenderer {
    /// The rules the report was redacted with and how often each fired; never the values.
    func redactionManifest(into out: inout HTMLBuffer) {
        guard let manifest = redaction else { return }
        out.raw("<section class=\"redaction\" aria-label=\"Redaction\" data-redaction-manifest")
        out.attribute("data-total", String(manifest.total))
        out.raw("><h2>Redacted</h2><p class=\"redaction-note\">")
        out.text(
            "This report was redacted before it was written: \(manifest.total) value\(manifest.total == 1 ? "" : "s") replaced by placeholders such as [email#1] (the same value, the same placeholder). The values themselves are not in the report."
        )
        out.raw(
            "</p><table class=\"stats redaction-rules\"><thead><tr><th>Rule</th><th>Kind</th><th>Replaced</th><th>Distinct values</th></tr></thead><tbody>"
        )
        for entry in manifest.entries {
            out.raw("<tr")
            out.attribute("data-rule", entry.name)
            out.attribute("data-count", String(entry.count))
            out.raw("><th><code>")
            out.text(entry.name)
            out.raw("</code></th><td>")
            out.text(entry.kind)
            out.raw("</td><td>")
            out.int(entry.count)
            out.raw("</td><td>")
            out.int(entry.values)
            out.raw("</td></tr>")
        }
        out.raw("</tbody></table></section>\n")
    }
}
