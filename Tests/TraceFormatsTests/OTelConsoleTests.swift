import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one Python span JSON corpus file must give.
struct ConsoleCorpusCase: CustomTestStringConvertible, Sendable {
    var path: String
    /// Distinct spans (re-printed spans count once).
    var spans: Int
    var runs: Int
    var roots: Int
    var maxDepth: Int
    /// Spans of kind llm.
    var llmSpans: Int
    /// Spans with a token count.
    var tokenSpans: Int
    /// Whether some span has chat messages.
    var messages: Bool
    /// Whether some message has tool calls.
    var toolCalls: Bool

    var testDescription: String { path }
}

@Suite("OpenTelemetry Python span JSON (to_json, ConsoleSpanExporter, Monocle)")
struct OTelConsoleTests {
    static let corpusCases: [ConsoleCorpusCase] = [
        .init(
            path: "otel-python-console/generated-otel-python-sdk-1.45.2-ConsoleSpanExporter-stdout.txt", spans: 3,
            runs: 1, roots: 1, maxDepth: 1, llmSpans: 1, tokenSpans: 1, messages: true, toolCalls: true),
        .init(
            path: "otel-python-console/monocle-test_adk_single_agent.json", spans: 11, runs: 2, roots: 2, maxDepth: 3,
            llmSpans: 4, tokenSpans: 4, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_anthropic_finish_reason_integration.json", spans: 10, runs: 5,
            roots: 5, maxDepth: 1, llmSpans: 5, tokenSpans: 5, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_azure_openai_finish_reason_with-errors.json", spans: 4, runs: 4,
            roots: 4, maxDepth: 0, llmSpans: 4, tokenSpans: 3, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_crewai_single_agent.json", spans: 8, runs: 1, roots: 1, maxDepth: 4,
            llmSpans: 4, tokenSpans: 2, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_gemini_finish_reason_integration.json", spans: 6, runs: 6, roots: 6,
            maxDepth: 0, llmSpans: 6, tokenSpans: 6, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_langgraph_multi_agent.json", spans: 43, runs: 1, roots: 1,
            maxDepth: 5, llmSpans: 20, tokenSpans: 10, messages: true, toolCalls: true),
        .init(
            path: "otel-python-console/monocle-test_litellm_openai_sample.json", spans: 6, runs: 2, roots: 2,
            maxDepth: 2, llmSpans: 4, tokenSpans: 2, messages: true, toolCalls: false),
        .init(
            path: "otel-python-console/monocle-test_ms_framework_single_agent.json", spans: 6, runs: 1, roots: 1,
            maxDepth: 3, llmSpans: 2, tokenSpans: 2, messages: true, toolCalls: true),
        .init(
            path: "otel-python-console/monocle-test_openai_agents_sdk.json", spans: 12, runs: 1, roots: 1, maxDepth: 4,
            llmSpans: 2, tokenSpans: 2, messages: true, toolCalls: true),
        .init(
            path: "otel-python-console/monocle-test_tools-trace3-no0x-ids.json", spans: 6, runs: 1, roots: 1,
            maxDepth: 3, llmSpans: 2, tokenSpans: 2, messages: true, toolCalls: false),
        .init(
            path: "langfuse/generated-langfuse-python-5.0.4-otel-spans-ConsoleSpanExporter.txt", spans: 5, runs: 1,
            roots: 1, maxDepth: 1, llmSpans: 1, tokenSpans: 1, messages: true, toolCalls: false),
    ]

    @Test("reads old SDK output: parent ids without 0x, canonical_code status, bare resource dict")
    func olderSDK() throws {
        let text = """
            {
                "name": "child",
                "context": {"trace_id": "0x0af7651916cd43dd8448eb211c80319c", "span_id": "0xb7ad6b7169203331", "trace_state": "[]"},
                "kind": "SpanKind.CLIENT",
                "parent_id": "00f067aa0ba902b7",
                "start_time": "2020-05-01T10:00:00.000100Z",
                "end_time": "2020-05-01T10:00:00.000200Z",
                "status": {"canonical_code": "UNKNOWN"},
                "attributes": {"http.method": "GET"},
                "events": [],
                "links": [],
                "resource": {"service.name": "legacy"}
            }
            {
                "name": "root",
                "context": {"trace_id": "0x0AF7651916CD43DD8448EB211C80319C", "span_id": "0x00f067aa0ba902b7", "trace_state": "[]"},
                "kind": "SpanKind.SERVER",
                "parent_id": null,
                "start_time": "2020-05-01T10:00:00.000000Z",
                "end_time": "2020-05-01T10:00:00.000300Z",
                "status": {"canonical_code": "OK"},
                "attributes": {},
                "events": [],
                "links": [],
                "resource": {"service.name": "legacy"}
            }
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.runs.count == 1)
        #expect(loaded.spanCount == 2)
        #expect(loaded.maxDepth == 1)
        let run = try #require(loaded.runs.first?.run)
        #expect(run.traceID == "0af7651916cd43dd8448eb211c80319c")
        #expect(run.nodes[0].span.name == "root")
        #expect(run.nodes[0].span.error == nil)
        #expect(run.nodes[1].span.parentSpanID == "00f067aa0ba902b7")
        #expect(run.nodes[1].span.error?.message == "unknown")
        #expect(run.nodes[1].span.kindName == "client")
        #expect(run.nodes[1].span.startTimeUnixNano == 1_588_327_200_000_100_000)
    }

    @Test("exact re-prints in a concatenated stream are dropped too")
    func streamRePrint() {
        let span = """
            {
                "name": "step",
                "context": {"trace_id": "0x11111111111111111111111111111111", "span_id": "0x2222222222222222", "trace_state": "[]"},
                "kind": "SpanKind.INTERNAL",
                "parent_id": null,
                "start_time": "2025-01-01T00:00:00.000000Z",
                "end_time": "2025-01-01T00:00:01.000000Z",
                "status": {"status_code": "OK"},
                "attributes": {"a": 1},
                "events": [],
                "links": [],
                "resource": {"attributes": {}, "schema_url": ""}
            }
            """
        let loaded = load(text: span + "\n" + span + "\n")
        #expect(loaded.decoded.spans.count == 1)
        #expect(loaded.spanCount == 1)
        #expect(loaded.diagnostics.isEmpty)
    }

    // MARK: Bad records

    @Test("bad records become errors naming the field, and the rest is kept")
    func badRecords() {
        let text = """
            [
              {"name": "ok", "context": {"trace_id": "0x1", "span_id": "0x2"}, "kind": "SpanKind.INTERNAL", "start_time": "2025-01-01T00:00:00Z"},
              {"name": "no span id", "context": {"trace_id": "0x1"}, "kind": "SpanKind.INTERNAL"},
              {"name": "bad time", "context": {"trace_id": "0x1", "span_id": "0x3"}, "kind": "SpanKind.INTERNAL", "start_time": "yesterday"},
              {"name": "bad attributes", "context": {"trace_id": "0x1", "span_id": "0x4"}, "kind": "SpanKind.INTERNAL", "attributes": [1]},
              {"name": 7, "context": {"trace_id": "0x1", "span_id": "0x5"}, "kind": "SpanKind.INTERNAL"},
              42
            ]
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        let messages = loaded.errors.map(\.message)
        #expect(messages.count == 5)
        #expect(messages.contains { $0.contains("array element 2") && $0.contains("\"context.span_id\"") })
        #expect(messages.contains { $0.contains("\"start_time\"") && $0.contains("yesterday") })
        #expect(messages.contains { $0.contains("\"attributes\" must be an object") })
        #expect(messages.contains { $0.contains("\"name\" must be a string") })
        #expect(messages.contains { $0.contains("array element 6") && $0.contains("found a number") })
    }
}

extension OTelConsoleTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("OpenTelemetry Python span JSON (to_json, ConsoleSpanExporter, Monocle) on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives the expected spans, tree and content", arguments: corpusCases)
        func corpusFile(_ expected: ConsoleCorpusCase) throws {
            let loaded = try load(corpus: expected.path)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spans.allSatisfy { $0.sourceFormat == "OpenTelemetry Python span JSON" })
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.roots)
            #expect(loaded.maxDepth == expected.maxDepth)
            #expect(loaded.spans.filter { $0.kind == .llm }.count == expected.llmSpans)
            #expect(loaded.spans.filter { $0.usage.tokens != nil }.count == expected.tokenSpans)
            #expect(loaded.spans.contains { !$0.messages.isEmpty } == expected.messages)
            #expect(loaded.spans.contains { !$0.toolCalls.isEmpty } == expected.toolCalls)
        }

        // MARK: Detection

        @Test("detects pretty-printed span objects and arrays of them")
        func detection() throws {
            let decoder = OTelConsoleDecoder()
            let span = try corpusJSON(
                "otel-python-console/generated-otel-python-sdk-1.45.2-ConsoleSpanExporter-stdout.txt")
            #expect(decoder.matches(span))
            #expect(decoder.matches(try corpusJSON("otel-python-console/monocle-test_openai_agents_sdk.json")))
            #expect(!decoder.matches(try corpusJSON("any-agent/any-agent-openai-trace.json")))
            #expect(
                !decoder.matches(
                    .object(
                        JSONObject([
                            ("context", .object(JSONObject([("trace_id", .string("ab"))]))),
                            ("kind", .string("internal")),
                        ]))))
            #expect(!decoder.matches(.array([])))
            let detected = TraceFormats.all.first { $0.matches(span) }
            #expect(detected?.formatID == "otel-python")
        }

        // MARK: Fields

        @Test("reads ids, kind, times, status, exception events, links and resource")
        func fields() throws {
            let loaded = try load(
                corpus: "otel-python-console/generated-otel-python-sdk-1.45.2-ConsoleSpanExporter-stdout.txt")
            let spans = Dictionary(uniqueKeysWithValues: loaded.spans.map { ($0.spanID, $0) })
            let root = try #require(spans["2c177597121017b8"])
            #expect(root.traceID == "34cfc6dbdf234ea324ceb18b2cebe8c0")
            #expect(root.parentSpanID == nil)
            #expect(root.startTimeUnixNano == 1_795_557_165_119_169_000)
            #expect(root.endTimeUnixNano == 1_795_557_165_130_631_000)
            #expect(root.error == nil)

            let chat = try #require(spans["790ad5576f00ad6a"])
            #expect(chat.parentSpanID == "2c177597121017b8")
            #expect(chat.usage.inputTokens == 88)
            #expect(chat.usage.outputTokens == 17)
            #expect(chat.toolCalls.map(\.name) == ["get_weather"])

            let tool = try #require(spans["ad4100cc9ef44c75"])
            let error = try #require(tool.error)
            #expect(error.type == "TimeoutError")
            #expect(error.message == "weather API timed out")
            #expect(error.stack?.contains("Traceback (most recent call last)") == true)
            #expect(loaded.runs.first?.run.nodes.first?.span.spanID == "2c177597121017b8")
        }

        @Test("matches parents written without 0x to spans written with it (Monocle trace3)")
        func parentsWithoutPrefix() throws {
            let loaded = try load(corpus: "otel-python-console/monocle-test_tools-trace3-no0x-ids.json")
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            let nodes = try #require(loaded.runs.first?.run.nodes)
            #expect(nodes.map(\.span.kind) == [.task, .agent, .agent, .llm, .tool, .llm])
            #expect(nodes.map(\.depth) == [0, 1, 2, 3, 3, 3])
            #expect(nodes[0].span.traceID == "cc777ffa12c2506f3e07fa56d160bfe9")
            #expect(nodes.allSatisfy { $0.repairs.isEmpty })
        }

        // MARK: Duplicates

        @Test("a span printed twice with the same content is one span, without a warning")
        func exactRePrintsMerge() throws {
            let loaded = try load(corpus: "otel-python-console/monocle-test_anthropic_finish_reason_integration.json")
            #expect(loaded.decoded.spans.count == 10)
            #expect(loaded.spanCount == 10)
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            #expect(loaded.runs.allSatisfy { $0.run.nodes.allSatisfy(\.repairs.isEmpty) })
        }

        @Test("a span printed twice with different content is merged with a warning, later values winning")
        func differingRePrintsWarn() throws {
            let loaded = try load(corpus: "otel-python-console/monocle-test_gemini_finish_reason_integration.json")
            #expect(loaded.spanCount == 6)
            let warnings = loaded.diagnostics.filter { $0.message.contains("already recorded") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.severity == .warning)
            #expect(warnings.first?.message.contains("10a1bef44021fbd8") == true)
            let merged = try #require(loaded.spans.first { $0.spanID == "10a1bef44021fbd8" })
            #expect(merged.output?["content"]?.stringValue == "Here is the exact text of the first chapter... ")
        }

        // MARK: Monocle convention

        @Test("Monocle model calls: role-keyed messages, tool calls, usage and model")
        func monocleModelCalls() throws {
            let loaded = try load(corpus: "otel-python-console/monocle-test_openai_agents_sdk.json")
            let calls = loaded.spans.filter { $0.kind == .llm }.sorted {
                ($0.startTimeUnixNano ?? 0) < ($1.startTimeUnixNano ?? 0)
            }
            #expect(calls.count == 2)
            let first = calls[0]
            #expect(first.model == "gpt-4o")
            #expect(first.usage == Usage(inputTokens: 45, outputTokens: 60, totalTokens: 105))
            let input = try #require(first.input?["messages"]?.arrayValue)
            #expect(input.map { $0["role"]?.stringValue } == ["system", "user"])
            #expect(input[1]["content"]?.stringValue?.hasPrefix("What's the weather like in New York") == true)
            #expect(first.output?["role"]?.stringValue == "assistant")
            #expect(first.toolCalls.map(\.name) == ["get_weather", "get_weather", "get_weather"])
            #expect(first.toolCalls.first?.arguments?.stringValue == "{\"city\":\"New York\"}")
            #expect(first.events.isEmpty)
            #expect(first.metadata["span.type"] == nil)
            #expect(first.metadata["entity.2.name"] == nil)
            #expect(first.metadata["span.subtype"]?.stringValue == "tool_call")

            // The second call sees the tool calls as one assistant message and the results as tool messages.
            let second = try #require(calls[1].input?["messages"]?.arrayValue)
            let roles = second.compactMap { $0["role"]?.stringValue }
            #expect(roles.filter { $0 == "assistant" }.count == 1)
            #expect(roles.filter { $0 == "tool" }.count == 3)
            let toolMessage = try #require(second.first { $0["role"]?.stringValue == "tool" })
            #expect(toolMessage["tool_call_id"]?.stringValue == "call_vFOCgGTNL5PzGjXmMPVHe2XY")
            #expect(calls[1].output?["content"]?.stringValue?.contains("**New York:** 50°F") == true)
        }

        @Test("Monocle LangChain roles and tool calls; tool spans get parsed arguments and results")
        func monocleLangGraph() throws {
            let loaded = try load(corpus: "otel-python-console/monocle-test_langgraph_multi_agent.json")
            let framework = try #require(
                loaded.spans.first { $0.kind == .llm && $0.metadata["span.subtype"]?.stringValue == "tool_call" })
            let roles = framework.input?["messages"]?.arrayValue?.compactMap { $0["role"]?.stringValue } ?? []
            #expect(roles.first == "system")
            #expect(roles.contains("user"))
            #expect(!roles.contains("human"))
            let call = try #require(framework.toolCalls.first)
            #expect(call.name == "get_weather")
            #expect(call.arguments?["city"]?.stringValue == "JFK")

            let mcp = try #require(loaded.spans.first { $0.name == "mcp.shared.session.BaseSession.send_request" })
            #expect(mcp.kind == .tool)
            #expect(mcp.input?["city"]?.stringValue == "JFK")
            #expect(mcp.output?["temperature"]?.numberValue?.text == "95")

            let generic = try #require(loaded.spans.first { $0.name == "Orchestrator" })
            #expect(generic.kind == .span)
            #expect(generic.kindName == "generic")
        }

        @Test("Monocle failed call: error type and stack from the exception event, error text as output")
        func monocleError() throws {
            let loaded = try load(
                corpus: "otel-python-console/monocle-test_azure_openai_finish_reason_with-errors.json")
            let failed = loaded.spans.filter { $0.error != nil }
            #expect(failed.count == 1)
            let span = try #require(failed.first)
            #expect(span.error?.type == "openai.BadRequestError")
            #expect(span.error?.message.hasPrefix("BadRequestError: Error code: 400") == true)
            #expect(span.error?.stack?.contains("Traceback") == true)
            #expect(span.output?.stringValue?.hasPrefix("Error code: 400") == true)
            #expect(span.metadata["error_code"]?.stringValue == "content_filter")
            #expect(span.model == "kshitiz-gpt")
            #expect(span.messages.first?["role"]?.stringValue == "user")
        }
    }
}
