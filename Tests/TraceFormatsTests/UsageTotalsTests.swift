import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// One rule for usage recorded as a total of the spans below: it is shown, not counted again.
@Suite("aggregated usage is not counted twice")
struct UsageTotalsTests {
    /// The run's token totals as the index and summary.json show them.
    static func totals(_ loaded: Loaded) throws -> (total: Int64, input: Int64, output: Int64) {
        let run = try #require(loaded.runs.first)
        return (run.totalTokens, run.inputTokens, run.outputTokens)
    }

    /// The sum of the model calls' own tokens.
    static func modelCallTokens(_ loaded: Loaded) -> Int64 {
        loaded.spans.filter { $0.kind == .llm }.reduce(0) { $0 + ($1.usage.tokens ?? 0) }
    }

    @Test("strands 1.62: invoke_agent's gen_ai.usage.* is the total of its chat spans")
    func strands() throws {
        let loaded = try load(fixture: "strands/refund-default-conventions.otlp.json")
        #expect(loaded.errors.isEmpty)
        let totals = try Self.totals(loaded)
        #expect(totals.total == 350)
        #expect(totals.total == Self.modelCallTokens(loaded))
        #expect(totals.input == 260)
        #expect(totals.output == 90)
        let agent = try #require(loaded.spans.first { $0.kind == .agent })
        #expect(agent.usage.isEmpty)
        #expect(agent.metadata[RunAnalyzer.aggregatedUsageKey]?["total_tokens"] == .number(JSONNumber(350)))
    }

    @Test("smolagents 1.26 with OpenInference: the AGENT span's llm.token_count.* is the total of its LLM spans")
    func smolagents() throws {
        let loaded = try load(fixture: "smolagents/refund-agent.otlp.json")
        let totals = try Self.totals(loaded)
        #expect(totals.total == 192)
        #expect(totals.total == Self.modelCallTokens(loaded))
        #expect(totals.input == 150)
        #expect(totals.output == 42)
        let agent = try #require(loaded.spans.first { $0.name == "ToolCallingAgent.run" })
        #expect(agent.metadata[RunAnalyzer.aggregatedUsageKey]?["total_tokens"] == .number(JSONNumber(192)))
        // The most expensive span is a model call, not the agent.
        let run = try #require(loaded.runs.first)
        #expect(run.mostExpensiveIndex.map { run.run.nodes[$0].span.kind } == .llm)
    }

    @Test("pydantic-ai 2.68: gen_ai.aggregated_usage.* stays a total beside the chat spans' counts")
    func pydanticAI() throws {
        let loaded = try load(fixture: "pydantic-ai/refund-agent.otlp.json")
        let totals = try Self.totals(loaded)
        #expect(totals.total == 139)
        #expect(totals.total == Self.modelCallTokens(loaded))
        #expect(totals.input == 118)
        #expect(totals.output == 21)
    }

    @Test("openai-agents 0.24: task and turn usage are totals; generation spans count")
    func openAIAgents() throws {
        let loaded = try load(fixture: "openai-agents/runner-raised.jsonl")
        var byTrace: [String: Int64] = [:]
        for run in loaded.runs { byTrace[run.run.traceID] = run.totalTokens }
        #expect(byTrace["trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61"] == 82)
        #expect(byTrace["trace_6a1d3b0f9c8e4f72b4d2a31e0f9c8b72"] == 192)
    }

    @Test("a wrapper whose tokens equal its model call's is a total; an agent without model spans below keeps its own")
    func generalRule() {
        func span(_ id: String, _ parent: String?, _ kind: SpanKind, tokens: Int64?) -> Span {
            var s = Span(
                traceID: "t", spanID: id, parentSpanID: parent, name: id, kind: kind, startTimeUnixNano: 1,
                endTimeUnixNano: 2,
                source: SourceLocation(file: "f", line: 1), sourceFormat: "test")
            if let tokens { s.usage = Usage(inputTokens: tokens - 10, outputTokens: 10) }
            return s
        }
        func total(_ spans: [Span]) -> Int64 {
            let (runs, _) = RunAssembler().assemble(spans, runInfo: [])
            return RunAnalyzer().analyze(runs, jobs: 1)[0].totalTokens
        }
        // A chain span repeating its one model call's count.
        #expect(total([span("r", nil, .span, tokens: 50), span("m", "r", .llm, tokens: 50)]) == 50)
        // A span with its own, different usage beside its children's is counted as recorded.
        #expect(total([span("r", nil, .span, tokens: 40), span("m", "r", .llm, tokens: 50)]) == 90)
        // An agent whose model calls are not spans keeps its usage.
        #expect(total([span("r", nil, .agent, tokens: 70), span("t", "r", .tool, tokens: nil)]) == 70)
        // Nested totals: an agent total over a step total over the model calls.
        #expect(
            total([
                span("a", nil, .agent, tokens: 100), span("s", "a", .span, tokens: 100),
                span("m1", "s", .llm, tokens: 60),
                span("m2", "s", .llm, tokens: 40),
            ]) == 100)
    }
}
