import TraceModel

// MARK: - Critical path

extension RunPageRenderer {
    /// The name a node's kind is shown with (the badge text) and its colour class.
    private func kindLabel(_ i: Int) -> (name: String, cssKind: String) {
        let span = run.run.nodes[i].span
        return (span.kind == .span ? span.kindName : span.kind.rawValue, span.kind.rawValue)
    }

    /// `data-critical="true"` on a node on the critical path.
    func criticalAttribute(_ i: Int, into out: inout HTMLBuffer) {
        if criticalPath.isCritical[i] { out.raw(" data-critical=\"true\"") }
    }

    /// The node's stretches of critical time, drawn over its waterfall bar.
    func criticalSegments(_ i: Int, into out: inout HTMLBuffer) {
        guard criticalPath.isCritical[i], let start = run.startTimeUnixNano, let end = run.endTimeUnixNano else {
            return
        }
        let length = max(1, end - start)
        for segment in criticalPath.segments(of: i) {
            out.raw("<span class=\"crit-seg\" style=\"left:")
            out.raw(Self.percent(segment.start - start, of: length))
            out.raw("%;width:")
            out.raw(Self.percent(segment.nanos, of: length))
            out.raw("%\"></span>")
        }
    }

    /// The header line with the share of the run's time each kind took on the critical path.
    func criticalSummary(into out: inout HTMLBuffer) {
        guard let total = run.durationNanos, total > 0, !criticalPath.segments.isEmpty else { return }
        var cssKinds: [String: String] = [:]
        for i in run.run.nodes.indices where criticalPath.isCritical[i] {
            let label = kindLabel(i)
            cssKinds[label.name] = label.cssKind
        }
        let shares = criticalPath.nanosByKind { kindLabel($0).name }
        out.raw(
            "<p class=\"critical-summary\" data-critical-summary><span class=\"critical-title\">Critical path</span> ")
        for (n, share) in shares.enumerated() {
            if n > 0 { out.raw(" · ") }
            out.raw("<span class=\"critical-share\"")
            out.attribute("data-kind", share.kind)
            out.attribute("data-nanos", String(share.nanos))
            out.attribute("title", Formatting.duration(share.nanos) + " of " + Formatting.duration(total))
            out.raw(">")
            if let css = cssKinds[share.kind] {
                out.raw("<span class=\"badge k-")
                out.raw(css)
                out.raw("\">")
                out.text(share.kind)
                out.raw("</span>")
            } else {
                out.raw("<span class=\"critical-gap\">")
                out.text(share.kind)
                out.raw("</span>")
            }
            out.raw(" ")
            out.text(Self.share(share.nanos, of: total))
            out.raw("</span>")
        }
        out.raw(" <span class=\"critical-hint\">of the run's time")
        out.raw("</span></p>\n")
    }

    /// `part / whole` as a percentage with one decimal: `42.5%`.
    static func share(_ part: Int64, of whole: Int64) -> String {
        let permille = Int64((Double(part) / Double(max(1, whole)) * 1000).rounded())
        return Formatting.decimal(permille, places: 1) + "%"
    }
}
