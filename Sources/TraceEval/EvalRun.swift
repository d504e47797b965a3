public import TraceJSON
public import TraceModel

/// A run as an eval case: what a later report compares against.
public struct EvalRun: Sendable, Equatable {
    /// The run's trace id.
    public var traceID: String
    /// The run's name.
    public var name: String
    /// `ok`, `error` or `unfinished`.
    public var status: String
    /// Duration in nanoseconds.
    public var durationNanos: Int64?
    /// The run's scores.
    public var scores: [Score]
    /// The run's labels.
    public var labels: [String]
    /// The run's metadata (run-level and root span fields).
    public var metadata: JSONObject
    /// The first error's message, if any span failed.
    public var firstError: String?
    /// The page of the run within its report, for example `runs/abc.html`.
    public var page: String?
    /// The run's tokens as the index shows them; `nil` when none are recorded.
    public var tokens: RunTokens? = nil
    /// The run's cost in US dollars as the index shows it; `nil` when none is recorded.
    public var cost: Double? = nil

    /// Creates an eval run.
    public init(
        traceID: String, name: String, status: String, durationNanos: Int64? = nil, scores: [Score] = [],
        labels: [String] = [], metadata: JSONObject = JSONObject(), firstError: String? = nil, page: String? = nil
    ) {
        self.traceID = traceID
        self.name = name
        self.status = status
        self.durationNanos = durationNanos
        self.scores = scores
        self.labels = labels
        self.metadata = metadata
        self.firstError = firstError
        self.page = page
    }

    /// The eval view of an analyzed run.
    public init(_ run: AnalyzedRun, page: String? = nil) {
        var metadata = run.run.info?.metadata ?? JSONObject()
        metadata.appendMissing(from: run.run.root?.metadata.members ?? [])
        var firstError: String? = nil
        if let i = run.firstErrorIndex, let e = run.run.nodes[i].span.error {
            firstError = "\(run.run.nodes[i].span.name): " + (e.type.map { "\($0): " } ?? "") + e.message
        }
        self.init(
            traceID: run.run.traceID,
            name: run.name,
            status: run.status.rawValue,
            durationNanos: run.durationNanos,
            scores: run.scores,
            labels: run.labels,
            metadata: metadata,
            firstError: firstError,
            page: page
        )
        tokens = RunTokens(run)
        cost = run.hasCost ? run.totalCost : nil
    }

    /// The value of `score`, if the run has it.
    public func score(_ name: String) -> Double? {
        scores.first { $0.name == name }?.value
    }

    /// The run's value for a facet or match key, as text.
    public func value(of key: String) -> String? {
        switch key {
        case "trace_id": return traceID
        case "name": return name
        case "status": return status
        default:
            let metadataKey = key.hasPrefix("metadata.") ? String(key.dropFirst("metadata.".count)) : key
            guard let v = metadata[metadataKey] else { return nil }
            switch v {
            case .string(let s): return s
            case .number(let n): return n.text
            case .bool(let b): return b ? "true" : "false"
            case .null: return nil
            default: return JSONTextCompact.write(v)
            }
        }
    }
}
