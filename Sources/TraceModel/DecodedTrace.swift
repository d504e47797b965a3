public import TraceJSON

/// What a decoder made of one input: normalized spans and the problems it found.
public struct DecodedTrace: Sendable {
    /// The spans, in input order.
    public var spans: [Span]
    /// Problems found, in input order.
    public var diagnostics: [Diagnostic]
    /// Facts about whole runs that formats record apart from spans (a trace header item).
    public var runInfo: [RunInfo]

    /// Creates a decoded trace.
    public init(spans: [Span] = [], diagnostics: [Diagnostic] = [], runInfo: [RunInfo] = []) {
        self.spans = spans
        self.diagnostics = diagnostics
        self.runInfo = runInfo
    }

    /// Appends another decoded trace after this one.
    public mutating func append(_ other: DecodedTrace) {
        spans.append(contentsOf: other.spans)
        diagnostics.append(contentsOf: other.diagnostics)
        runInfo.append(contentsOf: other.runInfo)
    }
}

/// What a format records about a whole run apart from its spans, such as the OpenAI Agents SDK's
/// `trace` item (workflow name, group id, metadata) or a Langfuse trace object.
public struct RunInfo: Sendable, Equatable {
    /// The run's trace id, normalized like span trace ids.
    public var traceID: String
    /// The run's name; it takes precedence over the root span's name.
    public var name: String?
    /// Run-level fields, shown with the run's metadata.
    public var metadata: JSONObject
    /// Run-level labels or tags.
    public var labels: [String]
    /// Run-level scores.
    public var scores: [Score]

    /// Creates run information.
    public init(
        traceID: String, name: String? = nil, metadata: JSONObject = JSONObject(), labels: [String] = [],
        scores: [Score] = []
    ) {
        self.traceID = traceID
        self.name = name
        self.metadata = metadata
        self.labels = labels
        self.scores = scores
    }
}

/// A reader for one trace format: JSON values in, normalized spans out.
///
/// Decoders are pure: they never touch files, clocks or global state. A file's top-level
/// JSON values may reach ``decode(_:file:)`` in several batches (large files are decoded in
/// pieces on several threads), so a decoder keeps no state between values: records of one span
/// or run that it cannot join itself become ``Span/isPartial`` spans and ``RunInfo`` values,
/// which assembly joins.
public protocol TraceFormatDecoder: Sendable {
    /// The format's display name, shown on run pages as the source format.
    var formatName: String { get }

    /// The short name for `--format`, for example `otlp`.
    var formatID: String { get }

    /// What the first value of a file in this format looks like, for error messages:
    /// for example "an object with resourceSpans".
    var shapeDescription: String { get }

    /// Whether `value`, the first JSON value of a file, looks like this format.
    func matches(_ value: JSONValue) -> Bool

    /// Decodes the JSON values read from `file`, in order.
    func decode(_ records: [JSONRecord], file: String) -> DecodedTrace

    /// Whether each record decodes alone to the spans it gives among the file's other records.
    var decodesRecordsAlone: Bool { get }

    /// Whether a file that is not JSON text (an archive, say) is in this format, judged from
    /// its first bytes. The default is `false`.
    func matches(bytes: UnsafeRawBufferPointer) -> Bool

    /// Decodes a whole file that ``matches(bytes:)`` accepted. The default reports an error.
    func decode(bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace
}

extension TraceFormatDecoder {
    /// Whether each record decodes to the same spans alone as it does among the file's other
    /// records (no record completes another). A large file in such a format can release its
    /// spans' inputs and outputs once decoded, and read them again record by record when a run
    /// is rendered. `false` unless a format says otherwise.
    public var decodesRecordsAlone: Bool { false }

    public func matches(bytes: UnsafeRawBufferPointer) -> Bool { false }

    public func decode(bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        DecodedTrace(diagnostics: [
            Diagnostic(.error, at: SourceLocation(file: file, line: 0), "\(formatName) files must be JSON text")
        ])
    }
}
