public import TraceModel

/// Options for rendering a report.
public struct ReportOptions: Sendable, Equatable {
    /// The index page's title.
    public var title: String
    /// How many runs may render at the same time. Output bytes do not depend on it.
    public var parallelism: Int
    /// What was redacted, shown on the index; `nil` when the report is not redacted.
    public var redaction: RedactionManifest?

    /// Creates options.
    public init(title: String = "Trace report", parallelism: Int = 1, redaction: RedactionManifest? = nil) {
        self.title = title
        self.parallelism = max(1, parallelism)
        self.redaction = redaction
    }
}
