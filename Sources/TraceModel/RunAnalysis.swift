import TraceJSON

/// Timing, tokens and cost of one span, for the span alone (self) and for its whole subtree.
public struct SpanMetrics: Sendable, Equatable {
    /// End minus start, when both are known.
    public var durationNanos: Int64?
    /// The part of the duration not covered by any child.
    public var selfNanos: Int64?
    /// Offset of the start from the run's start.
    public var offsetNanos: Int64?
    /// Tokens recorded on this span.
    public var tokensSelf: Int64
    /// Tokens of this span and all its descendants.
    public var tokensTotal: Int64
    /// Cost recorded on this span, US dollars.
    public var costSelf: Double
    /// Cost of this span and all its descendants.
    public var costTotal: Double
    /// Errors in this span's subtree, the span included.
    public var errorsInSubtree: Int
}

/// A run's status for the index.
public enum RunStatus: String, Sendable, Equatable {
    /// The root span finished without an error.
    case ok
    /// The root span, a span with no parent, or a span on the agent path ended with an error
    /// (see ``RunAnalyzer/failed(_:)``).
    case error
    /// The root span has a start time and no end time.
    case unfinished
}

/// The analyze stage's result for one run: the run, per-span metrics and run totals.
public struct AnalyzedRun: Sendable {
    /// The assembled run.
    public var run: Run
    /// Metrics per node, parallel to ``Run/nodes``.
    public var metrics: [SpanMetrics]
    /// The run's name: its root span's name.
    public var name: String
    /// The run's status.
    public var status: RunStatus
    /// The earliest start of any span.
    public var startTimeUnixNano: Int64?
    /// The latest end of any span.
    public var endTimeUnixNano: Int64?
    /// Spans with an error.
    public var errorCount: Int
    /// The node of the first error in time order.
    public var firstErrorIndex: Int?
    /// The node with the longest duration, the root excluded when there are others.
    public var slowestIndex: Int?
    /// The node with the highest cost of its own (or most tokens when no cost is recorded).
    public var mostExpensiveIndex: Int?
    /// Tokens over all spans.
    public var totalTokens: Int64
    /// Input tokens over all spans.
    public var inputTokens: Int64
    /// Output tokens over all spans.
    public var outputTokens: Int64
    /// Cost over all spans, US dollars.
    public var totalCost: Double
    /// Whether any span recorded tokens.
    public var hasTokens: Bool
    /// Whether any span recorded a cost.
    public var hasCost: Bool
    /// The run's scores: the root span's, then any other span's not already named.
    public var scores: [Score]
    /// The root span's labels.
    public var labels: [String]

    /// Total duration: latest end minus earliest start.
    public var durationNanos: Int64? {
        guard let s = startTimeUnixNano, let e = endTimeUnixNano else { return nil }
        return max(0, e.saturatingSubtract(s))
    }
}

/// The analyze stage: rollups, self time, and the spans worth looking at first.
public struct RunAnalyzer: Sendable {
    /// Creates an analyzer.
    public init() {}

    /// Analyzes one run.
    public func analyze(_ run: Run) -> AnalyzedRun {
        let run = Self.separatingUsageTotals(run)
        let nodes = run.nodes
        let n = nodes.count
        var runStart: Int64? = nil
        var runEnd: Int64? = nil
        for node in nodes {
            if let s = node.span.startTimeUnixNano { runStart = min(runStart ?? s, s) }
            if let e = node.span.endTimeUnixNano ?? node.span.startTimeUnixNano { runEnd = max(runEnd ?? e, e) }
        }
        var metrics = [SpanMetrics](
            repeating: SpanMetrics(tokensSelf: 0, tokensTotal: 0, costSelf: 0, costTotal: 0, errorsInSubtree: 0),
            count: n)
        var hasTokens = false
        var hasCost = false
        var inputTokens: Int64 = 0
        var outputTokens: Int64 = 0
        for i in 0..<n {
            let span = nodes[i].span
            metrics[i].durationNanos = span.durationNanos
            if let s = span.startTimeUnixNano, let r = runStart { metrics[i].offsetNanos = s.saturatingSubtract(r) }
            let tokens = span.usage.tokens ?? 0
            metrics[i].tokensSelf = tokens
            metrics[i].tokensTotal = tokens
            metrics[i].costSelf = span.usage.cost ?? 0
            metrics[i].costTotal = metrics[i].costSelf
            metrics[i].errorsInSubtree = span.error == nil ? 0 : 1
            if span.usage.tokens != nil { hasTokens = true }
            if span.usage.cost != nil { hasCost = true }
            inputTokens = inputTokens.saturatingAdd(span.usage.inputTokens ?? 0)
            outputTokens = outputTokens.saturatingAdd(span.usage.outputTokens ?? 0)
        }
        // Roll up children into parents: children always come after their parent.
        for i in stride(from: n - 1, through: 0, by: -1) {
            guard let p = nodes[i].parent else { continue }
            metrics[p].tokensTotal = metrics[p].tokensTotal.saturatingAdd(metrics[i].tokensTotal)
            metrics[p].costTotal += metrics[i].costTotal
            metrics[p].errorsInSubtree += metrics[i].errorsInSubtree
        }
        // Self time: duration minus the union of children's intervals clipped to the span.
        for i in 0..<n {
            guard let start = nodes[i].span.startTimeUnixNano, let end = nodes[i].span.endTimeUnixNano else { continue }
            var covered: Int64 = 0
            var cursor = start
            var intervals: [(Int64, Int64)] = []
            for c in run.children(of: i) {
                let cs = nodes[c].span.startTimeUnixNano
                let ce = nodes[c].span.endTimeUnixNano ?? end
                guard let cs else { continue }
                let a = max(cs, start)
                let b = min(ce, end)
                if b > a { intervals.append((a, b)) }
            }
            intervals.sort { $0.0 < $1.0 }
            for (a, b) in intervals {
                let from = max(a, cursor)
                if b > from {
                    covered = covered.saturatingAdd(b.saturatingSubtract(from))
                    cursor = b
                }
            }
            metrics[i].selfNanos = max(0, end.saturatingSubtract(start).saturatingSubtract(covered))
        }

        var errorCount = 0
        var firstError: Int? = nil
        var slowest: Int? = nil
        var expensive: Int? = nil
        for i in 0..<n {
            let span = nodes[i].span
            if span.error != nil {
                errorCount += 1
                if let f = firstError {
                    if RunAssembler.precedes(span, nodes[f].span) { firstError = i }
                } else {
                    firstError = i
                }
            }
            if i > 0 || n == 1, let d = metrics[i].durationNanos {
                if slowest == nil || d > (metrics[slowest!].durationNanos ?? -1) { slowest = i }
            }
            if hasCost {
                if metrics[i].costSelf > 0, expensive == nil || metrics[i].costSelf > metrics[expensive!].costSelf {
                    expensive = i
                }
            } else if metrics[i].tokensSelf > 0,
                expensive == nil || metrics[i].tokensSelf > metrics[expensive!].tokensSelf
            {
                expensive = i
            }
        }
        let root = nodes.first?.span
        var status = RunStatus.ok
        if Self.failed(run) {
            status = .error
        } else if let root, root.startTimeUnixNano != nil, root.endTimeUnixNano == nil {
            // A root with no times at all is not known to be unfinished.
            status = .unfinished
        }
        var scores = root?.scores ?? []
        var scoreNames = Set(scores.map { IDKey($0.name) })
        for score in run.info?.scores ?? [] where scoreNames.insert(IDKey(score.name)).inserted {
            scores.append(score)
        }
        var labels = root?.labels ?? []
        RunAssembler.unite(&labels, run.info?.labels ?? [])
        for node in nodes.dropFirst() {
            for var score in node.span.scores where scoreNames.insert(IDKey(score.name)).inserted {
                score.origin = score.origin ?? node.span.name
                scores.append(score)
            }
        }
        return AnalyzedRun(
            run: run,
            metrics: metrics,
            name: run.info?.name ?? root?.name ?? run.traceID,
            status: status,
            startTimeUnixNano: runStart,
            endTimeUnixNano: runEnd,
            errorCount: errorCount,
            firstErrorIndex: firstError,
            slowestIndex: slowest,
            mostExpensiveIndex: expensive,
            totalTokens: nodes.indices.reduce(0) {
                $0.saturatingAdd(nodes[$1].parent == nil ? metrics[$1].tokensTotal : 0)
            },
            inputTokens: inputTokens,
            outputTokens: outputTokens,
            totalCost: nodes.indices.reduce(0) { $0 + (nodes[$1].parent == nil ? metrics[$1].costTotal : 0) },
            hasTokens: hasTokens,
            hasCost: hasCost,
            scores: scores,
            labels: labels
        )
    }
}

extension RunAnalyzer {
    /// Analyzes runs on up to `jobs` threads; the result is in the order given.
    public func analyze(_ runs: [Run], jobs: Int) -> [AnalyzedRun] {
        ParallelRunner.map(count: runs.count, jobs: jobs) { analyze(runs[$0]) }
    }
}
