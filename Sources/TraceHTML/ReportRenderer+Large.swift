import TraceEval
import TraceJSON
import TraceMarkdown
import TraceModel

// MARK: - Reports of many runs

extension ReportRenderer {
    /// Rows rendered in a large index for readers without JavaScript; these runs get pages.
    static let noScriptRows = 20
    /// At most this many runs get a page of their own in a large report, besides those asked
    /// for with ``ReportOptions/pages``: every page repeats the report's style and script
    /// (about 100 KB), so a page for each of 2,500 failed runs would outweigh the whole index.
    static let maxChosenPages = 50

    /// Whether each run gets a page of its own in a large report: the runs of
    /// ``ReportOptions/pages``; then, up to ``maxChosenPages``, the rows shown without
    /// JavaScript, one example run per recurring failure, and failed runs in start order.
    func chosenPages(_ runs: [AnalyzedRun], order: [Int], fileStems: [String], eval: EvalReport) -> [Bool] {
        if options.allPages { return Array(repeating: true, count: runs.count) }
        var chosen = Array(repeating: false, count: runs.count)
        let asked = Set(options.pages)
        for (i, run) in runs.enumerated() where asked.contains(run.run.traceID) { chosen[i] = true }
        var budget = Self.maxChosenPages
        func choose(_ i: Int) {
            guard budget > 0, !chosen[i] else { return }
            chosen[i] = true
            budget -= 1
        }
        order.prefix(Self.noScriptRows).forEach(choose)
        let position = Dictionary(runs.indices.map { (runs[$0].run.traceID, $0) }, uniquingKeysWith: { a, _ in a })
        let groups = FailureGroups(runs: runs, pages: fileStems.map { "runs/\($0).html" }, eval: eval)
        for group in groups.bySignature + groups.byLabel {
            if let i = position[group.example.traceID] { choose(i) }
        }
        for i in order where runs[i].status == .error { choose(i) }
        return chosen
    }

    /// Run positions in start order; runs without a recorded start last, in input order.
    static func startOrder(_ runs: [AnalyzedRun]) -> [Int] {
        let starts = runs.map { RunPageRenderer.clockTimesRecorded($0) ? $0.startTimeUnixNano : nil }
        return runs.indices.sorted { a, b in
            switch (starts[a], starts[b]) {
            case (let x?, let y?): x != y ? x < y : a < b
            case (nil, nil): a < b
            case (nil, _): false
            case (_, nil): true
            }
        }
    }

    /// A large report: the chosen run pages, and an index that carries its table and every
    /// run's page body as data; with ``complete``, each run's row text, by position.
    func renderLarge(
        _ runs: [AnalyzedRun], fileStems stems: [String], eval: EvalReport, problems: ReportProblems,
        problemsByRun: [String: [ReportProblems.Item]], markdownCache: MarkdownCache
    ) -> (files: [OutputFile], rowTexts: [RowText]?) {
        let order = Self.startOrder(runs)
        let hasPage = chosenPages(runs, order: order, fileStems: stems, eval: eval)
        let bounds = IndexData.bodyChunks(spanCounts: order.map { runs[$0].run.nodes.count })
        // Each chunk's runs are made whole by the thread that renders them, so that only the
        // chunks being rendered are whole at once.
        let chunks = ParallelRunner.map(count: bounds.count, jobs: options.parallelism) { c in
            // The runs made whole are released before the bodies are packed.
            let (bodies, pages, texts) = chunkBodies(
                Array(order[bounds[c]]), runs: runs, fileStems: stems, hasPage: hasPage, problemsByRun: problemsByRun,
                markdownCache: markdownCache)
            return (
                first: bounds[c].lowerBound, packed: IndexData.pack(fragments: consume bodies), pages: pages,
                texts: texts
            )
        }
        var texts: [RowText]? = nil
        if complete != nil {
            var byPosition = [RowText](repeating: RowText(), count: runs.count)
            for (c, chunk) in chunks.enumerated() {
                for (k, i) in order[bounds[c]].enumerated() { byPosition[i] = chunk.texts[k] }
            }
            texts = byPosition
        }
        let large = LargeIndex(
            order: order, hasPage: hasPage, bodyChunks: chunks.map { ($0.first, $0.packed) },
            noScriptRows: Self.noScriptRows,
            parallelism: options.parallelism)
        var files = chunks.flatMap(\.pages)
        files.append(
            renderIndex(
                runs, fileStems: stems, eval: eval, problems: problems, failureGroups: nil, rowTexts: texts,
                large: large))
        files.sort { $0.relativePath < $1.relativePath }
        return (files, texts)
    }

    /// The page bodies of the runs at `positions`, the pages of those that get one, and (with
    /// ``complete``) their row texts; the runs are made whole here, on this thread.
    private func chunkBodies(
        _ positions: [Int], runs: [AnalyzedRun], fileStems stems: [String], hasPage: [Bool],
        problemsByRun: [String: [ReportProblems.Item]], markdownCache: MarkdownCache
    ) -> (bodies: [[UInt8]], pages: [OutputFile], texts: [RowText]) {
        let whole = complete?(positions.map { runs[$0] }, 1)
        var bodies: [[UInt8]] = []
        var pages: [OutputFile] = []
        var texts: [RowText] = []
        for (k, i) in positions.enumerated() {
            let run = whole?[k] ?? runs[i]
            let body = runPageBody(
                run, fileStem: stems[i], problems: problemsByRun[run.run.traceID] ?? [], markdownCache: markdownCache)
            if hasPage[i] { pages.append(runPage(run, fileStem: stems[i], body: body)) }
            if whole != nil { texts.append(IndexRenderer.rowText(run)) }
            bodies.append(body)
            onPageRendered?()
        }
        return (bodies, pages, texts)
    }
}
