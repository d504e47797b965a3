import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

@Suite("agent framework spans: pydantic-ai runs, smolagents tools, console exports")
struct AgentFrameworkSpansTests {
    @Test("pydantic-ai 2.68: the agent span has the conversation as input messages and final_result as output")
    func pydanticAIAgent() throws {
        let loaded = try load(fixture: "pydantic-ai/refund-agent.otlp.json")
        let agent = try #require(loaded.spans.first { $0.kind == .agent })
        let messages = try #require(agent.input?["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
        #expect(messages[1]["content"] == .string("Refund A-1042?"))
        #expect(messages[2]["tool_calls"]?.arrayValue?.first?["function"]?["name"] == .string("lookup_order"))
        #expect(agent.output == .string("Yes: A-1042 arrived damaged, so it is refunded in full."))
        #expect(agent.metadata["pydantic_ai.all_messages"] == nil)
        #expect(agent.metadata["final_result"] == nil)
    }

    @Test("smolagents 1.26: tool spans are named by tool.name, with the keyword arguments as input")
    func smolagentsToolNames() throws {
        let loaded = try load(fixture: "smolagents/refund-agent.otlp.json")
        let tools = loaded.spans.filter { $0.kind == .tool }
        #expect(tools.map(\.name) == ["lookup_order", "final_answer"])
        #expect(tools.first?.metadata["otel.span_name"] == .string("SimpleTool"))
        #expect(tools.first?.input == .object(JSONObject([("order_id", .string("A-1042"))])))
    }

    @Test("the console exporter's resource attributes are kept, as the OTLP form keeps them")
    func consoleResource() throws {
        let loaded = try load(fixture: "otel-console/start-and-end.txt")
        let root = try #require(loaded.runs.first?.run.root)
        #expect(root.metadata["service.name"] == .string("refund-service"))
        #expect(root.metadata["resource"]?["deployment.environment"] == .string("staging"))
    }

    @Test("a span recorded at its start and again at its end merges silently")
    func startAndEnd() throws {
        let loaded = try load(fixture: "otel-console/start-and-end.txt")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        #expect(loaded.spanCount == 2)
        let chat = try #require(loaded.spans.first { $0.kind == .llm })
        #expect(chat.usage.tokens == 12)
        #expect(chat.endTimeUnixNano != nil)
        #expect(loaded.runs.first?.status == .ok)
    }

    @Test("records of one span that disagree on a field both set give one warning naming the field")
    func startAndEndDisagree() throws {
        let loaded = try load(fixture: "otel-console/start-and-end-disagree.txt")
        let warnings = loaded.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("\"app.ticket\"") == true)
        #expect(loaded.runs.first?.run.root?.metadata["app.ticket"] == .string("T-2"))
    }
}
