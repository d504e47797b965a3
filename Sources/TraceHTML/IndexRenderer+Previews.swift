import TraceEval
import TraceJSON
import TraceModel

/// One-line previews of each run's input, output and expected output in the index. The line
/// holds the text (up to ``previewCharacters``) and CSS cuts it to one line, so the filter finds
/// words past the cut; the full text is on hover.
extension IndexRenderer {
    /// How much of a value a preview holds.
    static let previewCharacters = 1000

    func previews(_ run: AnalyzedRun, position: Int, into out: inout HTMLBuffer) {
        let known = knownRowTexts.flatMap { position < $0.count ? $0[position] : nil }
        let text = known ?? Self.rowText(run)
        if let metadata = text.metadata {
            out.raw("<span class=\"run-meta-text\" hidden>")
            out.text(ContentRenderer.preview(metadata, characters: Self.previewCharacters))
            out.raw("</span>")
        }
        let items = [
            ("input", "In", text.input), ("output", "Out", text.output), ("expected", "Expected", text.expected),
        ]
        guard items.contains(where: { $0.2 != nil }) else { return }
        out.raw("<div class=\"run-previews\">")
        for (kind, label, value) in items {
            guard let value else { continue }
            out.raw("<div class=\"preview\" data-preview=\"")
            out.raw(kind)
            out.raw("\"")
            out.attribute("title", value)
            out.raw("><span class=\"preview-label\">")
            out.raw(label)
            out.raw("</span> ")
            out.text(ContentRenderer.preview(value, characters: Self.previewCharacters))
            out.raw("</div>")
        }
        out.raw("</div>")
    }

    /// The searchable text of `run`'s index row.
    static func rowText(_ run: AnalyzedRun) -> RowText {
        var metadata = run.run.info?.metadata ?? JSONObject()
        var keys = Set(metadata.members.map(\.key))
        for member in run.run.root?.metadata.members ?? [] where keys.insert(member.key).inserted {
            metadata.members.append(member)
        }
        let parts = metadata.members.compactMap { member -> String? in
            switch member.value {
            case .string(let s): "\(member.key)=\(s)"
            case .number(let n): "\(member.key)=\(n.text)"
            case .bool(let b): "\(member.key)=\(b)"
            default: nil
            }
        }
        var text = RowText(
            metadata: parts.isEmpty
                ? nil : ContentRenderer.preview(parts.joined(separator: " "), characters: previewCharacters))
        let glance = RunGlance(run)
        func preview(_ content: SpanContent?) -> String? {
            content.map { ContentRenderer.preview(RunGlance.plainText($0.value), characters: 4 * previewCharacters) }
        }
        text.input = preview(glance.input)
        text.output = preview(glance.output)
        text.expected = preview(glance.expected)
        return text
    }
}
