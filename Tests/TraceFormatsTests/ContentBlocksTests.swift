import Foundation
import Testing
import TraceJSON
import TraceModel

@testable import TraceFormats

/// strands 1.62 (default conventions) writes message content as JSON text of Bedrock Converse
/// blocks in `gen_ai.*.message` and `gen_ai.choice` events; the agent span's answer is plain text.
@Suite("content blocks: strands events and Bedrock/Anthropic blocks")
struct ContentBlocksTests {
    static func strands() throws -> Loaded { try load(fixture: "strands/refund-default-conventions.otlp.json") }

    @Test("the agent span shows the final answer")
    func finalAnswer() throws {
        let loaded = try Self.strands()
        let run = try #require(loaded.runs.first)
        let root = try #require(run.run.nodes.first?.span)
        #expect(root.kind == .agent)
        #expect(root.output == .string("Yes: A-1042 arrived damaged, so it is refunded in full."))
        #expect(root.metadata["finish_reason"] == .string("end_turn"))
    }

    @Test("inputs are messages with their text, not the raw JSON of the blocks")
    func inputs() throws {
        let loaded = try Self.strands()
        let chat = try #require(loaded.spans.first { $0.kind == .llm })
        let messages = try #require(chat.input?["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == [.string("system"), .string("user")])
        #expect(messages[1]["content"] == .string("Refund A-1042?"))
    }

    @Test("toolUse blocks are tool calls, toolResult blocks are tool messages")
    func toolBlocks() throws {
        let loaded = try Self.strands()
        let chats = loaded.spans.filter { $0.kind == .llm }
        #expect(chats.count == 2)
        let first = try #require(chats.first)
        let call = try #require(first.output?["tool_calls"]?.arrayValue?.first)
        #expect(call["id"] == .string("tooluse_1"))
        #expect(call["function"]?["name"] == .string("lookup_order"))
        #expect(call["function"]?["arguments"] == .object(JSONObject([("order_id", .string("A-1042"))])))
        // The second call's input: the assistant's call and the tool's result.
        let history = try #require(chats.last?.input?["messages"]?.arrayValue)
        #expect(history.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
        #expect(history[2]["tool_calls"]?.arrayValue?.first?["function"]?["name"] == .string("lookup_order"))
        #expect(history[3]["tool_call_id"] == .string("tooluse_1"))
        #expect(history[3]["content"] == .string(#"{"order_id": "A-1042", "status": "damaged"}"#))
        #expect(chats.last?.output?["content"] == .string("Yes: A-1042 arrived damaged, so it is refunded in full."))
        // The event-loop cycle's choice holds the call and, in tool.result, its result.
        let cycle = try #require(loaded.spans.first { $0.name == "execute_event_loop_cycle" && $0.output != nil })
        let out = try #require(cycle.output?.arrayValue)
        #expect(out.map { $0["role"]?.stringValue } == ["assistant", "tool"])
    }

    @Test("a strands tool span has the call's arguments as input and its result as output")
    func toolSpan() throws {
        let loaded = try Self.strands()
        let tool = try #require(loaded.spans.first { $0.kind == .tool })
        #expect(tool.name == "execute_tool lookup_order")
        #expect(tool.input == .object(JSONObject([("order_id", .string("A-1042"))])))
        #expect(tool.output?["status"] == .string("damaged"))
    }

    @Test("Bedrock and Anthropic blocks, given as values or as JSON text, become typed messages")
    func blockShapes() {
        func message(_ text: String) -> JSONObject {
            guard case .object(let o)? = JSONStreamParser.parse(text).records.first?.value else { return JSONObject() }
            return o
        }
        let bedrock = OTelAttributes.normalizedMessage(
            message(
                #"{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Check the order first."}}},{"text":"Looking it up."},{"toolUse":{"toolUseId":"t1","name":"lookup","input":{"id":7}}}]}"#
            ),
            defaultRole: "assistant"
        )
        #expect(bedrock.count == 1)
        #expect(bedrock[0]["content"]?.arrayValue?.map { $0["type"] } == [.string("reasoning"), .string("text")])
        #expect(bedrock[0]["tool_calls"]?.arrayValue?.first?["function"]?["name"] == .string("lookup"))
        let anthropic = OTelAttributes.normalizedMessage(
            message(
                #"{"role":"user","content":"[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"found\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AA==\"}}]"}"#
            ),
            defaultRole: "user"
        )
        #expect(anthropic.map { $0["role"] } == [.string("user"), .string("tool")])
        #expect(anthropic[1]["tool_call_id"] == .string("t1"))
        #expect(anthropic[1]["content"] == .string("found"))
        #expect(anthropic[0]["content"]?.arrayValue?.first?["type"] == .string("image"))
        // Text that merely looks like JSON stays text.
        let plain = OTelAttributes.normalizedMessage(
            message(#"{"role":"user","content":"[1, 2, 3] are the ids"}"#), defaultRole: "user")
        #expect(plain[0]["content"] == .string("[1, 2, 3] are the ids"))
        let numbers = OTelAttributes.normalizedMessage(
            message(#"{"role":"user","content":"[{\"id\": 1}]"}"#), defaultRole: "user")
        #expect(numbers[0]["content"] == .string(#"[{"id": 1}]"#))
    }
}

/// What the adapters write is read into typed messages when the span is decoded: later stages
/// see roles, tool calls and results, never the JSON shape.
@Suite("typed content from the adapters")
struct TypedContentFromAdaptersTests {
    @Test("strands blocks arrive as typed messages: a call with its id and arguments, a result naming it")
    func strandsTyped() throws {
        let loaded = try ContentBlocksTests.strands()
        let chats = loaded.spans.filter { $0.kind == .llm }
        let history = try #require(chats.last?.inputContent?.messages)
        #expect(history.map(\.role) == ["system", "user", "assistant", "tool"])
        let call = try #require(history[2].toolCalls.first)
        #expect(call.id == "tooluse_1")
        #expect(call.name == "lookup_order")
        #expect(call.arguments == .object(JSONObject([("order_id", .string("A-1042"))])))
        #expect(history[3].toolCallID == "tooluse_1")
        #expect(history[3].content == .text(#"{"order_id": "A-1042", "status": "damaged"}"#))
        let answer = try #require(chats.last?.outputContent?.messages?.first)
        #expect(answer.previewText == "Yes: A-1042 arrived damaged, so it is refunded in full.")
    }

    @Test("every model call of every producer fixture with a recorded input reads it as messages or a text")
    func everyFixture() throws {
        let root = producerFixturesRoot
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { !$0.hasSuffix(".py") && !$0.hasSuffix(".md") }.sorted()
        var checked = 0
        for file in files {
            var isDirectory: ObjCBool = false
            guard
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent(file).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            let loaded = try load(fixture: file)
            for span in loaded.spans where span.kind == .llm {
                guard let content = span.inputContent else { continue }
                checked += 1
                switch content.form {
                case .chat, .text: break
                default: Issue.record("\(file): model call \(span.name) input read as \(content.form)")
                }
            }
        }
        #expect(checked > 10)
    }
}
