import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// openai-agents 0.24 wraps each run in a `custom` span of `sdk_span_type` `task` that never
/// records an error; when `Runner.run` raises, the error is on the agent span below it, with the
/// exception's text in `error.data.error` (checked against an export of openai-agents 0.24.0
/// with a fake model and a tool that raises).
@Suite("openai-agents 0.24: run status from the whole run")
struct OpenAIAgentsRunStatusTests {
    @Test("a run whose Runner.run raised is failed, though its task root recorded no error")
    func raisedRunFails() throws {
        let loaded = try load(fixture: "openai-agents/runner-raised.jsonl")
        #expect(loaded.errors.isEmpty, "\(loaded.errors.map(\.message))")
        let raised = try #require(loaded.runs.first { $0.run.traceID == "trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61" })
        let root = try #require(raised.run.nodes.first?.span)
        #expect(root.kind == .task)
        #expect(root.error == nil)
        #expect(raised.status == .error)
        let agent = try #require(raised.run.nodes.map(\.span).first { $0.kind == .agent && $0.name == "Refund agent" })
        #expect(
            agent.error?.message
                == "Error in agent run: Error running tool issue_refund: payments service unavailable (503)")
        // The text moved into the message is not repeated in metadata.
        #expect(agent.metadata["error_data"] == nil)
    }

    @Test("a tool error the agent recovered from is a failed span in an ok run")
    func handledToolErrorKeepsRunOK() throws {
        let loaded = try load(fixture: "openai-agents/runner-raised.jsonl")
        let recovered = try #require(loaded.runs.first { $0.run.traceID == "trace_6a1d3b0f9c8e4f72b4d2a31e0f9c8b72" })
        #expect(recovered.status == .ok)
        #expect(recovered.errorCount == 1)
        let tool = try #require(recovered.run.nodes.map(\.span).first { $0.kind == .tool })
        #expect(tool.error?.message == "Error running tool (non-fatal): lookup timed out")
        #expect(tool.metadata["error_data"]?["tool_name"] == .string("flaky_lookup"))
    }

    @Test("an error on a span below the agent path, or on a nested agent that failed, decides as defined")
    func agentPathRule() {
        func span(_ id: String, _ parent: String?, _ kind: SpanKind, failed: Bool = false) -> Span {
            var s = Span(
                traceID: "t", spanID: id, parentSpanID: parent, name: id, startTimeUnixNano: 1, endTimeUnixNano: 2,
                source: SourceLocation(file: "f", line: 1), sourceFormat: "test")
            s.kind = kind
            if failed { s.error = SpanError(message: "boom") }
            return s
        }
        func status(_ spans: [Span]) -> RunStatus {
            let (runs, _) = RunAssembler().assemble(spans, runInfo: [])
            return RunAnalyzer().analyze(runs, jobs: 1)[0].status
        }
        // A model call that failed under an agent that went on: handled.
        #expect(status([span("r", nil, .task), span("a", "r", .agent), span("m", "a", .llm, failed: true)]) == .ok)
        // A sub-agent handed off to that raised: on the path, so the run failed.
        #expect(
            status([
                span("r", nil, .task), span("a", "r", .agent), span("h", "a", .handoff),
                span("b", "h", .agent, failed: true),
            ]) == .error)
        // An agent called as a tool sits below a tool span: its failure is the tool's, handled.
        #expect(
            status([
                span("r", nil, .task), span("a", "r", .agent), span("t", "a", .tool),
                span("b", "t", .agent, failed: true),
            ]) == .ok)
    }
}
