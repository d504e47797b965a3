import TraceJSON
public import TraceModel

/// Two runs to compare, and the name of their diff page.
public struct DiffPair: Sendable {
    /// The baseline run.
    public var old: AnalyzedRun
    /// The run compared with it.
    public var new: AnalyzedRun
    /// The page's file stem: the page is `<fileStem>.html` in the diff folder.
    public var fileStem: String
    /// The new run's page as seen from the diff folder (`../runs/x.html`), when the report has one.
    public var runPage: String?

    /// Creates a pair.
    public init(old: AnalyzedRun, new: AnalyzedRun, fileStem: String, runPage: String? = nil) {
        self.old = old
        self.new = new
        self.fileStem = fileStem
        self.runPage = runPage
    }
}

/// The render stage of `trace-report diff`: one self-contained page per pair of runs, the two
/// span trees aligned (see ``RunDiff``), and an index of the pages. It never writes to disk.
///
/// Paths are relative to the diff folder: `<fileStem>.html` per pair and `index.html`. Output
/// bytes depend only on the runs and the options.
public struct DiffRenderer: Sendable {
    /// The index page's title.
    public var title: String
    /// How many pages may render at the same time. Output bytes do not depend on it.
    public var parallelism: Int
    /// Whether to write `index.html` even for one pair.
    public var alwaysIndex: Bool
    /// The report's index as seen from the diff folder (`../index.html`), when the diffs are part
    /// of a report.
    public var reportIndex: String?
    /// What was redacted, noted on every page; `nil` when nothing was.
    public var redaction: RedactionManifest?

    /// Creates a renderer.
    public init(
        title: String = "Run diffs", parallelism: Int = 1, alwaysIndex: Bool = false, reportIndex: String? = nil,
        redaction: RedactionManifest? = nil
    ) {
        self.title = title
        self.parallelism = max(1, parallelism)
        self.alwaysIndex = alwaysIndex
        self.reportIndex = reportIndex
        self.redaction = redaction
    }

    /// The pages of `pairs`, then `index.html` when there are several pairs (or ``alwaysIndex``),
    /// sorted by path; and how many pairs' final outcome (final output or status) differs.
    public func render(_ pairs: [DiffPair]) -> (files: [OutputFile], outcomesChanged: Int) {
        let withIndex = alwaysIndex || pairs.count > 1
        let rendered = ParallelRunner.map(count: pairs.count, jobs: parallelism) { i in
            let diff = RunDiff(old: pairs[i].old, new: pairs[i].new)
            var page = DiffPageRenderer(pair: pairs[i], diff: diff)
            page.indexLink = withIndex ? "index.html" : nil
            page.reportIndex = reportIndex
            page.redaction = redaction
            var body = HTMLBuffer(capacity: 64 * 1024)
            page.body(into: &body)
            let file = OutputFile(
                relativePath: pairs[i].fileStem + ".html",
                contents: DiffPageShell.page(
                    title: "Diff: " + pairs[i].new.name + " · trace-report", pageClass: "diff-page", body: body.bytes))
            return (file, Summary(pair: pairs[i], diff: diff))
        }
        var files = rendered.map(\.0)
        if withIndex { files.append(index(rendered.map(\.1))) }
        files.sort { $0.relativePath < $1.relativePath }
        return (files, rendered.filter(\.1.finalChanged).count)
    }

    /// What the index shows of one pair.
    struct Summary {
        var name: String
        var oldID: String
        var newID: String
        var oldStatus: RunStatus
        var newStatus: RunStatus
        var page: String
        var counts: (same: Int, changed: Int, added: Int, removed: Int)
        var finalChanged: Bool
        var firstDifference: String?

        init(pair: DiffPair, diff: RunDiff) {
            name = pair.new.name
            oldID = pair.old.run.traceID
            newID = pair.new.run.traceID
            oldStatus = pair.old.status
            newStatus = pair.new.status
            page = pair.fileStem + ".html"
            counts = diff.counts
            finalChanged = diff.finalOutcomeChanged
            firstDifference = diff.firstDifference.map { r in
                let row = diff.rows[r]
                return row.new.map { pair.new.run.nodes[$0].span.name } ?? pair.old.run.nodes[row.old!].span.name
            }
        }
    }

    /// `index.html`: one row per pair, in the order given.
    func index(_ summaries: [Summary]) -> OutputFile {
        var out = HTMLBuffer(capacity: 8 * 1024 + summaries.count * 512)
        out.raw("<header class=\"run-header\">\n")
        if let reportIndex {
            out.raw("<nav class=\"crumbs\"><a")
            out.attribute("href", reportIndex)
            out.raw(">All runs</a></nav>\n")
        }
        out.raw("<h1 class=\"run-name\">")
        out.text(title)
        out.raw("</h1>\n<p class=\"diff-lede\">")
        let changed = summaries.filter(\.finalChanged).count
        out.text(
            "\(Formatting.count(Int64(summaries.count))) pair\(summaries.count == 1 ? "" : "s") of runs; "
                + "the final output or status differs in \(Formatting.count(Int64(changed))).")
        out.raw("</p>\n")
        DiffPageRenderer.redactionNote(redaction, into: &out)
        out.raw("</header>\n<main class=\"diff-main\">\n<table class=\"diff-index\">\n<thead><tr>")
        out.raw("<th>Run</th><th>Baseline run</th><th>Status</th><th>Spans</th><th>Final output</th>")
        out.raw("<th>First difference</th></tr></thead>\n<tbody>\n")
        for s in summaries {
            out.raw("<tr")
            out.attribute("data-diff-page", s.page)
            out.raw(s.finalChanged ? " data-final=\"changed\"><td><a" : " data-final=\"same\"><td><a")
            out.attribute("href", s.page)
            out.raw(">")
            out.text(s.name)
            out.raw("</a> <code>")
            out.text(s.newID)
            out.raw("</code></td><td><code>")
            out.text(s.oldID)
            out.raw("</code></td><td>")
            RunPageRenderer.statusPill(s.oldStatus, into: &out)
            out.raw(" → ")
            RunPageRenderer.statusPill(s.newStatus, into: &out)
            out.raw("</td><td>")
            DiffPageRenderer.counts(s.counts, into: &out)
            out.raw("</td><td>")
            out.raw(s.finalChanged ? "<span class=\"diff-tag d-changed\">changed</span>" : "same")
            out.raw("</td><td>")
            if let first = s.firstDifference {
                out.raw("<a")
                out.attribute("href", s.page + "#first-difference")
                out.raw(">")
                out.text(first)
                out.raw("</a>")
            } else {
                out.raw("–")
            }
            out.raw("</td></tr>\n")
        }
        out.raw("</tbody>\n</table>\n</main>\n")
        return OutputFile(
            relativePath: "index.html",
            contents: DiffPageShell.page(
                title: title + " · trace-report", pageClass: "diff-index-page", body: out.bytes))
    }
}

/// The page shell of diff pages: the report's CSS and JS, then the diff page's own small
/// stylesheet, under a Content-Security-Policy of the same shape with their hashes.
enum DiffPageShell {
    static let css = PageShell.css + "\n" + PageShell.asset("assets/diff.css")
    private static let cssBytes = Array(css.utf8)
    private static let jsBytes = Array(PageShell.js.utf8)
    private static let cspBytes = Array(PageShell.contentSecurityPolicy(css: css, js: PageShell.js).utf8)

    /// A whole page: `body` inside the shell.
    static func page(title: String, pageClass: String, body: [UInt8]) -> [UInt8] {
        var out = HTMLBuffer(capacity: body.count + cssBytes.count + jsBytes.count + 1024)
        PageShell.template.render(
            escaped: ["title": title, "page_class": pageClass],
            raw: ["csp": cspBytes, "css": cssBytes, "js": jsBytes, "body": body],
            into: &out
        )
        return out.bytes
    }
}
