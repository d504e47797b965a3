import TraceJSON
public import TraceModel

/// A run's token counts as the index shows them.
public struct RunTokens: Sendable, Equatable {
    /// Input tokens over the spans whose usage counts.
    public var input: Int64
    /// Output tokens over the spans whose usage counts.
    public var output: Int64
    /// All tokens over the spans whose usage counts.
    public var total: Int64

    /// Creates token counts.
    public init(input: Int64, output: Int64, total: Int64) {
        self.input = input
        self.output = output
        self.total = total
    }

    /// The tokens of `run`, or `nil` when no span recorded any (the index shows "–").
    public init?(_ run: AnalyzedRun) {
        guard run.hasTokens else { return nil }
        self.init(input: run.inputTokens, output: run.outputTokens, total: run.totalTokens)
    }
}

extension SummaryJSON {
    /// The `tokens` object of a summary run, when it holds three whole counts.
    static func tokens(_ value: JSONValue?) -> RunTokens? {
        guard case .object(let o)? = value, let input = o["input"]?.numberValue?.int64,
            let output = o["output"]?.numberValue?.int64,
            let total = o["total"]?.numberValue?.int64, input >= 0, output >= 0, total >= 0
        else { return nil }
        return RunTokens(input: input, output: output, total: total)
    }
}
