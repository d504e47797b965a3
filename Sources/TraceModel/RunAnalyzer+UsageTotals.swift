import TraceJSON

extension RunAnalyzer {
    /// The metadata key that holds a span's usage when it is the total of its descendants'.
    public static let aggregatedUsageKey = "aggregated_usage"

    /// `run` with the usage of every span that totals its descendants' moved out of
    /// ``Span/usage`` (which counts a span's own tokens and cost) into its metadata under
    /// ``aggregatedUsageKey``, so nothing is counted twice.
    ///
    /// The rule: a span's usage is a total when spans below it record usage of their own, and
    /// either the span is an `agent` or `task` (an agent consumes no tokens but its model
    /// calls', which is what strands' `invoke_agent` and OpenInference's `AGENT` spans record),
    /// or its tokens equal the sum of what is counted below it (a wrapper repeating its model
    /// call's count). Model calls without usage below them keep theirs, as does an agent whose
    /// model calls are not recorded as spans.
    static func separatingUsageTotals(_ run: Run) -> Run {
        let nodes = run.nodes
        let n = nodes.count
        // Tokens and cost counted strictly below each node, filled children first.
        var tokensBelow = [Int64](repeating: 0, count: n)
        var costBelow = [Double](repeating: 0, count: n)
        var usageBelow = [Bool](repeating: false, count: n)
        var isTotal = [Bool](repeating: false, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let usage = nodes[i].span.usage
            if !usage.isEmpty, usageBelow[i] {
                switch nodes[i].span.kind {
                case .agent, .task:
                    isTotal[i] = true
                default:
                    isTotal[i] =
                        usage.tokens != nil && usage.tokens == tokensBelow[i]
                        && (usage.cost == nil || abs((usage.cost ?? 0) - costBelow[i]) <= 1e-9 * max(1, costBelow[i]))
                }
            }
            guard let p = nodes[i].parent else { continue }
            tokensBelow[p] = tokensBelow[p] &+ tokensBelow[i]
            costBelow[p] += costBelow[i]
            usageBelow[p] = usageBelow[p] || usageBelow[i]
            if !isTotal[i], !usage.isEmpty {
                tokensBelow[p] = tokensBelow[p] &+ (usage.tokens ?? 0)
                costBelow[p] += usage.cost ?? 0
                usageBelow[p] = true
            }
        }
        guard isTotal.contains(true) else { return run }
        var result = run
        for i in 0..<n where isTotal[i] {
            let usage = nodes[i].span.usage
            var members: [(key: String, value: JSONValue)] = []
            func int(_ v: Int64?) -> JSONValue? { v.map { .number(JSONNumber(text: String($0))) } }
            if let v = int(usage.inputTokens) { members.append(("input_tokens", v)) }
            if let v = int(usage.outputTokens) { members.append(("output_tokens", v)) }
            if let v = int(usage.tokens) { members.append(("total_tokens", v)) }
            if let cost = usage.cost, cost.isFinite { members.append(("cost", .number(JSONNumber(text: "\(cost)")))) }
            members.append(("counted", .string("no: the total of the spans below, which are counted")))
            result.nodes[i].span.metadata.members.append((aggregatedUsageKey, .object(JSONObject(members))))
            result.nodes[i].span.usage = Usage()
        }
        return result
    }
}
