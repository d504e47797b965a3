import TraceEval
import TraceJSON
import TraceModel

/// Renders one run's page: header, span tree with waterfall, and span details.
///
/// The tree nests `<details>` elements so it collapses with JavaScript disabled. Browsers stop
/// nesting elements at a depth of about 512, and Chromium slows down markedly well before that
/// (a 20,000-deep chain loaded in 17.6 s with 200 nested levels, 6.0 s with 32), so below
/// ``nestingLimit`` levels rows are written flat, each carrying its depth and parent, and
/// indented by CSS; the page script folds them.
struct RunPageRenderer {
    /// How many `<details>` levels nest before rows are written flat.
    static let nestingLimit = 32
    /// Runs with at most this many spans open every node; larger runs open the top levels and
    /// the way to every error.
    static let openAllLimit = 300

    let run: AnalyzedRun
    let fileName: String
    let anchors: [String]
    let criticalPath: CriticalPath
    var content = ContentRenderer()
    /// Problems of this run's records (skipped lines, repairs, dropped fields).
    var problems: [ReportProblems.Item] = []
    /// The page comparing this run with its baseline run span by span, when there is one.
    var diffPage: String?

    init(run: AnalyzedRun, fileName: String) {
        self.run = run
        self.fileName = fileName
        self.anchors = Naming.spanAnchors(run.run.nodes.map(\.span.spanID))
        self.criticalPath = run.criticalPath
        content.toolCalls = ToolCallIndex(run: run.run, anchors: anchors)
    }

    /// The page body (inside `<body>`).
    mutating func body(into out: inout HTMLBuffer) {
        header(into: &out)
        out.raw("<main class=\"run-main\">\n")
        tree(into: &out)
        details(into: &out)
        out.raw("</main>\n")
    }
}
