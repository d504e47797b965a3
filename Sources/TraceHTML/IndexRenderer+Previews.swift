import TraceModel

/// One-line previews of each run's input, output and expected output in the index. The line
/// holds the text (up to ``previewCharacters``) and CSS cuts it to one line, so the filter finds
/// words past the cut; the full text is on hover.
extension IndexRenderer {
    /// How much of a value a preview holds.
    static let previewCharacters = 1000

    func previews(_ run: AnalyzedRun, into out: inout HTMLBuffer) {
        let glance = RunGlance(run)
        guard !glance.isEmpty else { return }
        out.raw("<div class=\"run-previews\">")
        for (kind, label, value) in [("input", "In", glance.input), ("output", "Out", glance.output), ("expected", "Expected", glance.expected)] {
            guard let value else { continue }
            let text = RunGlance.plainText(value)
            out.raw("<div class=\"preview\" data-preview=\"")
            out.raw(kind)
            out.raw("\"")
            out.attribute("title", ContentRenderer.preview(text, characters: 4 * Self.previewCharacters))
            out.raw("><span class=\"preview-label\">")
            out.raw(label)
            out.raw("</span> ")
            out.text(ContentRenderer.preview(text, characters: Self.previewCharacters))
            out.raw("</div>")
        }
        out.raw("</div>")
    }
}
