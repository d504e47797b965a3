import Testing
import TraceFormats
import TraceJSON
import TraceModel

@Suite("Braintrust rows")
struct BraintrustTests {
    /// What one corpus file must decode into.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var path: String
        var spans: Int
        var runs: Int
        var roots: Int
        var depth: Int
        /// Chat messages over all model-call spans.
        var llmMessages: Int
        /// Tool calls named in those messages.
        var toolCalls: Int
        /// Spans with scores.
        var scoredSpans: Int
        /// Spans that ended with an error.
        var failedSpans: Int
        var testDescription: String { path }
    }

    static let corpus: [Expectation] = [
        Expectation(
            path: "braintrust/sdk-e2e-deno-node-log-rows.json",
            spans: 8, runs: 5, roots: 5, depth: 2, llmMessages: 0, toolCalls: 0, scoredSpans: 0, failedSpans: 0
        ),
        Expectation(
            path: "braintrust/sdk-e2e-vitest-experiment-rows-with-scores.json",
            spans: 5, runs: 5, roots: 5, depth: 0, llmMessages: 0, toolCalls: 0, scoredSpans: 5, failedSpans: 1
        ),
        // Forty rows: start rows followed by merge rows adding tokens, output and end times.
        Expectation(
            path: "braintrust/sdk-e2e-wrap-langchain-js-log-rows-with-merges.json",
            spans: 14, runs: 1, roots: 1, depth: 3, llmMessages: 14, toolCalls: 3, scoredSpans: 0, failedSpans: 0
        ),
        // An HTTP request capture: the spans are in the `/logs3` bodies only.
        Expectation(
            path: "braintrust/sdk-e2e-jest-http-request-flow-logs3.json",
            spans: 8, runs: 5, roots: 5, depth: 2, llmMessages: 0, toolCalls: 0, scoredSpans: 0, failedSpans: 0
        ),
    ]

    @Test("times and tokens from real metrics; a merge row in a later record completes its span")
    func realMetrics() throws {
        let text = """
            {"api_version":2,"rows":[
              {"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":false,"span_attributes":{"name":"answer","type":"llm"},
               "metrics":{"start":1748779200.25},"input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
               "metadata":{"model":"gpt-4o","params":{"temperature":0}}},
              {"id":"r2","span_id":"s2","root_span_id":"s1","span_parents":["s1"],"span_attributes":{"name":"lookup","type":"tool"},
               "metrics":{"start":1748779200.5,"end":1748779200.75},"input":{"q":"x"},"output":"y"}
            ]}
            {"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":true,"metrics":{"end":1748779201.5,"prompt_tokens":12,"completion_tokens":3,"tokens":15,"estimated_cost":0.0002},
             "output":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"metadata":{"params":{"top_p":1}},"tags":["t1"]}
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 2)
        #expect(loaded.maxDepth == 1)
        let answer = try #require(loaded.spans.first { $0.spanID == "s1" })
        #expect(answer.startTimeUnixNano == 1_748_779_200_250_000_000)
        #expect(answer.endTimeUnixNano == 1_748_779_201_500_000_000)
        #expect(answer.usage == Usage(inputTokens: 12, outputTokens: 3, totalTokens: 15, cost: 0.0002))
        #expect(answer.model == "gpt-4o")
        #expect(answer.labels == ["t1"])
        #expect(answer.messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant"])
        #expect(answer.metadata["response"]?["finish_reason"] == .string("stop"))
        let lookup = try #require(loaded.spans.first { $0.spanID == "s2" })
        #expect(lookup.kind == .tool)
        #expect(lookup.durationNanos == 250_000_000)
    }

    @Test("a start row and its merge row decoded in different pieces merge in assembly without a warning")
    func mergeAcrossPieces() throws {
        let decoder = BraintrustDecoder()
        let start = JSONStreamParser.parse(
            #"{"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":false,"span_attributes":{"name":"step","type":"task"},"metrics":{"start":1748779200}}"#
        )
        let update = JSONStreamParser.parse(
            #"{"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":true,"metrics":{"end":1748779201},"output":{"ok":true}}"#
        )
        var decoded = decoder.decode(start.records, file: "a")
        decoded.append(decoder.decode(update.records, file: "a"))
        #expect(decoded.spans.count == 2)
        #expect(decoded.spans.allSatisfy { $0.isPartial })
        let (runs, warnings) = RunAssembler().assemble(decoded.spans)
        #expect(warnings.isEmpty)
        let span = try #require(runs.first?.nodes.first?.span)
        #expect(runs.first?.nodes.count == 1)
        #expect(span.name == "step")
        #expect(span.kind == .task)
        #expect(span.durationNanos == 1_000_000_000)
        #expect(span.output?["ok"] == .bool(true))
    }

    @Test("merge rows in one batch deep-merge nested objects")
    func deepMerge() throws {
        let text = """
            [{"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":false,"span_attributes":{"name":"step","type":"task"},"metadata":{"params":{"temperature":0}},"tags":["a"]},
             {"id":"r1","span_id":"s1","root_span_id":"s1","_is_merge":true,"metadata":{"params":{"top_p":1}},"tags":["b"]}]
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.decoded.spans.count == 1)
        let span = try #require(loaded.spans.first)
        #expect(
            span.metadata["params"]
                == .object(JSONObject([("temperature", .number(JSONNumber(0))), ("top_p", .number(JSONNumber(1)))])))
        #expect(span.labels == ["a", "b"])
    }

    @Test("detection claims rows and batches but not native trace-report lines")
    func detection() {
        let decoder = BraintrustDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"{"id":"r","span_id":"s","root_span_id":"s"}"#)))
        #expect(decoder.matches(value(#"{"api_version":2,"rows":[{"id":"r","span_id":"s","root_span_id":"s"}]}"#)))
        #expect(
            decoder.matches(value(#"[{"jsonBody":null},{"jsonBody":{"rows":[{"span_id":"s","root_span_id":"s"}]}}]"#)))
        #expect(!decoder.matches(value(#"{"trace_id":"a","span_id":"b","name":"x","start_time":1}"#)))
        #expect(!decoder.matches(value(#"[{"jsonBody":{"org_id":"o"}}]"#)))
    }
}

extension BraintrustTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("Braintrust rows on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file decodes into the expected runs, tree and content", arguments: corpus)
        func corpusFile(_ expected: Expectation) throws {
            let loaded = try load(corpus: expected.path)
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.roots)
            #expect(loaded.maxDepth == expected.depth)
            #expect(loaded.decoded.spans.allSatisfy { $0.sourceFormat == "Braintrust rows" })
            let llm = loaded.spans.filter { $0.kind == .llm }
            #expect(llm.reduce(0) { $0 + $1.messages.count } == expected.llmMessages)
            #expect(llm.reduce(0) { $0 + $1.toolCalls.count } == expected.toolCalls)
            #expect(loaded.spans.filter { !$0.scores.isEmpty }.count == expected.scoredSpans)
            #expect(loaded.spans.filter { $0.error != nil }.count == expected.failedSpans)
            // Placeholder and zeroed metrics are absent, not the epoch.
            #expect(loaded.spans.allSatisfy { $0.startTimeUnixNano == nil && $0.usage.isEmpty })
            #expect(loaded.spans.allSatisfy { !$0.name.isEmpty })
        }

        @Test("merge rows complete their start row: output, model and end in one span")
        func merges() throws {
            let loaded = try load(corpus: "braintrust/sdk-e2e-wrap-langchain-js-log-rows-with-merges.json")
            let spans = loaded.spans
            let tool = try #require(spans.first { $0.spanID == "<span:25>" })
            #expect(tool.kind == .llm)
            #expect(tool.name == "ChatOpenAI")
            #expect(tool.parentSpanID == "<span:23>")
            #expect(tool.model == "gpt-4o-mini-2024-07-18")  // from the merge row
            // From the start row.
            #expect(tool.metadata["invocation_params"]?["max_tokens"] == .number(JSONNumber(128)))
            #expect(
                tool.messages.first?["content"]
                    == .string("Use the get_weather tool for Paris, France. Do not answer from memory."))
            #expect(tool.toolCalls.map { $0.name } == ["get_weather"])

            let followUp = try #require(spans.first { $0.spanID == "<span:34>" })
            #expect(followUp.messages.map { $0["role"]?.stringValue } == ["user", "assistant", "tool", "assistant"])
            #expect(followUp.toolCalls.first?.arguments?["operation"] == .string("multiply"))

            let sequence = try #require(spans.first { $0.spanID == "<span:11>" })
            #expect(sequence.kind == .task)
            #expect(sequence.output?["role"] == .string("assistant"))
            #expect(sequence.output?["content"] == .string("PARIS"))

            let root = try #require(loaded.runs.first?.run.root)
            #expect(root.name == "langchain-wrapper-root")
            #expect(root.spanID == "<span:2>")
        }

        @Test("experiment rows keep scores, tags, expected values and a JS error with its type")
        func experiment() throws {
            let loaded = try load(corpus: "braintrust/sdk-e2e-vitest-experiment-rows-with-scores.json")
            let configured = try #require(loaded.spans.first { $0.name == "vitest configured span" })
            #expect(configured.scores.map { $0.name } == ["correctness", "pass", "quality"])
            #expect(configured.scores.last?.value == 0.9)
            #expect(configured.labels == ["math", "configured"])
            #expect(configured.metadata["expected"] == .number(JSONNumber(10)))
            #expect(configured.input == .object(JSONObject([("value", .number(JSONNumber(5)))])))

            let failure = try #require(loaded.spans.first { $0.name == "vitest expected failure" })
            #expect(failure.error?.type == "AssertionError")
            #expect(failure.error?.message == "expected 'wrong' to be 'right' // Object.is equality")
            #expect(failure.error?.stack?.contains("at Experiment.traced") == true)
            #expect(failure.scores.first?.value == 0)
        }

        @Test("the Braintrust JSON Schema is not a trace: reported as an unrecognized format")
        func schemaIsNotATrace() throws {
            let loaded = try load(corpus: "braintrust/schema-generated_types.json")
            #expect(loaded.runs.isEmpty)
            #expect(loaded.errors.count == 1)
            #expect(loaded.errors.first?.message.contains("unrecognized trace format") == true)
            let schema = try corpusJSON("braintrust/schema-generated_types.json")
            #expect(!BraintrustDecoder().matches(schema))
        }
    }
}
