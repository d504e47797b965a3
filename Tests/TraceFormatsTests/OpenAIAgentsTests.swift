import Testing
import TraceFormats
import TraceJSON
import TraceModel

@Suite("OpenAI Agents SDK export")
struct OpenAIAgentsTests {
    /// What one corpus file must decode into.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var path: String
        var spans: Int
        var runs: Int
        var roots: Int
        var depth: Int
        /// Chat messages over all model-call spans (inputs and outputs).
        var messages: Int
        /// Tool calls named in those messages.
        var toolCalls: Int
        /// Tokens over all spans (task and turn totals are not counted twice).
        var tokens: Int64
        var testDescription: String { path }
    }

    static let corpus: [Expectation] = [
        // Two traces: a weather workflow (a stray `prepare` span beside the task tree) and a
        // lookup workflow whose tool fails.
        Expectation(
            path: "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl",
            spans: 20, runs: 2, roots: 3, depth: 3, messages: 23, toolCalls: 7, tokens: 620
        ),
        Expectation(
            path: "openai-agents/generated-openai-agents-0.24.0-ingest-batch.json",
            spans: 20, runs: 2, roots: 3, depth: 3, messages: 23, toolCalls: 7, tokens: 620
        ),
        Expectation(
            path: "openai-agents/generated-openai-agents-0.24.0-responses-model-exports.jsonl",
            spans: 7, runs: 1, roots: 1, depth: 3, messages: 0, toolCalls: 0, tokens: 157
        ),
    ]

    @Test("other span types, a triggered guardrail and an unfinished span")
    func otherTypes() throws {
        let text = """
            {"object":"trace","id":"trace_1","workflow_name":"Voice","group_id":null,"metadata":null}
            {"object":"trace.span","id":"span_g","trace_id":"trace_1","parent_id":"span_a","started_at":"2025-06-01T12:00:01+00:00","ended_at":"2025-06-01T12:00:02+00:00","span_data":{"type":"guardrail","name":"no_pii","triggered":true},"error":null}
            {"object":"trace.span","id":"span_t","trace_id":"trace_1","parent_id":"span_a","started_at":"2025-06-01T12:00:02+00:00","ended_at":"2025-06-01T12:00:03+00:00","span_data":{"type":"transcription","input":{"data":"AAAA","format":"pcm"},"output":"hello","model":"gpt-4o-transcribe","model_config":{}},"error":null}
            {"object":"trace.span","id":"span_m","trace_id":"trace_1","parent_id":"span_a","started_at":"2025-06-01T12:00:03+00:00","ended_at":"2025-06-01T12:00:04+00:00","span_data":{"type":"mcp_tools","server":"files","result":["read","write"]},"error":null}
            {"object":"trace.span","id":"span_a","trace_id":"trace_1","parent_id":null,"started_at":"2025-06-01T12:00:00.000001+00:00","ended_at":null,"span_data":{"type":"agent","name":"Voice agent","handoffs":[],"tools":["read"],"output_type":"str"},"error":null}
            """
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty)
        #expect(loaded.spanCount == 4)
        #expect(loaded.maxDepth == 1)
        let spans = loaded.spans
        let guardrail = try #require(spans.first { $0.spanID == "span_g" })
        #expect(guardrail.labels == ["guardrail triggered"])
        #expect(guardrail.output?["triggered"] == .bool(true))
        let transcription = try #require(spans.first { $0.spanID == "span_t" })
        #expect(transcription.kind == .llm)
        #expect(transcription.model == "gpt-4o-transcribe")
        #expect(transcription.output == .string("hello"))
        let mcp = try #require(spans.first { $0.spanID == "span_m" })
        #expect(mcp.kindName == "mcp_tools")
        #expect(mcp.output == .array([.string("read"), .string("write")]))
        let agent = try #require(spans.first { $0.spanID == "span_a" })
        #expect(agent.endTimeUnixNano == nil)
        #expect(agent.startTimeUnixNano == 1_748_779_200_000_001_000)
        #expect(loaded.runs.first?.run.info?.name == "Voice")
    }

    @Test("items without an id or with an unknown object are reported and skipped")
    func badItems() {
        let text = """
            {"data":[{"object":"trace.span","trace_id":"trace_1","span_data":{"type":"custom","name":"x"}},{"object":"trace.response","id":"r"},{"object":"trace.span","id":"span_1","trace_id":"trace_1","started_at":"yesterday","span_data":{"type":"custom"}},{"object":"trace.span","id":"span_2","trace_id":"trace_1","started_at":"2025-06-01T12:00:00+00:00","span_data":{"type":"custom","name":"ok"}}]}
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        #expect(loaded.errors.count == 3)
        #expect(loaded.errors.contains { $0.message.contains("\"id\"") })
        #expect(loaded.errors.contains { $0.message.contains("trace.response") })
        #expect(loaded.errors.contains { $0.message.contains("started_at") })
    }

    @Test("detection claims export items and batches but not other formats' first values")
    func detection() {
        let decoder = OpenAIAgentsDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"{"object":"trace","id":"trace_1"}"#)))
        #expect(decoder.matches(value(#"{"data":[{"object":"trace.span","id":"span_1"}]}"#)))
        #expect(!decoder.matches(value(#"{"data":[{"traceID":"a","spans":[],"processes":{}}]}"#)))
        #expect(!decoder.matches(value(#"{"trace_id":"a","span_id":"b","name":"x","start_time":1}"#)))
        #expect(!decoder.matches(value(#"{"object":"chat.completion","id":"x"}"#)))
    }
}

extension OpenAIAgentsTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("OpenAI Agents SDK export on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file decodes into the expected runs, tree and content", arguments: corpus)
        func corpusFile(_ expected: Expectation) throws {
            let loaded = try load(corpus: expected.path)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.roots)
            #expect(loaded.maxDepth == expected.depth)
            #expect(loaded.decoded.spans.allSatisfy { $0.sourceFormat == "OpenAI Agents SDK export" })
            let llm = loaded.spans.filter { $0.kind == .llm }
            #expect(llm.reduce(0) { $0 + $1.messages.count } == expected.messages)
            #expect(llm.reduce(0) { $0 + $1.toolCalls.count } == expected.toolCalls)
            #expect(loaded.spans.reduce(Int64(0)) { $0 + ($1.usage.tokens ?? 0) } == expected.tokens)
            // The trace item is the run's header, never a span.
            #expect(loaded.spans.allSatisfy { $0.spanID.hasPrefix("span_") })
            #expect(loaded.runs.allSatisfy { $0.run.info?.name != nil })
        }

        @Test("the trace item names the run and carries its group id and metadata")
        func traceHeader() throws {
            let loaded = try load(corpus: "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl")
            let weather = try #require(loaded.runs.first { $0.run.traceID == "trace_bac74576c2c1401fa9fbfaad4b90e017" })
            let info = try #require(weather.run.info)
            #expect(info.name == "Weather workflow")
            #expect(info.metadata["group_id"] == .string("conv_demo_001"))
            #expect(info.metadata["user"] == .string("demo"))
            #expect(weather.run.nodes.count == 13)
        }

        @Test("span types map to kinds, with children listed before their parents")
        func kinds() throws {
            let loaded = try load(corpus: "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl")
            let spans = loaded.spans
            func span(_ id: String) throws -> Span { try #require(spans.first { $0.spanID == id }) }

            let task = try span("span_630cc3494ad9490da319c97b")
            #expect(task.kind == .task)
            #expect(task.usage.isEmpty)  // its usage sums the model calls below it
            #expect(task.parentSpanID == nil)

            let triage = try span("span_14b055bbbdb54df8924b7be3")
            #expect(triage.kind == .agent)
            #expect(triage.name == "Triage agent")
            #expect(triage.metadata["handoffs"] == .array([.string("Weather agent")]))
            #expect(triage.parentSpanID == task.spanID)

            let turn = try span("span_c0084b7288124990afd4f34e")
            #expect(turn.kind == .agent)
            #expect(turn.metadata["agent_name"] == .string("Triage agent"))
            #expect(turn.usage.isEmpty)

            let handoff = try span("span_1b3f5de430504d1988ca2fb0")
            #expect(handoff.kind == .handoff)
            #expect(handoff.metadata["from_agent"] == .string("Triage agent"))
            #expect(handoff.metadata["to_agent"] == .string("Weather agent"))

            let guardrail = try span("span_aa0ae092209b413aaaad2ab1")
            #expect(guardrail.kind == .guardrail)
            #expect(guardrail.name == "no_secrets")
            #expect(guardrail.labels.isEmpty)

            let prepare = try span("span_0b29d4428bdd46bc9c1114b3")
            #expect(prepare.kind == .span)
            #expect(prepare.kindName == "custom")
            #expect(prepare.metadata["step"] == .number(JSONNumber(1)))
            #expect(prepare.startTimeUnixNano == 1_795_557_128_454_835_000)
        }

        @Test("a generation carries normalized messages, tool calls, model and usage")
        func generation() throws {
            let loaded = try load(corpus: "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl")
            let generation = try #require(loaded.spans.first { $0.spanID == "span_24ea1c76dcc8462eb1f3a0a6" })
            #expect(generation.kind == .llm)
            #expect(generation.model == "gpt-4o-mini")
            #expect(generation.usage == Usage(inputTokens: 120, outputTokens: 17, totalTokens: 137))
            let input = try #require(generation.input?.objectValue)
            let messages = try #require(input["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
            #expect(messages[3]["tool_call_id"] == .string("call_h1"))
            #expect(input["base_url"] == .string("http://mock.invalid/v1/"))
            #expect(input["temperature"] == nil)  // null request parameters are dropped
            let output = try #require(generation.output?.objectValue)
            #expect(output["role"] == .string("assistant"))
            #expect(output["refusal"] == nil)
            let call = try #require(generation.toolCalls.last)
            #expect(call.name == "get_weather")
            #expect(call.arguments == .string("{\"city\": \"Paris\"}"))
        }

        @Test("function spans have parsed arguments, and a failed one has an error")
        func functions() throws {
            let loaded = try load(corpus: "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl")
            let weather = try #require(loaded.spans.first { $0.spanID == "span_68a90bc4a27c48d9a58fdca0" })
            #expect(weather.kind == .tool)
            #expect(weather.name == "get_weather")
            #expect(weather.input == .object(JSONObject([("city", .string("Paris"))])))
            #expect(weather.output == .string("light rain, 14 C in Paris"))
            #expect(weather.error == nil)

            let flaky = try #require(loaded.spans.first { $0.spanID == "span_e4a55091de404b758ab152d4" })
            #expect(
                flaky.error?.message
                    == "Error running tool (non-fatal): Tool execution failed. Error details are redacted.")
            #expect(flaky.metadata["error_data"]?["tool_name"] == .string("flaky_lookup"))
        }

        @Test("response spans carry the response id and usage but no messages")
        func responses() throws {
            let loaded = try load(corpus: "openai-agents/generated-openai-agents-0.24.0-responses-model-exports.jsonl")
            let responses = loaded.spans.filter { $0.kind == .llm }
            #expect(responses.count == 2)
            let first = try #require(responses.first { $0.spanID == "span_34a29745114741cabc55944b" })
            #expect(first.metadata["response_id"] == .string("resp_1795557148067616"))
            #expect(first.usage == Usage(inputTokens: 50, outputTokens: 18, totalTokens: 68))
            #expect(first.input == nil && first.output == nil)
            let add = try #require(loaded.spans.first { $0.kind == .tool })
            #expect(add.input == .object(JSONObject([("a", .number(JSONNumber(2))), ("b", .number(JSONNumber(3)))])))
            #expect(loaded.runs.first?.run.info?.name == "Agent workflow")
        }
    }
}
