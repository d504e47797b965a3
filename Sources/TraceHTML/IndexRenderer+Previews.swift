import TraceJSON
import TraceModel

/// One-line previews of each run's input, output and expected output in the index. The line
/// holds the text (up to ``previewCharacters``) and CSS cuts it to one line, so the filter finds
/// words past the cut; the full text is on hover.
extension IndexRenderer {
    /// How much of a value a preview holds.
    static let previewCharacters = 1000

    func previews(_ run: AnalyzedRun, into out: inout HTMLBuffer) {
        metadataText(run, into: &out)
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

    /// The run's metadata values as hidden text in its row, so the filter finds a run by them.
    func metadataText(_ run: AnalyzedRun, into out: inout HTMLBuffer) {
        var metadata = run.run.info?.metadata ?? JSONObject()
        for member in run.run.root?.metadata.members ?? [] where metadata[member.key] == nil { metadata.members.append(member) }
        let parts = metadata.members.compactMap { member -> String? in
            switch member.value {
            case .string(let s): "\(member.key)=\(s)"
            case .number(let n): "\(member.key)=\(n.text)"
            case .bool(let b): "\(member.key)=\(b)"
            default: nil
            }
        }
        guard !parts.isEmpty else { return }
        out.raw("<span class=\"run-meta-text\" hidden>")
        out.text(ContentRenderer.preview(parts.joined(separator: " "), characters: Self.previewCharacters))
        out.raw("</span>")
    }
}
