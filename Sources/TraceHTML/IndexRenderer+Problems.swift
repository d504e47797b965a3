import TraceModel

/// The index's Problems section: what loading skipped, repaired or dropped, so a report never
/// hides that part of its input could not be shown.
extension IndexRenderer {
    /// Lists longer than this start folded.
    static let problemsOpenLimit = 10

    func problemsSection(into out: inout HTMLBuffer) {
        guard !problems.isEmpty else { return }
        out.raw(
            "<section class=\"problems\" data-problems aria-label=\"Problems\"><h2>Problems in the input</h2>\n<p class=\"problem-counts\">"
        )
        var first = true
        for kind in ReportProblems.Kind.allCases {
            let n = problems.count(kind)
            guard n > 0 else { continue }
            if !first { out.raw(" · ") }
            first = false
            out.raw("<span class=\"problem-count\" data-kind=\"")
            out.raw(kind.rawValue)
            out.raw("\" data-count=\"")
            out.int(n)
            out.raw("\">")
            out.text(Formatting.count(Int64(n)) + " " + kind.title + (n == 1 ? "" : "s"))
            out.raw("</span>")
        }
        out.raw("</p>\n")
        if !problems.lostRuns.isEmpty {
            out.raw("<p class=\"lost-runs\">")
            out.text(
                problems.lostRuns.count == 1
                    ? "1 run could not be read at all and has no page: "
                    : "\(problems.lostRuns.count) runs could not be read at all and have no page: ")
            for (i, lost) in problems.lostRuns.enumerated() {
                if i > 0 { out.raw(", ") }
                out.raw("<span class=\"run-id\"")
                out.attribute("data-lost-run", lost.traceID)
                out.raw(">")
                out.text(lost.traceID)
                out.raw("</span> (")
                out.text(Formatting.count(Int64(lost.lines)) + (lost.lines == 1 ? " skipped line" : " skipped lines"))
                out.raw(")")
            }
            out.raw("</p>\n")
        }
        let items = problems.items
        out.raw(
            items.count <= Self.problemsOpenLimit
                ? "<details class=\"problem-list\" open>" : "<details class=\"problem-list\">")
        out.raw("<summary>")
        out.text(
            items.count == 1 ? "1 problem, by line" : "All \(Formatting.count(Int64(items.count))) problems, by line")
        out.raw("</summary><ul>")
        for item in items {
            Self.problemItem(item, into: &out)
        }
        out.raw("</ul></details>\n</section>\n")
    }

    /// One problem as a list item: place, kind, message and run.
    static func problemItem(_ item: ReportProblems.Item, into out: inout HTMLBuffer) {
        out.raw("<li class=\"problem\" data-kind=\"")
        out.raw(item.kind.rawValue)
        out.raw("\"><code class=\"problem-place\">")
        out.text(item.place)
        out.raw("</code> <span class=\"problem-kind\">")
        out.text(item.kind.title)
        out.raw("</span> <span class=\"problem-message\">")
        out.text(item.message)
        out.raw("</span>")
        if let id = item.traceID {
            out.raw(" <span class=\"run-id\">")
            out.text(id)
            out.raw("</span>")
        }
        out.raw("</li>")
    }
}

extension IndexRenderer {
    /// `text`, or a muted "not recorded" when the input holds no value.
    static func valueOrUnknown(_ text: String?, into out: inout HTMLBuffer) {
        if let text {
            out.text(text)
        } else {
            out.raw("<span class=\"unknown\">not recorded</span>")
        }
    }
}
