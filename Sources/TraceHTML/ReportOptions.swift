public import TraceModel

/// Options for rendering a report.
public struct ReportOptions: Sendable, Equatable {
    /// The index page's title.
    public var title: String
    /// How many runs may render at the same time. Output bytes do not depend on it.
    public var parallelism: Int
    /// The number of runs before some were selected (`--where`, `--sample`), for the index's
    /// "N of M runs"; `nil` when every run is shown.
    public var totalRuns: Int?
    /// How the runs were selected, shown beside "N of M runs", e.g. `--keep status=error --sample 500`.
    public var selection: String?
    /// What was redacted, shown on the index; `nil` when the report is not redacted.
    public var redaction: RedactionManifest?
    /// File stems of the runs that have a diff page at `diff/<stem>.html` (`render --baseline`
    /// with a baseline of trace files): their pages link to it, and the index to `diff/index.html`.
    public var diffPages: Set<String> = []
    /// Above this many runs the report is written for scale: the index carries its table and
    /// every run's page as compressed data (it draws the rows in view and opens any run in
    /// place), and only the runs that matter get a page of their own under `runs/` (see
    /// ``ReportRenderer/render(_:eval:problems:)``). At or below it, every run has a page and
    /// the index is a plain table.
    public var largeReportRuns: Int
    /// Trace ids of runs that get a page of their own in a large report (`--page`).
    public var pages: [String]
    /// Every run gets a page of its own, however many there are (`--all-pages`).
    public var allPages: Bool

    /// The default of ``largeReportRuns``. Every plain run page repeats the report's style and
    /// script (about 100 KB): on a 200 MB agent-shaped file of 1,901 runs the plain report was
    /// 463 MB (2.3× its input), the data-backed one 46 MB (0.23×), whose index also becomes
    /// usable sooner (measured in headless Chromium on a busy 2-core machine: a plain index of
    /// 2,000 small runs 2.6 s, a data-backed one of 5,000 0.8 s). Up to 200 runs every run keeps
    /// a page of its own and the index is readable in full without JavaScript.
    public static let defaultLargeReportRuns = 200

    /// Creates options.
    public init(
        title: String = "Trace report", parallelism: Int = 1, totalRuns: Int? = nil, selection: String? = nil,
        redaction: RedactionManifest? = nil, largeReportRuns: Int = ReportOptions.defaultLargeReportRuns,
        pages: [String] = [], allPages: Bool = false
    ) {
        self.largeReportRuns = max(0, largeReportRuns)
        self.pages = pages
        self.allPages = allPages
        self.title = title
        self.parallelism = max(1, parallelism)
        self.totalRuns = totalRuns
        self.selection = selection
        self.redaction = redaction
    }
}
