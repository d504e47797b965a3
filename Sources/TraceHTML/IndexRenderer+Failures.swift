import TraceEval
import TraceModel

// MARK: - Recurring failures

extension IndexRenderer {
    /// The failing runs grouped by signature and by root-cause label.
    func failureGroups(into out: inout HTMLBuffer) {
        let groups =
            knownFailureGroups ?? FailureGroups(runs: runs, pages: fileStems.indices.map(runHref), eval: eval)
        guard !groups.isEmpty else { return }
        let failing = groups.bySignature.reduce(0) { $0 + $1.count }
        out.raw(
            "<section class=\"failure-groups\" aria-label=\"Recurring failures\"><h2>Recurring failures</h2><p class=\"failure-note\">"
        )
        out.text(
            "\(failing) failing run\(failing == 1 ? "" : "s") (failed, or a score below its threshold) in \(groups.bySignature.count) group\(groups.bySignature.count == 1 ? "" : "s"); numbers, ids, quoted values, URLs, e-mail addresses and paths are masked in signatures."
        )
        out.raw("</p>\n<ol class=\"failure-list\">\n")
        for group in groups.bySignature { failureGroup(group, attribute: "data-failure-group", into: &out) }
        out.raw("</ol>\n")
        if !groups.byLabel.isEmpty {
            out.raw("<h3>By root-cause label</h3>\n<ol class=\"failure-list failure-labels\">\n")
            for group in groups.byLabel { failureGroup(group, attribute: "data-failure-label", into: &out) }
            out.raw("</ol>\n")
        }
        out.raw("</section>\n")
    }

    private func failureGroup(_ group: FailureGroups.Group, attribute: StaticString, into out: inout HTMLBuffer) {
        out.raw("<li class=\"failure-group\"")
        out.attribute(attribute, group.key)
        out.raw(" data-count=\"")
        out.int(group.count)
        out.raw("\"><span class=\"failure-count\">")
        out.int(group.count)
        out.raw("×</span> <code class=\"failure-signature\">")
        out.text(group.key)
        out.raw("</code> <span class=\"failure-times\">")
        let first = group.firstStartTimeUnixNano.map(Timestamp.formatUTC) ?? "–"
        let last = group.lastStartTimeUnixNano.map(Timestamp.formatUTC) ?? "–"
        out.text(first == last ? first : first + " – " + last)
        out.raw("</span> <span class=\"failure-example\">e.g. ")
        runLink(group.example, into: &out)
        out.raw("</span><details class=\"failure-runs\"><summary>")
        out.text(group.count == 1 ? "1 run" : "All \(group.count) runs")
        out.raw("</summary><ul>")
        // A large index lists the first runs of a group and carries the others as data, drawn
        // when the list is opened: a group of 48,000 runs was 5.7 MB of links.
        let listed = large == nil ? group.members.count : min(group.members.count, Self.listedFailureRuns)
        for member in group.members.prefix(listed) { failureMember(member, of: group, into: &out) }
        if listed < group.members.count {
            let more = group.members.count - listed
            out.raw("<li class=\"failure-more\">")
            out.text("\(Formatting.count(Int64(more))) more run\(more == 1 ? "" : "s") (listed with JavaScript)")
            out.raw("</li></ul><script type=\"application/x-trace-report-failure-runs\" class=\"failure-runs-data\">")
            let items = group.members.dropFirst(listed).map { member -> [UInt8] in
                var html = HTMLBuffer(capacity: 256)
                failureMember(member, of: group, into: &html)
                return html.bytes
            }
            out.raw(bytes: IndexData.pack(fragments: items))
            out.raw("</script></details></li>\n")
        } else {
            out.raw("</ul></details></li>\n")
        }
    }

    /// Runs of a recurring failure listed in a large index; the rest are data.
    static let listedFailureRuns = 100

    private func failureMember(
        _ member: FailureGroups.Member, of group: FailureGroups.Group, into out: inout HTMLBuffer
    ) {
        out.raw("<li>")
        runLink(member, into: &out)
        if member.signature != group.key {
            out.raw(" <code class=\"failure-signature\">")
            out.text(member.signature)
            out.raw("</code>")
        }
        out.raw("</li>")
    }

    private func runLink(_ member: FailureGroups.Member, into out: inout HTMLBuffer) {
        if let page = member.page {
            out.raw("<a")
            out.attribute("href", page)
            out.attribute("data-failure-run", member.traceID)
            out.raw(">")
            out.text(member.name)
            out.raw("</a>")
        } else {
            out.text(member.name)
        }
        if member.name != member.traceID {
            out.raw(" <span class=\"run-id\">")
            out.text(member.traceID)
            out.raw("</span>")
        }
    }
}
