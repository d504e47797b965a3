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

    /// Creates options.
    public init(
        title: String = "Trace report", parallelism: Int = 1, totalRuns: Int? = nil, selection: String? = nil,
        redaction: RedactionManifest? = nil
    ) {
        self.title = title
        self.parallelism = max(1, parallelism)
        self.totalRuns = totalRuns
        self.selection = selection
        self.redaction = redaction
    }
}
