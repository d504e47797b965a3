import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// The span the OTel mapper makes of a flat attribute map.
private func mapped(
    _ attributes: JSONObject, name: String = "span", kind: String = "CLIENT", events: [SpanEvent] = []
) -> Span {
    OTelSpanMapper.span(
        from: OTelSpanRecord(
            traceID: "0af7651916cd43dd8448eb211c80319c",
            spanID: "b7ad6b7169203331",
            name: name,
            kind: kind,
            attributes: attributes,
            events: events,
            source: SourceLocation(file: "attributes", line: 1),
            formatName: "test"
        )
    )
}

/// The span the OTel mapper makes of a corpus attribute-map file.
private func mapped(corpus path: String) throws -> Span {
    let value = try corpusJSON(path)
    return mapped(try #require(value.objectValue), name: path)
}

/// An attribute map from JSON text.
private func attributes(_ text: String) throws -> JSONObject {
    try #require(JSONStreamParser.parse(text).records.first?.value.objectValue)
}

/// The normalized input messages of a span.
private func inputMessages(_ span: Span) -> [JSONObject] {
    span.input?["messages"]?.arrayValue?.compactMap(\.objectValue) ?? []
}

private func json(_ text: String) -> JSONValue {
    JSONStreamParser.parse(text).records.first?.value ?? .null
}

@Suite("OpenTelemetry semantic conventions")
struct SemanticConventionTests {
    // MARK: GenAI details

    @Test("system instructions lead the messages; content events are read when attributes have none")
    func genAIEventsAndInstructions() throws {
        let withInstructions = mapped(
            try attributes(
                #"{"gen_ai.operation.name":"chat","gen_ai.system_instructions":"[{\"type\":\"text\",\"content\":\"Be brief.\"}]","gen_ai.input.messages":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"},{\"type\":\"reasoning\",\"content\":\"hm\"}]}]"}"#
            )
        )
        let messages = inputMessages(withInstructions)
        #expect(messages.map { $0["role"]?.stringValue } == ["system", "user"])
        #expect(messages[0]["content"] == .string("Be brief."))
        #expect(messages[1]["content"]?.arrayValue?.count == 2)

        let details = mapped(
            try attributes(#"{"gen_ai.operation.name":"chat","gen_ai.system_instructions":"You are terse."}"#),
            events: [
                SpanEvent(
                    name: "gen_ai.client.inference.operation.details",
                    attributes: try attributes(
                        #"{"gen_ai.input.messages":"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Ping\"}]}]","gen_ai.output.messages":"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Pong\"}],\"finish_reason\":\"stop\"}]"}"#
                    )
                )
            ]
        )
        #expect(inputMessages(details).map { $0["content"]?.stringValue } == ["You are terse.", "Ping"])
        #expect(details.output?["content"] == .string("Pong"))
        #expect(details.events.isEmpty)

        let oldest = mapped(
            try attributes(#"{"gen_ai.system":"openai","gen_ai.request.model":"gpt-3.5-turbo"}"#),
            events: [
                SpanEvent(
                    name: "gen_ai.content.prompt",
                    attributes: try attributes(#"{"gen_ai.prompt":"[{\"role\":\"user\",\"content\":\"Hello\"}]"}"#)),
                SpanEvent(
                    name: "gen_ai.content.completion",
                    attributes: try attributes(
                        #"{"gen_ai.completion":"[{\"role\":\"assistant\",\"content\":\"Hi there\"}]"}"#)
                ),
            ]
        )
        #expect(oldest.model == "gpt-3.5-turbo")
        #expect(inputMessages(oldest).first?["content"] == .string("Hello"))
        #expect(oldest.output?["content"] == .string("Hi there"))
        #expect(oldest.events.isEmpty)

        let v1 = mapped(
            try attributes(#"{"gen_ai.operation.name":"chat"}"#),
            events: [
                SpanEvent(name: "gen_ai.system.message", attributes: try attributes(#"{"content":"You help."}"#)),
                SpanEvent(name: "gen_ai.user.message", attributes: try attributes(#"{"content":"Weather?"}"#)),
                SpanEvent(
                    name: "gen_ai.assistant.message",
                    attributes: try attributes(
                        #"{"tool_calls":[{"id":"c1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]}"#
                    )
                ),
                SpanEvent(name: "gen_ai.tool.message", attributes: try attributes(#"{"content":"cold","id":"c1"}"#)),
                SpanEvent(
                    name: "gen_ai.choice",
                    attributes: try attributes(
                        #"{"index":0,"finish_reason":"stop","message":{"content":"It is cold."}}"#)),
                SpanEvent(
                    name: "gen_ai.evaluation.result",
                    attributes: try attributes(
                        #"{"gen_ai.evaluation.name":"relevance","gen_ai.evaluation.score.value":0.75,"gen_ai.evaluation.score.label":"pass"}"#
                    )
                ),
            ]
        )
        let v1Messages = inputMessages(v1)
        #expect(v1Messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool"])
        #expect(v1.toolCalls.first?.name == "weather")
        #expect(v1.toolCalls.first?.arguments == json(#"{"city":"Oslo"}"#))
        #expect(v1Messages[3]["tool_call_id"] == .string("c1"))
        #expect(v1.output?["content"] == .string("It is cold."))
        #expect(v1.output?["finish_reason"] == .string("stop"))
        #expect(v1.scores == [Score(name: "relevance", value: 0.75, text: "0.75 (pass)")])
        #expect(v1.events.map(\.name) == ["gen_ai.evaluation.result"])
    }

    @Test("operation names map to kinds, error.type marks failures and retrieval documents are read")
    func genAIKindsErrorsRetrieval() throws {
        let kinds: [(String, SpanKind)] = [
            ("chat", .llm), ("text_completion", .llm), ("generate_content", .llm), ("embeddings", .embedding),
            ("retrieval", .retrieval), ("execute_tool", .tool), ("invoke_agent", .agent), ("create_agent", .agent),
            ("invoke_workflow", .task),
        ]
        for (operation, kind) in kinds {
            #expect(mapped(JSONObject([("gen_ai.operation.name", .string(operation))])).kind == kind, "\(operation)")
        }
        // No operation name: a model with token counts is a model call, unless another
        // vocabulary names the kind.
        let modelCall = mapped(
            try attributes(
                #"{"gen_ai.system":"gcp.vertex.agent","gen_ai.request.model":"gemini-2.0-flash","gen_ai.usage.input_tokens":181}"#
            ))
        #expect(modelCall.kind == .llm)
        #expect(modelCall.model == "gemini-2.0-flash")
        let agent = mapped(
            try attributes(
                #"{"langfuse.observation.type":"agent","gen_ai.request.model":"m","gen_ai.usage.input_tokens":1}"#))
        #expect(agent.kind == .agent)

        let failed = mapped(try attributes(#"{"gen_ai.operation.name":"chat","error.type":"timeout"}"#))
        #expect(failed.error == SpanError(type: "timeout", message: "timeout"))
        #expect(failed.metadata["error.type"] == nil)
        let raised = mapped(
            try attributes(#"{"gen_ai.operation.name":"chat"}"#),
            events: [
                SpanEvent(
                    name: "gen_ai.client.operation.exception",
                    attributes: try attributes(
                        #"{"exception.type":"RateLimitError","exception.message":"429 Too Many Requests"}"#)
                )
            ]
        )
        #expect(raised.error == SpanError(type: "RateLimitError", message: "429 Too Many Requests"))

        let retrieval = mapped(
            try attributes(
                #"{"gen_ai.operation.name":"retrieval","gen_ai.retrieval.query.text":"refunds","gen_ai.retrieval.documents":"[{\"id\":\"d1\",\"score\":0.9,\"content\":\"Refunds take 5 days.\"}]"}"#
            )
        )
        #expect(retrieval.input?["query"] == .string("refunds"))
        let doc = try #require(retrieval.output?["documents"]?.arrayValue?.first)
        #expect(doc["id"] == .string("d1"))
        #expect(doc["content"] == .string("Refunds take 5 days."))
        #expect(doc["score"] == .number(JSONNumber(text: "0.9")))
    }

    // MARK: OpenInference details

    @Test("OpenInference nested message lists read like flattened ones, and span kinds map")
    func openInferenceNestedAndKinds() throws {
        let flat = mapped(
            try attributes(
                #"{"openinference.span.kind":"LLM","llm.input_messages.0.message.role":"user","llm.input_messages.0.message.content":"Hi","llm.input_messages.1.message.role":"assistant","llm.input_messages.1.message.tool_calls.0.tool_call.function.name":"f","llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments":"{\"a\":1}"}"#
            )
        )
        let nested = mapped(
            try attributes(
                #"{"openinference.span.kind":"LLM","llm.input_messages":[{"message.role":"user","message.content":"Hi"},{"message.role":"assistant","message.tool_calls":[{"tool_call.function.name":"f","tool_call.function.arguments":"{\"a\":1}"}]}]}"#
            )
        )
        #expect(flat.input != nil)
        #expect(flat.input == nested.input)
        #expect(nested.toolCalls.first?.arguments == json(#"{"a":1}"#))
        #expect(nested.metadata["llm.input_messages"] == nil)

        let kinds: [(String, SpanKind)] = [
            ("LLM", .llm), ("EMBEDDING", .embedding), ("CHAIN", .task), ("RETRIEVER", .retrieval),
            ("RERANKER", .retrieval),
            ("TOOL", .tool), ("AGENT", .agent), ("GUARDRAIL", .guardrail), ("EVALUATOR", .eval), ("PROMPT", .task),
        ]
        for (name, kind) in kinds {
            #expect(mapped(JSONObject([("openinference.span.kind", .string(name))])).kind == kind, "\(name)")
        }
        // OpenInference's kind wins over the GenAI operation.
        let both = mapped(
            JSONObject([("gen_ai.operation.name", .string("chat")), ("openinference.span.kind", .string("AGENT"))]))
        #expect(both.kind == .agent)
    }

    @Test("OpenInference retrieval documents, cost, tags and evaluation scores are read")
    func openInferenceRetrievalCostScores() throws {
        let span = mapped(
            try attributes(
                #"{"openinference.span.kind":"RETRIEVER","input.value":"refunds","retrieval.documents.0.document.id":"d1","retrieval.documents.0.document.content":"Refunds take 5 days.","retrieval.documents.0.document.score":0.8,"retrieval.documents.0.document.metadata":"{\"source\":\"faq\"}","retrieval.documents.1.document.content":"Contact support.","llm.cost.total":0.0123,"tag.tags":["prod","eu"],"evaluation.name":"hallucination","evaluation.score":0,"evaluation.label":"factual"}"#
            )
        )
        #expect(span.kind == .retrieval)
        #expect(span.input == .string("refunds"))
        let docs = try #require(span.output?["documents"]?.arrayValue)
        #expect(docs.count == 2)
        #expect(docs[0]["id"] == .string("d1"))
        #expect(docs[0]["score"] == .number(JSONNumber(text: "0.8")))
        #expect(docs[0]["metadata"]?["source"] == .string("faq"))
        #expect(docs[1]["content"] == .string("Contact support."))
        #expect(span.usage.cost == 0.0123)
        #expect(span.labels == ["prod", "eu"])
        #expect(span.scores == [Score(name: "hallucination", value: 0, text: "0 (factual)")])
        #expect(!span.metadata.members.contains { $0.key.hasPrefix("retrieval.") || $0.key.hasPrefix("evaluation.") })
    }

    @Test("a whole chat-completion response in output.value is kept as recorded")
    func openInferenceCompletionResponse() throws {
        let span = mapped(
            try attributes(
                #"{"openinference.span.kind":"LLM","input.value":"{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}","input.mime_type":"application/json","output.value":"{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"}}],\"usage\":{\"total_tokens\":5}}","output.mime_type":"application/json"}"#
            )
        )
        #expect(inputMessages(span).first?["content"] == .string("Hi"))
        #expect(span.input?["model"] == .string("gpt-4o"))
        #expect(span.output?["id"] == .string("c1"))
        #expect(span.output?["choices"]?.arrayValue?.first?["message"]?["content"] == .string("Hello"))
    }

    // MARK: Traceloop

    @Test("Traceloop indexed prompts and completions with tool calls become messages")
    func traceloop() throws {
        let span = mapped(
            try attributes(
                #"{"llm.request.type":"chat","gen_ai.system":"openai","gen_ai.request.model":"gpt-4o","gen_ai.prompt.0.role":"system","gen_ai.prompt.0.content":"Be brief.","gen_ai.prompt.1.role":"user","gen_ai.prompt.1.content":"Weather in Oslo?","gen_ai.completion.0.role":"assistant","gen_ai.completion.0.finish_reason":"tool_calls","gen_ai.completion.0.tool_calls.0.id":"call_1","gen_ai.completion.0.tool_calls.0.name":"weather","gen_ai.completion.0.tool_calls.0.arguments":"{\"city\":\"Oslo\"}","gen_ai.usage.prompt_tokens":20,"gen_ai.usage.completion_tokens":7,"llm.usage.total_tokens":27}"#
            )
        )
        #expect(span.kind == .llm)
        #expect(span.model == "gpt-4o")
        #expect(inputMessages(span).map { $0["content"]?.stringValue } == ["Be brief.", "Weather in Oslo?"])
        #expect(span.toolCalls.map(\.name) == ["weather"])
        #expect(span.toolCalls.first?.arguments == json(#"{"city":"Oslo"}"#))
        #expect(span.usage == Usage(inputTokens: 20, outputTokens: 7, totalTokens: 27))
        #expect(
            !span.metadata.members.contains {
                $0.key.hasPrefix("gen_ai.prompt.") || $0.key.hasPrefix("gen_ai.completion.")
            })

        let workflow = mapped(
            try attributes(
                #"{"traceloop.span.kind":"workflow","traceloop.entity.name":"plan","traceloop.entity.input":"{\"args\":[],\"kwargs\":{\"goal\":\"x\"}}","traceloop.entity.output":"\"done\""}"#
            )
        )
        #expect(workflow.kind == .task)
        #expect(workflow.input?["kwargs"]?["goal"] == .string("x"))
        #expect(workflow.output == .string("done"))
    }
}

extension SemanticConventionTests {
    /// The same mappings over the attribute files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("OpenTelemetry semantic conventions on ../shared/corpus", .corpus)
    struct OnCorpus {
        // MARK: GenAI and OpenInference agree

        @Test("one conversation written as GenAI and as OpenInference attributes maps to the same messages and tokens")
        func genAIMatchesOpenInference() throws {
            let genAI = try mapped(corpus: "openinference-otel-genai/attrs-otel_genai_client_span_tool_calls.json")
            let openInference = try mapped(
                corpus: "openinference-otel-genai/attrs-openinference_client_span_tool_calls.json")

            for span in [genAI, openInference] {
                #expect(span.kind == .llm)
                #expect(span.model == "gpt-4-0613")
                let messages = inputMessages(span)
                #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "tool"])
                #expect(
                    messages.map { $0["content"]?.stringValue } == [
                        "Weather in Paris?", "Absolutely! Let me check the weather for you.", "rainy, 57°F",
                    ]
                )
                #expect(span.toolCalls.map(\.name) == ["get_weather"])
                #expect(span.toolCalls.first?.arguments == json(#"{"location":"Paris"}"#))
                #expect(messages[1]["tool_calls"]?.arrayValue?.first?["id"] == .string("1234"))
                #expect(messages[2]["tool_call_id"] == .string("1234"))
                #expect(span.output?["role"] == .string("assistant"))
                #expect(
                    span.output?["content"]
                        == .string("The weather in Paris is currently rainy with a temperature of 57°F."))
                #expect(span.usage.inputTokens == 97)
                #expect(span.usage.outputTokens == 52)
                #expect(span.usage.tokens == 149)
            }
            // The normalized input messages are identical, not only alike.
            #expect(genAI.input?["messages"] == openInference.input?["messages"])
            #expect(openInference.input?["temperature"] == .number(JSONNumber(text: "0.5")))

            // Mapped keys leave the metadata; unmapped ones stay visible.
            #expect(genAI.metadata["gen_ai.input.messages"] == nil)
            #expect(genAI.metadata["gen_ai.usage.input_tokens"] == nil)
            #expect(genAI.metadata["gen_ai.operation.name"] == nil)
            #expect(genAI.metadata["gen_ai.provider.name"] == .string("openai"))
            #expect(genAI.metadata["gen_ai.response.id"] == .string("chatcmpl-CQF10eCkoFphJZJQkzzN6EkTD0AVF"))
            #expect(
                !openInference.metadata.members.contains {
                    $0.key.hasPrefix("llm.input_messages.") || $0.key.hasPrefix("llm.output_messages.")
                })
            #expect(openInference.metadata["llm.token_count.prompt"] == nil)
            #expect(openInference.metadata["input.value"] == nil)
            #expect(openInference.metadata["llm.provider"] == .string("openai"))
            #expect(
                openInference.metadata["llm.invocation_parameters"]?["max_completion_tokens"]
                    == .number(JSONNumber(text: "200")))
        }

        @Test("the deprecated gen_ai.prompt / gen_ai.completion attributes map to the same conversation")
        func deprecatedGenAI() throws {
            let span = try mapped(
                corpus: "openinference-otel-genai/attrs-otel_genai_deprecated_client_span_tool_calls.json")
            let current = try mapped(corpus: "openinference-otel-genai/attrs-otel_genai_client_span_tool_calls.json")
            #expect(span.kind == .llm)
            #expect(span.model == "gpt-4-0613")
            #expect(span.input?["messages"] == current.input?["messages"])
            #expect(
                span.output?["content"]
                    == .string("The weather in Paris is currently rainy with a temperature of 57°F."))
            #expect(span.output?["finish_reason"] == .string("stop"))
            #expect(span.usage.inputTokens == 97)
            #expect(span.usage.outputTokens == 52)
            #expect(span.metadata["gen_ai.prompt"] == nil)
            #expect(span.metadata["gen_ai.completion"] == nil)
        }

        @Test("a GenAI execute_tool span is a tool span with parsed arguments and result")
        func toolExecution() throws {
            let span = try mapped(corpus: "openinference-otel-genai/attrs-otel_genai_tool_execution_span.json")
            #expect(span.kind == .tool)
            #expect(span.input == json(#"{"city": "New York"}"#))
            #expect(span.output?["status"] == .string("success"))
            #expect(span.metadata["gen_ai.tool.name"] == .string("get_weather"))

            let standard = mapped(
                try attributes(
                    #"{"gen_ai.operation.name":"execute_tool","gen_ai.tool.name":"search","gen_ai.tool.call.arguments":"{\"q\":\"swift\"}","gen_ai.tool.call.result":"3 hits"}"#
                ),
                name: "execute_tool"
            )
            #expect(standard.kind == .tool)
            #expect(standard.name == "execute_tool search")
            #expect(standard.input == json(#"{"q":"swift"}"#))
            #expect(standard.output == .string("3 hits"))
        }

        @Test("an OpenInference span with only input.value and output.value still gives chat messages")
        func openInferenceValuesOnly() throws {
            let span = try mapped(
                corpus: "openinference-otel-genai/attrs-openinference_client_span_input_output_only.json")
            #expect(span.kind == .llm)
            #expect(inputMessages(span).map { $0["role"]?.stringValue } == ["user", "assistant", "tool"])
            #expect(span.toolCalls.map(\.name) == ["get_weather"])
            #expect(span.output?["role"] == .string("assistant"))
            #expect(
                span.output?["content"]
                    == .string("The weather in Paris is currently rainy with a temperature of 57°F."))
            #expect(span.usage.totalTokens == 149)
        }

        // MARK: Vercel AI SDK

        /// The Vercel AI SDK v6 corpus spans, each mapped from its attributes.
        private func vercelSpans() throws -> [Span] {
            let items = try #require(
                try corpusJSON("openinference-otel-genai/vercel-ai-sdk-v6-readablespans-all.json").arrayValue)
            return try items.map { item in
                let attributes = try #require(item["attributes"]?.objectValue)
                return mapped(attributes, name: item["name"]?.stringValue ?? "", kind: "INTERNAL")
            }
        }

        @Test("Vercel AI SDK spans give messages, responses, kinds and tokens")
        func vercelCorpus() throws {
            let spans = try vercelSpans()
            #expect(spans.count == 10)
            #expect(spans.map(\.kind) == [.llm, .agent, .llm, .agent, .llm, .agent, .llm, .agent, .embedding, .task])

            let haiku = spans[0]
            #expect(haiku.model == "gpt-4o-mini-2024-07-18")
            #expect(inputMessages(haiku).map { $0["content"]?.stringValue } == ["Write a haiku about programming."])
            #expect(haiku.output?["role"] == .string("assistant"))
            #expect(haiku.output?["content"]?.stringValue?.hasPrefix("Lines of code align") == true)
            #expect(haiku.usage.inputTokens == 14)
            #expect(haiku.usage.outputTokens == 20)

            // The outer call repeats its provider call's prompt and tokens: the prompt maps, the
            // tokens stay in the metadata so run totals count them once.
            let outer = spans[1]
            #expect(inputMessages(outer).map { $0["content"]?.stringValue } == ["Write a haiku about programming."])
            #expect(outer.output?["content"] == haiku.output?["content"])
            #expect(outer.usage.isEmpty)
            #expect(outer.metadata["ai.usage.promptTokens"] == .number(JSONNumber(text: "14")))

            let conversation = spans[2]
            #expect(
                inputMessages(conversation).map { $0["role"]?.stringValue } == ["system", "user", "assistant", "user"])
            #expect(inputMessages(conversation).last?["content"] == .string("And what is 3 + 3?"))
            #expect(inputMessages(spans[3]).map { $0["role"]?.stringValue } == ["system", "user", "assistant", "user"])

            #expect(spans[4].output?["name"] == .string("Scrambled Eggs"))
            #expect(spans[6].usage == Usage(inputTokens: 15, outputTokens: 112, totalTokens: 127))

            let embed = spans[8]
            #expect(embed.model == "text-embedding-3-small")
            #expect(embed.input == .array([.string("The quick brown fox jumps over the lazy dog.")]))
            #expect(embed.output?.stringValue?.hasPrefix("1 embedding of ") == true)
            #expect(embed.usage.inputTokens == 10)
            #expect(embed.metadata["ai.embeddings"] == nil)
            #expect(
                spans.allSatisfy { $0.metadata["ai.prompt.messages"] == nil && $0.metadata["ai.response.text"] == nil })
        }

        @Test("Vercel AI SDK tool calls, tool results and tool spans are normalized")
        func vercelToolCalls() throws {
            let call = mapped(
                try attributes(
                    #"{"ai.operationId":"ai.streamText.doStream","ai.model.id":"gpt-4o","ai.prompt.messages":"[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"call_1\",\"toolName\":\"weather\",\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\",\"toolCallId\":\"call_1\",\"toolName\":\"weather\",\"output\":{\"type\":\"json\",\"value\":{\"temp\":20}}}]}]","ai.response.toolCalls":"[{\"toolCallType\":\"function\",\"toolCallId\":\"call_2\",\"toolName\":\"forecast\",\"input\":\"{\\\"days\\\":3}\"}]","ai.usage.inputTokens":30,"ai.usage.outputTokens":8}"#
                )
            )
            #expect(call.kind == .llm)
            #expect(call.model == "gpt-4o")
            let messages = inputMessages(call)
            #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "tool"])
            #expect(messages[2]["tool_call_id"] == .string("call_1"))
            #expect(messages[2]["content"]?.stringValue?.contains("\"temp\": 20") == true)
            #expect(call.toolCalls.map(\.name) == ["weather", "forecast"])
            #expect(call.toolCalls.map(\.arguments) == [json(#"{"city":"Paris"}"#), json(#"{"days":3}"#)])
            #expect(call.usage == Usage(inputTokens: 30, outputTokens: 8))

            let tool = mapped(
                try attributes(
                    #"{"ai.operationId":"ai.toolCall","ai.toolCall.name":"weather","ai.toolCall.id":"call_1","ai.toolCall.args":"{\"city\":\"Paris\"}","ai.toolCall.result":"{\"temp\":20}"}"#
                ),
                name: "ai.toolCall"
            )
            #expect(tool.kind == .tool)
            #expect(tool.name == "weather")
            #expect(tool.input == json(#"{"city":"Paris"}"#))
            #expect(tool.output == json(#"{"temp":20}"#))
        }

        // MARK: Langfuse

        @Test("Langfuse observation attributes give kinds, messages, usage, cost, documents and errors")
        func langfuse() throws {
            let bytes = [UInt8](
                try Data(
                    contentsOf: corpusRoot.appendingPathComponent(
                        "langfuse/generated-langfuse-python-5.0.4-otel-spans-ConsoleSpanExporter.txt")))
            var spans: [String: Span] = [:]
            for record in JSONStreamParser.parse(bytes).records {
                let name = try #require(record.value["name"]?.stringValue)
                let attributes = try #require(record.value["attributes"]?.objectValue)
                spans[name] = mapped(attributes, name: name, kind: "INTERNAL")
            }
            let chat = try #require(spans["chat"])
            #expect(chat.kind == .llm)
            #expect(chat.model == "gpt-4o-mini")
            #expect(inputMessages(chat).map { $0["role"]?.stringValue } == ["system", "user"])
            #expect(chat.output?["content"] == .string("Your order **4127** ships tomorrow."))
            #expect(chat.usage.inputTokens == 42)
            #expect(chat.usage.outputTokens == 9)
            #expect(chat.usage.totalTokens == 51)
            #expect(chat.usage.cost == 1.17e-05)
            #expect(chat.metadata["langfuse.observation.input"] == nil)

            let search = try #require(spans["kb-search"])
            #expect(search.kind == .retrieval)
            #expect(search.output?["documents"]?.arrayValue?.first?["content"] == .string("Orders ship in 2 days."))

            let lookup = try #require(spans["lookup_order"])
            #expect(lookup.kind == .tool)
            #expect(lookup.input?["order_id"] == .number(JSONNumber(text: "4127")))
            #expect(lookup.error?.message == "carrier API timeout")

            #expect(spans["support-agent"]?.kind == .agent)
            #expect(spans["user-feedback-prompt"]?.kindName == "event")
        }
    }
}

@Suite("Names from Monocle entities")
struct MonocleNameTests {
    @Test("an agent or tool span is named by its Monocle entity, the instrumented function kept in the metadata")
    func entityNames() {
        let agent = mapped(
            JSONObject([
                ("span.type", .string("agentic.invocation")),
                ("entity.1.type", .string("agent.langgraph")),
                ("entity.1.name", .string("supervisor")),
            ]),
            name: "langgraph.graph.state.CompiledStateGraph.ainvoke"
        )
        #expect(agent.kind == .agent)
        #expect(agent.name == "supervisor")
        #expect(agent.metadata["span.name"] == .string("langgraph.graph.state.CompiledStateGraph.ainvoke"))
        let tool = mapped(
            JSONObject([
                ("span.type", .string("agentic.tool.invocation")),
                ("entity.1.name", .string("book_flight")),
                ("entity.1.type", .string("tool.langgraph")),
                ("entity.2.name", .string("flight_assistant")),
                ("entity.2.type", .string("agent.langgraph")),
            ]),
            name: "langchain_core.tools.structured.StructuredTool._run"
        )
        #expect(tool.name == "book_flight")
        let model = mapped(
            JSONObject([
                ("span.type", .string("inference.framework")), ("entity.2.name", .string("gpt-4o")),
                ("entity.2.type", .string("model.llm.gpt-4o")),
            ]),
            name: "langchain.chat_models.base.BaseChatModel.ainvoke"
        )
        #expect(
            model.name == "langchain.chat_models.base.BaseChatModel.ainvoke",
            "model calls keep their name; the model shows beside it")
        #expect(model.model == "gpt-4o")
    }
}
