import TraceModel

/// The page of a large run: the header and the top of the tree as HTML, the whole run as
/// ``RunData`` in inert script elements, drawn by `assets/run-viewer.js` a screenful at a time.
extension RunPageRenderer {
    /// Runs with more spans than this get a data page. Measured on generated agent runs in
    /// headless Chromium on a busy two-core machine, from opening the page until a click shows a
    /// span's details: the fully rendered page takes 1.5 s at 250 and 500 spans, 1.2–2.4 s at
    /// 1,000, 3.2–3.7 s at 2,000, 6–8 s at 5,000 and 12–14 s at 10,000; a data page takes
    /// 0.8–1.5 s at any of these sizes. At 1,000 spans the two are even, so smaller runs keep
    /// the page that needs no script.
    static let dataPageThreshold = 1000
    /// Rows of the tree written as HTML on a data page (before the way to the first error).
    static let previewRows = 150

    /// Whether `run` gets a data page.
    static func usesDataPage(_ run: AnalyzedRun) -> Bool {
        run.run.nodes.count > dataPageThreshold
    }

    /// The spans a data page writes as HTML rows: the first ``previewRows`` in tree order and the
    /// first error with its ancestors, in tree order.
    func previewIndices() -> [Int] {
        let nodes = run.run.nodes
        var set = Set(0..<min(nodes.count, Self.previewRows))
        var i = run.firstErrorIndex
        while let j = i {
            set.insert(j)
            i = nodes[j].parent
        }
        return set.sorted()
    }

    /// The body of a data page; the span table and the details chunks go to `data`, which the
    /// page writes after its scripts.
    mutating func dataBody(into out: inout HTMLBuffer, data dataOut: inout HTMLBuffer, jobs: Int) {
        let nodes = run.run.nodes
        header(into: &out)
        let shown = previewIndices()
        let (data, kept) = runData(keeping: Set(shown), jobs: jobs)
        out.raw("<main class=\"run-main\">\n")
        treeHead(into: &out)
        out.raw("<div class=\"tree tree-preview\">\n")
        var openDetails: [Int] = []
        let shownSet = Set(shown)
        for i in shown {
            let node = nodes[i]
            while let last = openDetails.last, last >= node.depth {
                out.raw("</details>\n")
                openDetails.removeLast()
            }
            let shownChildren = node.hasChildren(at: i) && shownSet.contains(i + 1)
            if shownChildren && node.depth < Self.nestingLimit {
                out.raw("<details class=\"node\" open")
                nodeAttributes(i, into: &out)
                nodeRow(i, summary: true, into: &out)
                openDetails.append(node.depth)
            } else {
                out.raw("<div class=\"node leaf\"")
                nodeAttributes(i, into: &out)
                nodeRow(i, summary: false, into: &out)
            }
        }
        for _ in openDetails { out.raw("</details>\n") }
        out.raw("</div>\n<p class=\"preview-note\">")
        let more = nodes.count - shown.count
        out.text(
            "This run has \(Formatting.count(Int64(nodes.count))) spans. The \(Formatting.count(Int64(shown.count))) above are the top of the tree"
                + (run.firstErrorIndex != nil ? " and the way to the first error" : "")
                + "; the full view holds \(Formatting.count(Int64(more))) more rows, with search, and needs JavaScript."
        )
        out.raw("</p>\n</section>\n")
        out.raw(
            "<section class=\"details\" aria-label=\"Span details\">\n<p class=\"details-hint\">Select a span to see its input, output and metadata.</p>\n"
        )
        for i in shown { out.raw(bytes: kept[i] ?? []) }
        out.raw("</section>\n</main>\n")
        Self.tableScript(data, into: &dataOut)
        Self.detailsScripts(data, into: &dataOut)
    }

    /// The span table as an inert script element (never executed: its type is not a script type).
    static func tableScript(_ data: RunData, into out: inout HTMLBuffer) {
        out.raw("<script type=\"application/octet-stream\" id=\"run-table\">")
        Base64.encode(data.table, into: &out.bytes)
        out.raw("</script>\n")
    }

    /// The details chunks as inert script elements, in span order.
    static func detailsScripts(_ data: RunData, into out: inout HTMLBuffer) {
        for chunk in data.details {
            out.raw("<script type=\"application/octet-stream\" class=\"run-details\" data-first=\"")
            out.int(chunk.first)
            out.raw("\" data-count=\"")
            out.int(chunk.count)
            out.raw("\">")
            Base64.encode(chunk.deflated, into: &out.bytes)
            out.raw("</script>\n")
        }
    }
}
