import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// The corpus holds no Langfuse file of these shapes (its Langfuse sample is OTel console
/// output), so the fixtures follow the public API, ingestion API and blob-export references.
@Suite("Langfuse")
struct LangfuseTests {
    /// A trace as `GET /api/public/traces/{id}` returns it.
    static let apiTrace = """
        {
          "id": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11",
          "timestamp": "2025-06-01T12:00:00.000Z",
          "name": "support-chat",
          "input": {"question": "Where is my order A1?"},
          "output": "Your order A1 has shipped.",
          "sessionId": "session-17",
          "userId": "user-42",
          "release": "v1.2.0",
          "version": null,
          "metadata": {"plan": "pro"},
          "tags": ["production", "chat"],
          "public": false,
          "environment": "production",
          "htmlPath": "/project/p1/traces/7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11",
          "latency": 3.2,
          "totalCost": 0.00123,
          "observations": [
            {"id": "obs-tool", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "TOOL", "name": "lookup_order",
             "startTime": "2025-06-01T12:00:01.300Z", "endTime": "2025-06-01T12:00:01.600Z", "parentObservationId": "obs-agent",
             "input": {"order_id": "A1"}, "output": null, "level": "ERROR", "statusMessage": "order service returned 503",
             "metadata": {}, "model": null, "usageDetails": {}, "costDetails": {}},
            {"id": "obs-agent", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "AGENT", "name": "support-agent",
             "startTime": "2025-06-01T12:00:00.000Z", "endTime": "2025-06-01T12:00:03.200Z", "parentObservationId": null,
             "input": {"question": "Where is my order A1?"}, "output": "Your order A1 has shipped.", "level": "DEFAULT",
             "statusMessage": null, "metadata": {"agent_version": "3"}, "usageDetails": {}, "costDetails": {}},
            {"id": "obs-gen-1", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "GENERATION", "name": "plan",
             "startTime": "2025-06-01T12:00:00.100Z", "endTime": "2025-06-01T12:00:01.200Z",
             "completionStartTime": "2025-06-01T12:00:00.500Z", "parentObservationId": "obs-agent",
             "model": "gpt-4o", "modelParameters": {"temperature": 0.2, "max_tokens": 256},
             "input": [{"role": "system", "content": "You are a support agent."}, {"role": "user", "content": "Where is my order A1?"}],
             "output": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
               "function": {"name": "lookup_order", "arguments": "{\\"order_id\\":\\"A1\\"}"}}]},
             "level": "DEFAULT", "statusMessage": null, "metadata": null,
             "usage": {"input": 120, "output": 30, "total": 150, "unit": "TOKENS"},
             "usageDetails": {"input": 120, "output": 30, "total": 150, "input_cached_tokens": 64},
             "costDetails": {"input": 0.0003, "output": 0.0003, "total": 0.0006},
             "promptTokens": 120, "completionTokens": 30, "totalTokens": 150, "calculatedTotalCost": 0.0006,
             "latency": 1.1, "timeToFirstToken": 0.4, "unit": "TOKENS"},
            {"id": "obs-chain", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "CHAIN", "name": "answer",
             "startTime": "2025-06-01T12:00:01.700Z", "endTime": "2025-06-01T12:00:03.100Z", "parentObservationId": "obs-agent",
             "level": "DEFAULT"},
            {"id": "obs-retriever", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "RETRIEVER", "name": "faq-search",
             "startTime": "2025-06-01T12:00:01.800Z", "endTime": "2025-06-01T12:00:02.000Z", "parentObservationId": "obs-chain",
             "input": "order A1 shipping",
             "output": {"documents": [{"pageContent": "Orders ship within 2 days.", "metadata": {"source": "faq.md", "score": 0.91}}]},
             "level": "DEFAULT"},
            {"id": "obs-gen-2", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "GENERATION", "name": "respond",
             "startTime": "2025-06-01T12:00:02.100Z", "endTime": "2025-06-01T12:00:03.000Z", "parentObservationId": "obs-chain",
             "model": "gpt-4o", "input": [{"role": "user", "content": "Where is my order A1?"}],
             "output": "Your order A1 has shipped.", "level": "DEFAULT",
             "usageDetails": {"input": 200, "output": 12, "total": 212}, "costDetails": {"total": 0.00063}},
            {"id": "obs-event", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "type": "EVENT", "name": "slow-backend",
             "startTime": "2025-06-01T12:00:01.650Z", "endTime": null, "parentObservationId": "obs-agent",
             "level": "WARNING", "statusMessage": "retry took 300 ms"}
          ],
          "scores": [
            {"id": "sc-1", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "observationId": null, "name": "helpfulness",
             "value": 0.8, "dataType": "NUMERIC", "source": "EVAL", "comment": "clear answer", "timestamp": "2025-06-01T12:01:00.000Z"},
            {"id": "sc-2", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "observationId": "obs-gen-2", "name": "correct",
             "value": 1, "stringValue": "True", "dataType": "BOOLEAN", "source": "ANNOTATION"},
            {"id": "sc-3", "traceId": "7c1e6a52-0d3b-4c59-9c0e-2f1d8b7a9e11", "observationId": null, "name": "tone",
             "value": null, "stringValue": "friendly", "dataType": "CATEGORICAL", "source": "ANNOTATION"}
          ]
        }
        """

    /// A `POST /api/public/ingestion` body; the generation's update names no trace id.
    static let ingestionBatch = """
        {"batch": [
          {"id": "e1", "timestamp": "2025-06-01T12:00:00.000Z", "type": "trace-create",
           "body": {"id": "trace-ing-1", "timestamp": "2025-06-01T12:00:00.000Z", "name": "qa-pipeline", "userId": "u1",
                    "tags": ["batch"], "metadata": {"dataset": "smoke"}}},
          {"id": "e2", "timestamp": "2025-06-01T12:00:00.010Z", "type": "span-create",
           "body": {"id": "span-root", "traceId": "trace-ing-1", "name": "pipeline", "startTime": "2025-06-01T12:00:00.010Z",
                    "input": {"question": "What is 2+2?"}}},
          {"id": "e3", "timestamp": "2025-06-01T12:00:00.020Z", "type": "generation-create",
           "body": {"id": "gen-1", "traceId": "trace-ing-1", "parentObservationId": "span-root", "name": "answer",
                    "startTime": "2025-06-01T12:00:00.020Z", "model": "claude-3-5-sonnet", "modelParameters": {"temperature": 0},
                    "input": [{"role": "user", "content": "What is 2+2?"}]}},
          {"id": "e4", "timestamp": "2025-06-01T12:00:00.900Z", "type": "generation-update",
           "body": {"id": "gen-1", "endTime": "2025-06-01T12:00:00.900Z", "output": {"role": "assistant", "content": "4"},
                    "usage": {"input": 10, "output": 1, "total": 11, "unit": "TOKENS", "totalCost": 0.0001}}},
          {"id": "e5", "timestamp": "2025-06-01T12:00:00.950Z", "type": "event-create",
           "body": {"id": "evt-1", "traceId": "trace-ing-1", "parentObservationId": "span-root", "name": "cache-miss",
                    "metadata": {"key": "q1"}}},
          {"id": "e6", "timestamp": "2025-06-01T12:00:01.000Z", "type": "span-update",
           "body": {"id": "span-root", "traceId": "trace-ing-1", "endTime": "2025-06-01T12:00:01.000Z", "output": {"answer": "4"}}},
          {"id": "e7", "timestamp": "2025-06-01T12:00:01.100Z", "type": "score-create",
           "body": {"id": "s1", "traceId": "trace-ing-1", "observationId": "gen-1", "name": "exact_match", "value": 1}},
          {"id": "e8", "timestamp": "2025-06-01T12:00:01.200Z", "type": "score-create",
           "body": {"id": "s2", "traceId": "trace-ing-1", "name": "user_rating", "value": 4, "dataType": "NUMERIC"}},
          {"id": "e9", "timestamp": "2025-06-01T12:00:01.300Z", "type": "sdk-log", "body": {"log": "flushed 8 events"}}
        ],
        "metadata": {"batch_size": 9, "sdk_name": "python", "sdk_version": "2.60.0"}}
        """

    /// Blob-storage export rows: snake_case columns, UTC times without `T` or offset, JSON
    /// columns as text.
    static let blobRows = """
        {"id":"o1","trace_id":"t-blob","project_id":"p1","type":"SPAN","parent_observation_id":null,"start_time":"2025-06-01 12:00:00.000000","end_time":"2025-06-01 12:00:03.500000","name":"workflow","metadata":{},"level":"DEFAULT","status_message":null,"version":null,"input":"{\\"topic\\":\\"weather\\"}","output":null,"provided_model_name":null,"model_parameters":null,"usage_details":{},"cost_details":{},"total_cost":null,"completion_start_time":null,"created_at":"2025-06-01 12:00:04.000000","updated_at":"2025-06-01 12:00:04.000000"}
        {"id":"o2","trace_id":"t-blob","project_id":"p1","type":"GENERATION","parent_observation_id":"o1","start_time":"2025-06-01 12:00:00.100000","end_time":"2025-06-01 12:00:02.000000","name":"llm","metadata":{"ls_step":"1"},"level":"DEFAULT","status_message":null,"version":null,"input":"[{\\"role\\":\\"user\\",\\"content\\":\\"Weather in Paris?\\"}]","output":"{\\"role\\":\\"assistant\\",\\"content\\":\\"Rainy, 14 °C.\\"}","provided_model_name":"gpt-4o-mini","model_parameters":"{\\"temperature\\":\\"0.1\\"}","usage_details":{"input":25,"output":8,"total":33},"cost_details":{"input":0.00001,"output":0.00002,"total":0.00003},"total_cost":0.00003,"completion_start_time":"2025-06-01 12:00:00.400000"}
        {"id":"o3","trace_id":"t-blob","project_id":"p1","type":"TOOL","parent_observation_id":"o2","start_time":"2025-06-01 12:00:01.100000","end_time":"2025-06-01 12:00:01.900000","name":"weather_api","metadata":{},"level":"ERROR","status_message":"timeout after 900 ms","input":"{\\"city\\":\\"Paris\\"}","output":null,"usage_details":{},"cost_details":{}}
        {"id":"o4","trace_id":"t-blob","project_id":"p1","type":"EMBEDDING","parent_observation_id":"o1","start_time":"2025-06-01 12:00:03.100000","end_time":"2025-06-01 12:00:03.400000","name":"embed","provided_model_name":"text-embedding-3-small","level":"DEFAULT","usage_details":{"input":6,"total":6},"cost_details":{}}
        """

    @Test("an API trace object: observations become spans, the trace becomes run information")
    func apiTraceObject() throws {
        let loaded = load(text: Self.apiTrace)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 7)
        #expect(loaded.runs.count == 1)
        #expect(loaded.rootCount == 1)
        #expect(loaded.maxDepth == 2)
        let run = try #require(loaded.runs.first?.run)
        #expect(run.root?.spanID == "obs-agent")
        let info = try #require(run.info)
        #expect(info.name == "support-chat")
        #expect(info.labels == ["production", "chat", "tone: friendly"])
        #expect(info.scores.map { $0.name } == ["helpfulness"])
        #expect(info.metadata["sessionId"] == .string("session-17"))
        #expect(info.metadata["plan"] == .string("pro"))

        let spans = loaded.spans
        func span(_ id: String) throws -> Span { try #require(spans.first { $0.spanID == id }) }
        let agent = try span("obs-agent")
        #expect(agent.kind == .agent)
        #expect(agent.metadata["agent_version"] == .string("3"))

        let plan = try span("obs-gen-1")
        #expect(plan.kind == .llm)
        #expect(plan.model == "gpt-4o")
        #expect(plan.usage == Usage(inputTokens: 120, outputTokens: 30, totalTokens: 150, cost: 0.0006))
        #expect(plan.messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant"])
        #expect(plan.toolCalls.map { $0.name } == ["lookup_order"])
        #expect(plan.input?["temperature"] == .number(JSONNumber(text: "0.2")))
        #expect(plan.metadata["usage_details"]?["input_cached_tokens"] == .number(JSONNumber(64)))
        #expect(plan.metadata["completionStartTime"] == .string("2025-06-01T12:00:00.500Z"))
        #expect(plan.startTimeUnixNano == 1_748_779_200_100_000_000)

        let tool = try span("obs-tool")
        #expect(tool.kind == .tool)
        #expect(tool.error?.message == "order service returned 503")
        #expect(tool.input == .object(JSONObject([("order_id", .string("A1"))])))

        let chain = try span("obs-chain")
        #expect(chain.kind == .task)

        let retriever = try span("obs-retriever")
        #expect(retriever.kind == .retrieval)
        #expect(retriever.parentSpanID == "obs-chain")
        let document = try #require(retriever.output?["documents"]?.arrayValue?.first)
        #expect(document["content"] == .string("Orders ship within 2 days."))
        #expect(document["score"] == .number(JSONNumber(text: "0.91")))

        let respond = try span("obs-gen-2")
        #expect(respond.scores.map { $0.name } == ["correct"])
        #expect(respond.scores.first?.value == 1)
        #expect(respond.output == .string("Your order A1 has shipped."))
        #expect(respond.usage.cost == 0.00063)

        let event = try span("obs-event")
        #expect(event.kindName == "event")
        #expect(event.endTimeUnixNano == event.startTimeUnixNano)
        #expect(event.labels == ["warning"])
        #expect(event.error == nil)
        #expect(event.metadata["status_message"] == .string("retry took 300 ms"))
    }

    @Test("an ingestion batch: create and update events merge into one span each")
    func ingestionBatch() throws {
        let loaded = load(text: Self.ingestionBatch)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 3)
        #expect(loaded.runs.count == 1)
        #expect(loaded.rootCount == 1)
        #expect(loaded.maxDepth == 1)
        let run = try #require(loaded.runs.first?.run)
        #expect(run.info?.name == "qa-pipeline")
        #expect(run.info?.labels == ["batch"])
        #expect(run.info?.scores.map { $0.name } == ["user_rating"])
        #expect(run.info?.metadata["dataset"] == .string("smoke"))

        let spans = loaded.spans
        let root = try #require(spans.first { $0.spanID == "span-root" })
        #expect(root.name == "pipeline")
        #expect(root.input?["question"] == .string("What is 2+2?"))
        #expect(root.output?["answer"] == .string("4"))
        #expect(root.durationNanos == 990_000_000)

        let generation = try #require(spans.first { $0.spanID == "gen-1" })
        #expect(generation.kind == .llm)
        #expect(generation.name == "answer")
        #expect(generation.parentSpanID == "span-root")
        #expect(generation.model == "claude-3-5-sonnet")
        #expect(generation.usage == Usage(inputTokens: 10, outputTokens: 1, totalTokens: 11, cost: 0.0001))
        #expect(generation.messages.map { $0["content"]?.stringValue } == ["What is 2+2?", "4"])
        #expect(generation.scores.map { $0.name } == ["exact_match"])
        #expect(generation.endTimeUnixNano == 1_748_779_200_900_000_000)

        let event = try #require(spans.first { $0.spanID == "evt-1" })
        #expect(event.kindName == "event")
        #expect(event.startTimeUnixNano == 1_748_779_200_950_000_000)  // the event's timestamp
        #expect(event.metadata["key"] == .string("q1"))
    }

    @Test("ingestion events one per line, each line its own record")
    func ingestionLines() throws {
        let lines = """
            {"id":"e1","timestamp":"2025-06-01T12:00:00Z","type":"observation-create","body":{"id":"a1","traceId":"t1","type":"AGENT","name":"planner","startTime":"2025-06-01T12:00:00Z"}}
            {"id":"e2","timestamp":"2025-06-01T12:00:01Z","type":"observation-create","body":{"id":"g1","traceId":"t1","type":"GUARDRAIL","name":"pii-check","parentObservationId":"a1","startTime":"2025-06-01T12:00:00.5Z","endTime":"2025-06-01T12:00:00.6Z"}}
            {"id":"e3","timestamp":"2025-06-01T12:00:02Z","type":"observation-update","body":{"id":"a1","traceId":"t1","type":"AGENT","endTime":"2025-06-01T12:00:02Z","level":"ERROR","statusMessage":"planner gave up"}}
            """
        let loaded = load(text: lines)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 2)
        #expect(loaded.maxDepth == 1)
        let planner = try #require(loaded.spans.first { $0.spanID == "a1" })
        #expect(planner.kind == .agent)
        #expect(planner.name == "planner")
        #expect(planner.error?.message == "planner gave up")
        #expect(planner.durationNanos == 2_000_000_000)
        #expect(loaded.spans.contains { $0.kind == .guardrail && $0.name == "pii-check" })
    }

    @Test("blob-export rows: snake_case columns, space-separated UTC times, JSON text columns")
    func blobExport() throws {
        let loaded = load(text: Self.blobRows)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 4)
        #expect(loaded.runs.count == 1)
        #expect(loaded.rootCount == 1)
        #expect(loaded.maxDepth == 2)
        let spans = loaded.spans
        let workflow = try #require(spans.first { $0.spanID == "o1" })
        #expect(workflow.startTimeUnixNano == 1_748_779_200_000_000_000)
        #expect(workflow.endTimeUnixNano == 1_748_779_203_500_000_000)
        #expect(workflow.input == .object(JSONObject([("topic", .string("weather"))])))

        let llm = try #require(spans.first { $0.spanID == "o2" })
        #expect(llm.kind == .llm)
        #expect(llm.model == "gpt-4o-mini")
        #expect(llm.usage == Usage(inputTokens: 25, outputTokens: 8, totalTokens: 33, cost: 0.00003))
        #expect(llm.messages.map { $0["role"]?.stringValue } == ["user", "assistant"])
        #expect(llm.input?["temperature"] == .string("0.1"))
        #expect(llm.metadata["completion_start_time"] == .string("2025-06-01 12:00:00.400000"))

        let tool = try #require(spans.first { $0.spanID == "o3" })
        #expect(tool.kind == .tool)
        #expect(tool.error?.message == "timeout after 900 ms")
        #expect(tool.input?["city"] == .string("Paris"))

        let embed = try #require(spans.first { $0.spanID == "o4" })
        #expect(embed.kind == .embedding)
        #expect(embed.usage.inputTokens == 6)
    }

    @Test("an observation list from the API")
    func observationList() throws {
        let text = """
            {"data":[
              {"id":"x1","traceId":"t9","type":"SPAN","name":"root","startTime":"2025-06-01T12:00:00Z","endTime":"2025-06-01T12:00:01Z","parentObservationId":null},
              {"id":"x2","traceId":"t9","type":"EVALUATOR","name":"judge","startTime":"2025-06-01T12:00:00.2Z","endTime":"2025-06-01T12:00:00.8Z","parentObservationId":"x1",
               "output":{"score":0.7}}
            ],"meta":{"page":1,"limit":50,"totalItems":2,"totalPages":1}}
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.spanCount == 2)
        #expect(loaded.maxDepth == 1)
        #expect(loaded.spans.contains { $0.kind == .eval && $0.name == "judge" })
    }

    @Test("bad events and observations are reported and skipped")
    func badRecords() {
        let text = """
            {"id":"e1","timestamp":"2025-06-01T12:00:00Z","type":"span-create","body":{"id":"s1","traceId":"t1","name":"ok","startTime":"2025-06-01T12:00:00Z"}}
            {"id":"e2","timestamp":"2025-06-01T12:00:00Z","type":"dataset-create","body":{"id":"d1"}}
            {"id":"e3","timestamp":"2025-06-01T12:00:00Z","type":"span-update","body":{"id":"s9","endTime":"2025-06-01T12:00:01Z"}}
            {"id":"e4","timestamp":"2025-06-01T12:00:00Z","type":"span-create","body":{"id":"s2","traceId":"t1","startTime":"noon"}}
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        #expect(loaded.errors.count == 3)
        #expect(loaded.errors.contains { $0.message.contains("dataset-create") && $0.location.line == 2 })
        #expect(loaded.errors.contains { $0.message.contains("traceId") && $0.location.line == 3 })
        #expect(loaded.errors.contains { $0.message.contains("startTime") && $0.location.line == 4 })
    }

    @Test("a bad event in a batch is reported and the rest of the batch is kept")
    func badEventInBatch() {
        let text = """
            {"batch":[
              {"id":"e1","timestamp":"2025-06-01T12:00:00Z","type":"span-create","body":{"id":"s1","traceId":"t1","name":"first","startTime":"2025-06-01T12:00:00Z"}},
              {"id":"e2","timestamp":"2025-06-01T12:00:00Z","type":"span-create"},
              {"id":"e3","timestamp":"2025-06-01T12:00:01Z","type":"span-create","body":{"id":"s2","traceId":"t1","parentObservationId":"s1","name":"second","startTime":"2025-06-01T12:00:01Z"}}
            ]}
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 2)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message.contains("body") == true)
    }

    @Test("detection claims Langfuse shapes but not native lines or other vendors' records")
    func detection() {
        let decoder = LangfuseDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(Self.apiTrace)))
        #expect(decoder.matches(value(Self.ingestionBatch)))
        #expect(decoder.matches(value(Self.blobRows)))
        #expect(
            !decoder.matches(value(#"{"trace_id":"a","span_id":"b","name":"x","start_time":"2025-06-01T12:00:00Z"}"#)))
        #expect(!decoder.matches(value(#"{"id":"r","span_id":"s","root_span_id":"s"}"#)))
        #expect(!decoder.matches(value(#"{"object":"trace","id":"trace_1"}"#)))
        #expect(
            !decoder.matches(
                value(#"{"name":"x","context":{"trace_id":"0x1","span_id":"0x2"},"kind":"SpanKind.INTERNAL"}"#)))
    }

    @Test("each format is detected from a file's first value among all formats")
    func detectionAmongAll() {
        #expect(load(text: Self.apiTrace).decoded.spans.first?.sourceFormat == "Langfuse")
        #expect(load(text: Self.ingestionBatch).decoded.spans.first?.sourceFormat == "Langfuse")
        #expect(load(text: Self.blobRows).decoded.spans.first?.sourceFormat == "Langfuse")
    }
}
