public import TraceEval
import TraceJSON
import TraceMarkdown
public import TraceModel

/// The render stage: turns analyzed runs into the files of a report (`index.html` and one page
/// per run under `runs/`). It never writes to disk.
///
/// Output bytes depend only on the runs, the options and the libcmark version: never on the
/// clock, the machine, hash seeds or ``ReportOptions/parallelism``.
public struct ReportRenderer: Sendable {
    /// The options in use.
    public var options: ReportOptions
    /// Called once per run page rendered, from any thread.
    public var onPageRendered: (@Sendable () -> Void)?
    /// Makes runs whole before they are rendered, a batch at a time on up to the given number
    /// of threads, when loading released their spans' inputs and outputs; `nil` when the runs
    /// given are whole.
    public var complete: (@Sendable ([AnalyzedRun], _ jobs: Int) -> [AnalyzedRun])?

    /// Creates a renderer.
    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    /// Renders the whole report, files sorted by path.
    ///
    /// Above ``ReportOptions/largeReportRuns`` runs, `index.html` carries every row and every
    /// run's page as compressed data, and only the runs that matter get a page under `runs/`
    /// (see `chosenPages`).
    ///
    /// - Parameters:
    ///   - runs: The analyzed runs, in the order the index lists them.
    ///   - eval: The eval reading of the runs (baseline, thresholds, facets, gates); by default
    ///     the runs' own scores with default thresholds.
    ///   - problems: What loading skipped, repaired or dropped: listed on the index and marked
    ///     on the pages of the runs concerned.
    public func render(
        _ runs: [AnalyzedRun], eval: EvalReport? = nil, problems: ReportProblems = ReportProblems()
    ) -> [OutputFile] {
        var files: [OutputFile] = []
        render(runs, eval: eval, problems: problems) { files.append($0) }
        files.sort { $0.relativePath < $1.relativePath }
        return files
    }

    /// Renders the whole report, handing each file to `write` as soon as it is made, so a
    /// caller that writes them out holds a batch of pages at a time, not the report: run pages
    /// in batches (rendered in parallel, handed over in run order), then `index.html`.
    ///
    /// - Returns: With ``complete``, the searchable text of each run's index row (read from the
    ///   whole run, as ``rowText(_:)`` reads it), for `runs.jsonl`; else `nil`.
    @discardableResult
    public func render(
        _ runs: [AnalyzedRun], eval: EvalReport? = nil, problems: ReportProblems = ReportProblems(),
        into write: (OutputFile) throws -> Void
    ) rethrows -> [RowText]? {
        let stems = Naming.runFileStems(runs.map(\.run.traceID))
        let eval = eval ?? Self.defaultEval(runs, fileStems: stems)
        let problemsByRun = problems.itemsByRun()
        let markdownCache = MarkdownCache()
        if runs.count > options.largeReportRuns {
            let (files, rowTexts) = renderLarge(
                runs, fileStems: stems, eval: eval, problems: problems, problemsByRun: problemsByRun,
                markdownCache: markdownCache)
            for file in files { try write(file) }
            return rowTexts
        }
        let batch = Self.pageBatch(jobs: options.parallelism)
        var rowTexts: [RowText]? = complete == nil ? nil : []
        var first = 0
        while first < runs.count {
            let count = min(batch, runs.count - first)
            let whole = complete?(Array(runs[first..<(first + count)]), options.parallelism)
            let pages = ParallelRunner.map(count: count, jobs: options.parallelism) { k in
                let i = first + k
                let run = whole?[k] ?? runs[i]
                let page = renderRunPage(
                    run, fileStem: stems[i], problems: problemsByRun[run.run.traceID] ?? [],
                    markdownCache: markdownCache)
                onPageRendered?()
                return (page, whole == nil ? nil : IndexRenderer.rowText(run))
            }
            for (page, rowText) in pages {
                try write(page)
                if let rowText { rowTexts?.append(rowText) }
            }
            first += count
        }
        try write(
            renderIndex(
                runs, fileStems: stems, eval: eval, problems: problems, failureGroups: nil, rowTexts: rowTexts,
                large: nil))
        return rowTexts
    }

    /// Run pages rendered between hand-overs: enough to keep every thread busy, few enough
    /// that a batch of even large pages stays small next to the runs themselves.
    static func pageBatch(jobs: Int) -> Int {
        max(32, max(1, jobs) * 16)
    }

    /// Renders the page of one run as `runs/<fileStem>.html`; `problems` are those of the
    /// run's records, marked in its header.
    public func renderRunPage(_ run: AnalyzedRun, fileStem: String, problems: [ReportProblems.Item] = []) -> OutputFile
    {
        renderRunPage(run, fileStem: fileStem, problems: problems, markdownCache: MarkdownCache())
    }

    /// Renders a run page with Markdown shared across the report's pages: a data page for a run
    /// past ``RunPageRenderer/usesDataPage(_:)``, else the server-rendered page.
    func renderRunPage(
        _ run: AnalyzedRun, fileStem: String, problems: [ReportProblems.Item], markdownCache: MarkdownCache
    ) -> OutputFile {
        if RunPageRenderer.usesDataPage(run) {
            var renderer = runPageRenderer(run, fileStem: fileStem, problems: problems, markdownCache: markdownCache)
            var body = HTMLBuffer(capacity: 64 * 1024)
            var data = HTMLBuffer(capacity: 64 * 1024)
            renderer.dataBody(into: &body, data: &data, jobs: options.parallelism)
            let bytes = PageShell.dataPage(title: run.name + " · trace-report", body: body.bytes, data: data.bytes)
            return OutputFile(relativePath: "runs/" + fileStem + ".html", contents: bytes)
        }
        var renderer = runPageRenderer(run, fileStem: fileStem, problems: problems, markdownCache: markdownCache)
        let bytes = PageShell.page(title: run.name + " · trace-report", pageClass: "run-page") {
            renderer.body(into: &$0)
        }
        return OutputFile(relativePath: "runs/" + fileStem + ".html", contents: bytes)
    }

    private func runPageRenderer(
        _ run: AnalyzedRun, fileStem: String, problems: [ReportProblems.Item], markdownCache: MarkdownCache
    ) -> RunPageRenderer {
        var renderer = RunPageRenderer(run: run, fileName: fileStem)
        renderer.content.markdownCache = markdownCache
        renderer.problems = problems
        if options.diffPages.contains(fileStem) { renderer.diffPage = "../diff/" + fileStem + ".html" }
        return renderer
    }

    /// The body of a server-rendered run page: what the page shows inside the shell.
    func runPageBody(
        _ run: AnalyzedRun, fileStem: String, problems: [ReportProblems.Item], markdownCache: MarkdownCache
    ) -> [UInt8] {
        var renderer = runPageRenderer(run, fileStem: fileStem, problems: problems, markdownCache: markdownCache)
        var body = HTMLBuffer(capacity: 64 * 1024)
        renderer.body(into: &body)
        return body.bytes
    }

    /// A run page around `body`.
    /// The standalone page of a run named `runName` around a body a large index carries: the
    /// bytes its own page (or "Save as a page") has.
    package static func standalonePage(runName: String, body: [UInt8]) -> [UInt8] {
        PageShell.page(title: runName + " · trace-report", pageClass: "run-page", body: body)
    }

    func runPage(_ run: AnalyzedRun, fileStem: String, body: [UInt8]) -> OutputFile {
        let bytes = PageShell.page(title: run.name + " · trace-report", pageClass: "run-page", body: body)
        return OutputFile(relativePath: "runs/" + fileStem + ".html", contents: bytes)
    }

    /// The searchable text of `run`'s index row, as `runs.jsonl` keeps it for merges.
    public static func rowText(_ run: AnalyzedRun) -> RowText {
        IndexRenderer.rowText(run)
    }

    /// Renders `index.html`, linking to run pages named by `fileStems`.
    ///
    /// `failureGroups` replaces the grouping computed from `runs`, for runs that are index rows
    /// without spans (a merge of shard reports).
    public func renderIndex(
        _ runs: [AnalyzedRun], fileStems: [String], eval: EvalReport? = nil,
        problems: ReportProblems = ReportProblems(),
        failureGroups: FailureGroups? = nil, rowTexts: [RowText]? = nil
    ) -> OutputFile {
        renderIndex(
            runs, fileStems: fileStems, eval: eval, problems: problems, failureGroups: failureGroups,
            rowTexts: rowTexts, large: nil)
    }

    func renderIndex(
        _ runs: [AnalyzedRun], fileStems: [String], eval: EvalReport?, problems: ReportProblems,
        failureGroups: FailureGroups?, rowTexts: [RowText]?, large: LargeIndex?
    ) -> OutputFile {
        let eval = eval ?? Self.defaultEval(runs, fileStems: fileStems)
        var index = IndexRenderer(
            runs: runs, fileStems: fileStems, title: options.title, eval: eval, totalRuns: options.totalRuns,
            selection: options.selection, redaction: options.redaction)
        index.problems = problems
        index.knownFailureGroups = failureGroups
        index.knownRowTexts = rowTexts
        if !options.diffPages.isEmpty { index.diffIndex = ("diff/index.html", options.diffPages.count) }
        index.large = large
        // Written straight into the page: a large index is tens of megabytes.
        return OutputFile(
            relativePath: "index.html",
            contents: PageShell.page(
                title: options.title, pageClass: "index-page",
                bodyBytes: 64 * 1024 + runs.count * 512 + (large?.bodyChunks.reduce(0) { $0 + $1.packed.count } ?? 0)
            ) { index.body(into: &$0) })
    }

    /// The eval runs of `runs`, each with the path of its page.
    public static func evalRuns(_ runs: [AnalyzedRun]) -> [EvalRun] {
        let stems = fileStems(for: runs)
        return zip(runs, stems).map { EvalRun($0, page: "runs/\($1).html") }
    }

    static func defaultEval(_ runs: [AnalyzedRun], fileStems: [String]) -> EvalReport {
        EvalReport(runs: zip(runs, fileStems).map { EvalRun($0, page: "runs/\($1).html") })
    }

    /// The file stem each run's page gets, in the order given.
    public static func fileStems(for runs: [AnalyzedRun]) -> [String] {
        Naming.runFileStems(runs.map(\.run.traceID))
    }
}
