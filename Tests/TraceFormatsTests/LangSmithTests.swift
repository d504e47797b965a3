import Testing
import TraceFormats
import TraceJSON
import TraceModel

@Suite("LangSmith runs")
struct LangSmithTests {
    /// What one corpus file (one model call, posted then patched) must decode into.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var path: String
        var runID: String
        var model: String
        /// Start and end, nanoseconds since the epoch.
        var start: Int64
        var end: Int64
        var inputTokens: Int64?
        var outputTokens: Int64?
        var totalTokens: Int64?
        /// Streaming events recorded on the patch.
        var events: Int
        /// The start of the assistant's answer.
        var answerPrefix: String
        var testDescription: String { path }
    }

    static let corpus: [Expectation] = [
        Expectation(
            path: "langsmith/langsmith-js-wrap-openai-default-post-patch.json",
            runID: "dc34609e-3eeb-459d-bc2a-6fedb01d2e6e",
            model: "gpt-4o-mini", start: 1_728_803_137_170_000_000, end: 1_728_803_138_285_000_000,
            inputTokens: 9, outputTokens: 9, totalTokens: 18, events: 0, answerPrefix: "Howdy! How can I assist"
        ),
        Expectation(
            path: "langsmith/langsmith-js-wrap-openai-reasoning-post-patch.json",
            runID: "e954b8e3-c337-4a05-bf0a-ca2baac3ba48",
            model: "o1-mini", start: 1_728_803_138_291_000_000, end: 1_728_803_148_730_000_000,
            inputTokens: 43, outputTokens: 1901, totalTokens: 1944, events: 0,
            answerPrefix: "Certainly! Below is a Bash script"
        ),
        Expectation(
            path: "langsmith/langsmith-js-wrap-openai-stream-no-usage-post-patch.json",
            runID: "a9a7fdab-0e16-4153-898a-33a0c1d9f759",
            model: "gpt-4o-mini", start: 1_728_803_136_672_000_000, end: 1_728_803_137_165_000_000,
            inputTokens: nil, outputTokens: nil, totalTokens: nil, events: 0, answerPrefix: "Howdy! How can I assist"
        ),
        Expectation(
            path: "langsmith/langsmith-js-wrap-openai-stream-post-patch.json",
            runID: "33c08c32-435c-4788-b973-b5bee4a31f87",
            model: "gpt-4o-mini", start: 1_728_803_135_809_000_000, end: 1_728_803_136_663_000_000,
            inputTokens: 9, outputTokens: 9, totalTokens: 18, events: 0, answerPrefix: "Howdy! How can I assist"
        ),
        Expectation(
            path: "langsmith/langsmith-py-wrap-openai-default-post-patch.json",
            runID: "d0d84d31-923d-4cb5-94a8-40a0a0087578",
            model: "gpt-4o-mini", start: 1_728_680_303_298_773_000, end: 1_728_680_304_417_106_000,
            inputTokens: 9, outputTokens: 9, totalTokens: 18, events: 0, answerPrefix: "Howdy! How can I assist"
        ),
        Expectation(
            path: "langsmith/langsmith-py-wrap-openai-reasoning-post-patch.json",
            runID: "a8b34ded-ccd2-4fb7-bccb-9cd625066a14",
            model: "o1-mini", start: 1_728_680_304_544_431_000, end: 1_728_680_319_682_524_000,
            inputTokens: 43, outputTokens: 2497, totalTokens: 2540, events: 0,
            answerPrefix: "Certainly! Below is a **Bash script**"
        ),
        Expectation(
            path: "langsmith/langsmith-py-wrap-openai-stream-no-usage-post-patch.json",
            runID: "de56b9f0-eed2-4195-8786-c6dc0fa897e3",
            model: "gpt-4o-mini", start: 1_728_680_302_254_895_000, end: 1_728_680_303_181_899_000,
            inputTokens: nil, outputTokens: nil, totalTokens: nil, events: 11, answerPrefix: "Howdy! How can I assist"
        ),
        Expectation(
            path: "langsmith/langsmith-py-wrap-openai-stream-post-patch.json",
            runID: "fe8ffecb-72ce-4cd2-bdb7-01f34654c391",
            model: "gpt-4o-mini", start: 1_728_680_300_695_375_000, end: 1_728_680_302_023_816_000,
            inputTokens: 9, outputTokens: 9, totalTokens: 18, events: 12, answerPrefix: "Howdy! How can I assist"
        ),
    ]

    @Test("a run tree from dotted orders: patches without ids, parents, kinds, errors and tags")
    func runTree() throws {
        let root = "11111111-1111-4111-8111-111111111111"
        let tool = "22222222-2222-4222-8222-222222222222"
        let llm = "33333333-3333-4333-8333-333333333333"
        let retriever = "44444444-4444-4444-8444-444444444444"
        let d0 = "20250601T120000000000Z\(root)"
        let text = """
            [{"post":[
              {"id":"\(root)","name":"agent","run_type":"chain","start_time":"2025-06-01T12:00:00.000000","trace_id":"\(root)","dotted_order":"\(d0)","inputs":{"question":"weather?"},"tags":["prod"]},
              {"id":"\(llm)","name":"ChatOpenAI","run_type":"llm","start_time":1748779200100,"trace_id":"\(root)","parent_run_id":"\(root)","dotted_order":"\(d0).20250601T120000100000Z\(llm)",
               "inputs":{"messages":[[{"lc":1,"type":"constructor","id":["langchain","schema","messages","HumanMessage"],"kwargs":{"content":"weather?"}}]]},
               "extra":{"metadata":{"ls_model_name":"gpt-4o"}}},
              {"id":"\(tool)","name":"get_weather","run_type":"tool","start_time":"2025-06-01T12:00:01+00:00","dotted_order":"\(d0).20250601T120001000000Z\(tool)","inputs":{"input":"Paris"}}
             ],
             "patch":[
              {"trace_id":"\(root)","dotted_order":"\(d0).20250601T120000100000Z\(llm)","end_time":1748779200900,
               "outputs":{"generations":[[{"text":"","message":{"lc":1,"type":"constructor","id":["langchain","schema","messages","AIMessage"],"kwargs":{"content":"","tool_calls":[{"name":"get_weather","args":{"city":"Paris"},"id":"call_1","type":"tool_call"}]}}}]],
                          "llm_output":{"token_usage":{"total_tokens":30}}},
               "extra":{"metadata":{"usage_metadata":{"input_tokens":20,"output_tokens":10,"total_tokens":30}}}},
              {"id":"\(tool)","trace_id":"\(root)","dotted_order":"\(d0).20250601T120001000000Z\(tool)","end_time":"2025-06-01T12:00:02+00:00",
               "error":"Traceback (most recent call last):\\n  File \\"x.py\\", line 1, in <module>\\nTimeoutError: weather service timed out"}
             ]},
             {"post":[{"id":"\(retriever)","name":"search","run_type":"retriever","start_time":"2025-06-01T12:00:03Z","trace_id":"\(root)","dotted_order":"\(d0).20250601T120003000000Z\(retriever)","inputs":{"query":"paris"},
               "outputs":{"documents":[{"page_content":"Paris is rainy.","metadata":{"source":"wiki","score":0.8},"type":"Document"}]},"end_time":"2025-06-01T12:00:04Z"}]}
            ]
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 4)
        #expect(loaded.runs.count == 1)
        #expect(loaded.rootCount == 1)
        #expect(loaded.maxDepth == 1)
        let spans = loaded.spans
        let agent = try #require(spans.first { $0.spanID == root })
        #expect(agent.kind == .task)
        #expect(agent.labels == ["prod"])
        #expect(agent.startTimeUnixNano == 1_748_779_200_000_000_000)  // no offset: UTC

        let model = try #require(spans.first { $0.spanID == llm })
        #expect(model.name == "ChatOpenAI")
        #expect(model.parentSpanID == root)
        #expect(model.model == "gpt-4o")
        #expect(model.endTimeUnixNano == 1_748_779_200_900_000_000)
        #expect(model.usage == Usage(inputTokens: 20, outputTokens: 10, totalTokens: 30))
        #expect(model.messages.map { $0["role"]?.stringValue } == ["user", "assistant"])
        #expect(model.toolCalls.first?.name == "get_weather")
        #expect(model.toolCalls.first?.arguments?["city"] == .string("Paris"))

        let toolSpan = try #require(spans.first { $0.spanID == tool })
        #expect(toolSpan.kind == .tool)
        #expect(toolSpan.parentSpanID == root)  // derived from the dotted order
        #expect(toolSpan.error?.type == "TimeoutError")
        #expect(toolSpan.error?.message == "weather service timed out")
        #expect(toolSpan.error?.stack?.hasPrefix("Traceback") == true)

        let search = try #require(spans.first { $0.spanID == retriever })
        #expect(search.kind == .retrieval)
        let document = try #require(search.output?["documents"]?.arrayValue?.first)
        #expect(document["content"] == .string("Paris is rainy."))
        #expect(document["score"] == .number(JSONNumber(text: "0.8")))
    }

    @Test("a run with neither id nor dotted order is reported and skipped")
    func missingID() {
        let loaded = load(text: #"{"post":[{"name":"x","run_type":"chain","trace_id":"t"}],"patch":[]}"#)
        #expect(loaded.spanCount == 0)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message.contains("dotted_order") == true)
    }

    @Test("detection claims post/patch bodies and runs but not other formats")
    func detection() {
        let decoder = LangSmithDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(
            decoder.matches(
                value(#"{"post":[{"id":"a","dotted_order":"20250101T000000000000Za","run_type":"llm"}],"patch":[]}"#)))
        #expect(
            decoder.matches(
                value(#"[{"post":[],"patch":[{"dotted_order":"20250101T000000000000Za","trace_id":"a"}]}]"#)))
        #expect(decoder.matches(value(#"{"id":"a","dotted_order":"20250101T000000000000Za","run_type":"tool"}"#)))
        #expect(!decoder.matches(value(#"{"trace_id":"a","span_id":"b","name":"x","start_time":1}"#)))
        #expect(!decoder.matches(value(#"{"post":"hello"}"#)))
    }
}

extension LangSmithTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("LangSmith runs on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file's post and patch become one model-call span with both halves", arguments: corpus)
        func corpusFile(_ expected: Expectation) throws {
            let loaded = try load(corpus: expected.path)
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            #expect(loaded.decoded.spans.count == 2)  // the post and the patch
            #expect(loaded.decoded.spans.allSatisfy { $0.isPartial })
            #expect(loaded.spanCount == 1)
            #expect(loaded.runs.count == 1)
            #expect(loaded.rootCount == 1)
            #expect(loaded.maxDepth == 0)
            let span = try #require(loaded.spans.first)
            #expect(span.spanID == expected.runID)
            #expect(span.traceID == expected.runID)
            #expect(span.name == "ChatOpenAI")  // from the post
            #expect(span.kind == .llm)
            #expect(span.model == expected.model)
            #expect(span.startTimeUnixNano == expected.start)  // from the post
            #expect(span.endTimeUnixNano == expected.end)  // from the patch
            #expect(span.usage.inputTokens == expected.inputTokens)
            #expect(span.usage.outputTokens == expected.outputTokens)
            #expect(span.usage.totalTokens == expected.totalTokens)
            #expect(span.events.count == expected.events)
            #expect(span.metadata["ls_provider"] == .string("openai"))
            let messages = span.messages
            #expect(messages.count == 2)
            #expect(messages.first?["role"] == .string("user"))
            #expect(messages.last?["role"] == .string("assistant"))
            let answer = try #require(messages.last?["content"]?.stringValue)
            #expect(answer.hasPrefix(expected.answerPrefix))
            #expect(span.error == nil)
        }

        @Test("reasoning token counts and the completion's fields stay visible")
        func details() throws {
            let loaded = try load(corpus: "langsmith/langsmith-py-wrap-openai-reasoning-post-patch.json")
            let span = try #require(loaded.spans.first)
            #expect(span.metadata["usage_details"]?["output_token_details"]?["reasoning"] == .number(JSONNumber(1408)))
            #expect(span.metadata["response"]?["model"] == .string("o1-mini-2024-09-12"))
            #expect(span.metadata["response"]?["finish_reason"] == .string("stop"))
            #expect(span.input?["model"] == .string("o1-mini"))
        }

        @Test("streamed tokens become events with their times")
        func streamEvents() throws {
            let loaded = try load(corpus: "langsmith/langsmith-py-wrap-openai-stream-post-patch.json")
            let span = try #require(loaded.spans.first)
            let first = try #require(span.events.first)
            #expect(first.name == "new_token")
            #expect(first.timeUnixNano == 1_728_680_301_933_794_000)
            #expect(first.attributes["token"] != nil)
        }
    }
}
