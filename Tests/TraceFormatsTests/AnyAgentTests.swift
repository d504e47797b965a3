import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one any-agent corpus file must give.
struct AnyAgentCorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    var spans: Int
    /// `call_llm` spans.
    var llmSpans: Int
    /// `execute_tool` spans.
    var toolSpans: Int
    /// Model calls whose reply is tool calls.
    var toolCallingLLMSpans: Int
    /// The trace id, as hex (converted independently from the file's decimal integer).
    var traceID: String
    /// Spans whose parent is not in the file (the Google ADK run links to unexported spans).
    var orphans: Int

    var testDescription: String { file }
}

@Suite("any-agent traces")
struct AnyAgentTests {
    static let corpusCases: [AnyAgentCorpusCase] = [
        .init(
            file: "any-agent-agno-trace.json", spans: 6, llmSpans: 3, toolSpans: 2, toolCallingLLMSpans: 2,
            traceID: "1de0532b350588ff152b1edf6bf358b3", orphans: 0),
        .init(
            file: "any-agent-google-trace.json", spans: 7, llmSpans: 3, toolSpans: 3, toolCallingLLMSpans: 3,
            traceID: "cdbd7b99cef221c28dd6d03c27d09b4c", orphans: 6),
        .init(
            file: "any-agent-langchain-trace.json", spans: 7, llmSpans: 4, toolSpans: 2, toolCallingLLMSpans: 2,
            traceID: "572318454595034fe5076610d6400542", orphans: 0),
        .init(
            file: "any-agent-llama_index-trace.json", spans: 9, llmSpans: 5, toolSpans: 3, toolCallingLLMSpans: 3,
            traceID: "89c41176422c506985d55a0d2d2091db", orphans: 0),
        .init(
            file: "any-agent-openai-trace.json", spans: 6, llmSpans: 3, toolSpans: 2, toolCallingLLMSpans: 2,
            traceID: "4bedea77bb33b9c5f280371eae21ea97", orphans: 0),
        .init(
            file: "any-agent-smolagents-trace.json", spans: 7, llmSpans: 3, toolSpans: 3, toolCallingLLMSpans: 3,
            traceID: "9135313a4e40fe254d48742d230ea040", orphans: 0),
        .init(
            file: "any-agent-tinyagent-trace.json", spans: 8, llmSpans: 4, toolSpans: 3, toolCallingLLMSpans: 3,
            traceID: "9707d5fd6d4a546d47757044c6127e04", orphans: 0),
    ]

    @Test("small decimal ids are zero-padded; ids that do not fit are errors")
    func idWidths() {
        let text = """
            {"spans": [
              {"name": "root", "kind": "internal", "parent": null, "start_time": 1000, "end_time": 3000,
               "status": {"status_code": "error", "description": "boom"},
               "context": {"trace_id": 255, "span_id": 1}, "attributes": {}, "links": [], "events": []},
              {"name": "too wide", "kind": "internal", "parent": {"trace_id": 255, "span_id": 1}, "start_time": 1500, "end_time": 2000,
               "status": {"status_code": "ok"},
               "context": {"trace_id": 255, "span_id": 18446744073709551616}, "attributes": {}},
              {"name": "fraction", "kind": "internal", "parent": null, "start_time": 1.5,
               "context": {"trace_id": 255, "span_id": 2}, "attributes": {}}
            ], "final_output": "done"}
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        let root = loaded.spans.first
        #expect(root?.traceID == "000000000000000000000000000000ff")
        #expect(root?.spanID == "0000000000000001")
        #expect(root?.error?.message == "boom")
        #expect(root?.output == .string("done"))
        #expect(root?.startTimeUnixNano == 1000)
        let messages = loaded.errors.map(\.message)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.contains("spans[1]") && $0.contains("does not fit in 8 bytes") })
        #expect(messages.contains { $0.contains("spans[2]") && $0.contains("integer nanoseconds") })
    }

    @Test("final output without a root span becomes run metadata")
    func finalOutputWithoutRoot() {
        let text = """
            {"spans": [
              {"name": "call_llm m", "kind": "internal", "parent": {"trace_id": 7, "span_id": 9}, "start_time": 10, "end_time": 20,
               "status": {"status_code": "ok"}, "context": {"trace_id": 7, "span_id": 8},
               "attributes": {"gen_ai.operation.name": "call_llm", "gen_ai.output": "Hello", "gen_ai.output.type": "text"}}
            ], "final_output": {"answer": 42}}
            """
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty)
        let run = loaded.runs.first?.run
        #expect(run?.info?.metadata["final_output"]?["answer"]?.numberValue?.text == "42")
        #expect(run?.root?.output?["content"]?.stringValue == "Hello")
        #expect(run?.root?.kind == .llm)
    }
}

extension AnyAgentTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("any-agent traces on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives one run: the agent span over its model and tool calls", arguments: corpusCases)
        func corpusFile(_ expected: AnyAgentCorpusCase) throws {
            let loaded = try load(corpus: "any-agent/" + expected.file)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == 1)
            #expect(loaded.rootCount == 1)
            #expect(loaded.maxDepth == 1)
            let run = try #require(loaded.runs.first?.run)
            #expect(run.traceID == expected.traceID)
            #expect(loaded.diagnostics.filter { $0.message.contains("not in the input") }.count == expected.orphans)

            let root = try #require(run.root)
            #expect(root.kind == .agent)
            #expect(root.name == "invoke_agent [any_agent]")
            // final_output is the agent's result.
            let finalOutput = try corpusJSON("any-agent/" + expected.file)["final_output"]
            #expect(root.output != nil)
            #expect(root.output == finalOutput)

            let spans = loaded.spans
            #expect(spans.allSatisfy { $0.sourceFormat == "any-agent trace" })
            let calls = spans.filter { $0.kind == .llm }
            #expect(calls.count == expected.llmSpans)
            #expect(spans.filter { $0.kind == .tool }.count == expected.toolSpans)
            #expect(calls.filter { !$0.toolCalls.isEmpty }.count == expected.toolCallingLLMSpans)
            #expect(
                calls.allSatisfy {
                    $0.usage.inputTokens != nil && $0.usage.outputTokens != nil && ($0.usage.cost ?? 0) > 0
                })
            #expect(calls.allSatisfy { $0.model == "mistral/mistral-small-latest" })
            // The first model call carries the conversation.
            let first = try #require(calls.min { ($0.startTimeUnixNano ?? 0) < ($1.startTimeUnixNano ?? 0) })
            #expect(first.input?["messages"]?.arrayValue?.first?["role"]?.stringValue == "system")
            // Tool spans: arguments in, result out.
            let getTime = try #require(spans.first { $0.name == "execute_tool get_current_time" })
            #expect(getTime.input?["timezone"]?.stringValue == "America/New_York")
            #expect(getTime.output?["timezone"]?.stringValue == "America/New_York")
            #expect(getTime.metadata["gen_ai.tool.args"] == nil)
            #expect(getTime.metadata["gen_ai.output"] == nil)
        }

        @Test("reads a 39-digit trace id and 20-digit span ids from the number text, exactly")
        func bigDecimalIDs() throws {
            let loaded = try load(corpus: "any-agent/any-agent-openai-trace.json")
            let call = try #require(loaded.spans.first { $0.startTimeUnixNano == 1_758_026_593_210_770_000 })
            // 100927429609276267646756448943279827607 and 9295669169508793927 / 12324293800750531911.
            #expect(call.traceID == "4bedea77bb33b9c5f280371eae21ea97")
            #expect(call.spanID == "8100d9dbee1f3e47")
            #expect(call.parentSpanID == "ab08afea3548c547")
            #expect(call.endTimeUnixNano == 1_758_026_593_449_611_000)
            #expect(call.usage.inputTokens == 269)
            #expect(call.usage.outputTokens == 16)
            let cost = try #require(call.usage.cost)
            #expect(abs(cost - (2.69e-05 + 4.8e-06)) < 1e-12)
            #expect(call.toolCalls.map(\.name) == ["get_current_time"])
            #expect(call.toolCalls.first?.arguments?.stringValue == "{\"timezone\": \"America/New_York\"}")
        }

        @Test("detection needs integer context.trace_id; hex-id span lists are not any-agent")
        func detection() throws {
            let decoder = AnyAgentDecoder()
            #expect(decoder.matches(try corpusJSON("any-agent/any-agent-openai-trace.json")))
            let jaegerLike = JSONStreamParser.parse(
                #"{"spans": [{"traceId": "AQEBAQEBAQEBAQEBAQEBAQ==", "spanId": "AQEBAQEBAQE="}]}"#
            ).records[0].value
            #expect(!decoder.matches(jaegerLike))
            let hexContext = JSONStreamParser.parse(#"{"spans": [{"context": {"trace_id": "0x01"}}]}"#).records[0].value
            #expect(!decoder.matches(hexContext))
            #expect(!decoder.matches(.array([])))
            let google = try corpusJSON("any-agent/any-agent-google-trace.json")
            let detected = TraceFormats.all.first { $0.matches(google) }
            #expect(detected?.formatID == "any-agent")
        }
    }
}
