import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// The repository's own small trace files, one or more per input format.
let fixturesRoot = repositoryRoot.appendingPathComponent("Tests/fixtures/formats")

/// What one fixture under `Tests/fixtures/formats` must give. Every number was counted by hand
/// from the fixture's text; the comment above each case says how.
struct FixtureCase: CustomTestStringConvertible, Sendable {
    /// The path below `Tests/fixtures/formats`.
    var path: String
    /// The detected format's name, as every span's ``Span/sourceFormat`` carries it.
    var format: String
    /// Distinct spans after records of one span merged.
    var spans: Int
    var runs: Int
    /// Top-level spans over all runs.
    var roots: Int
    /// The deepest node's depth (0 when every span is a root).
    var depth: Int
    /// Spans that ended with an error.
    var errorSpans: Int
    /// A model call: the model's name and the tokens it recorded, where the format carries them.
    var model: String?
    var inputTokens: Int64?
    var outputTokens: Int64?
    /// Text from a message that must appear in some span's input or output.
    var text: String?
    /// Text that must appear in some span's metadata, for formats that carry no messages.
    var metadataText: String? = nil
    /// The name of a span read as a tool call (kind `tool`).
    var toolSpan: String? = nil
    /// A tool the model asked for, found in the `tool_calls` of some span's messages.
    var toolCall: String? = nil
    /// Text of an error message some span ended with.
    var errorMessage: String? = nil

    var testDescription: String { path }
}

/// Every string in `value`, at any depth.
private func strings(in value: JSONValue) -> [String] {
    var result: [String] = []
    var stack = [value]
    while let next = stack.popLast() {
        switch next {
        case .string(let s): result.append(s)
        case .array(let items): stack.append(contentsOf: items)
        case .object(let o): stack.append(contentsOf: o.members.map(\.value))
        default: break
        }
    }
    return result
}

@Suite("The repository's format fixtures")
struct FixtureTests {
    static let cases: [FixtureCase] = [
        // Two runs: refund-fx-1 (a root and four children; the first lookup_order times out) and
        // weather-fx-2 (root → get_forecast → GET /v1/forecast, depth 2).
        .init(
            path: "native/refund-and-weather.jsonl", format: "trace-report JSONL",
            spans: 8, runs: 2, roots: 2, depth: 2, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 140, outputTokens: 24,
            text: "The kettle arrived cracked.",
            toolSpan: "lookup_order", toolCall: "lookup_order",
            errorMessage: "orders service did not answer within 300 ms"
        ),
        // One resource, one scope: invoke_agent with two chat spans and a failed execute_tool below it.
        .init(
            path: "otlp/genai-weather-agent.json", format: "OTLP JSON",
            spans: 4, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4.1-mini-2025-04-14", inputTokens: 95, outputTokens: 21,
            text: "Should I bring an umbrella to Porto on Saturday?",
            toolSpan: "execute_tool get_forecast", toolCall: "get_forecast",
            errorMessage: "forecast service returned 503"
        ),
        // Two lines of the file exporter: the CHAIN root comes on the second line; embed_query sits
        // under retrieve_docs (depth 2); fetch_page fails with a 404.
        .init(
            path: "otlp/openinference-docs-qa.jsonl", format: "OTLP JSON",
            spans: 5, runs: 1, roots: 1, depth: 2, errorSpans: 1,
            model: "gpt-4o-2024-08-06", inputTokens: 312, outputTokens: 64,
            text: "The old key stays valid for 24 hours",
            toolSpan: "fetch_page",
            errorMessage: "page not found (404)"
        ),
        // Four pretty-printed spans, children first: the agent, its chat span, the failed tool
        // and the tool's failed GET (depth 2).
        .init(
            path: "otel-python-console/refund-triage-stdout.txt", format: "OpenTelemetry Python span JSON",
            spans: 4, runs: 1, roots: 1, depth: 2, errorSpans: 2,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 77, outputTokens: 19,
            text: "My blender stopped working after a week.",
            toolSpan: "execute_tool lookup_order", toolCall: "lookup_order",
            errorMessage: "502 Server Error: Bad Gateway"
        ),
        // ai.generateText with two provider calls and a tool call that times out.
        .init(
            path: "otel-js/parcel-help-vercel-ai.json", format: "OpenTelemetry JS span JSON",
            spans: 4, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 64, outputTokens: 18,
            text: "Where is parcel PX-88213?",
            toolSpan: "trackParcel", toolCall: "trackParcel",
            errorMessage: "carrier API timed out"
        ),
        // invoke_agent with call_llm, a refused execute_tool, and a second call_llm; children first.
        .init(
            path: "any-agent/rain-jacket-trace.json", format: "any-agent trace",
            spans: 4, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "mistral/mistral-small-latest", inputTokens: 182, outputTokens: 15,
            text: "Do I need a rain jacket in Bergen on Friday?",
            toolSpan: "execute_tool get_weather", toolCall: "get_weather",
            errorMessage: "weather API refused the connection"
        ),
        // A trace header line, then six spans in the order they ended: the agent holds two turns,
        // the first with a generation and a failed function call, the second with a generation.
        .init(
            path: "openai-agents/refund-processor-exports.jsonl", format: "OpenAI Agents SDK export",
            spans: 6, runs: 1, roots: 1, depth: 2, errorSpans: 1,
            model: "gpt-4o-mini", inputTokens: 118, outputTokens: 17,
            text: "I returned the headphones from order D-7730 two weeks ago",
            toolSpan: "lookup_order", toolCall: "lookup_order",
            errorMessage: "Error running tool (non-fatal)"
        ),
        // Three posts and three patches of the same three runs: a chain with an LLM run and a
        // tool run whose patch carries a Python traceback.
        .init(
            path: "langsmith/travel-desk-post-patch.json", format: "LangSmith runs",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-mini", inputTokens: 156, outputTokens: 23,
            text: "Is the Lisbon to Madrid train running on Sunday?",
            toolSpan: "check_timetable", toolCall: "check_timetable",
            errorMessage: "timetable service unreachable"
        ),
        // Three full rows and three merge rows of the same spans: a task, an LLM call, and a tool
        // whose merge row carries a JS error.
        .init(
            path: "braintrust/docs-question-log-rows.json", format: "Braintrust rows",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-mini", inputTokens: 203, outputTokens: 31,
            text: "Does the Pro plan include SSO, or is that Enterprise only?",
            toolSpan: "search_docs", toolCall: "search_docs",
            errorMessage: "search index is rebuilding"
        ),
        // An API trace with three observations (agent, generation, tool at level ERROR) and a
        // trace score.
        .init(
            path: "langfuse/sailing-api-trace.json", format: "Langfuse",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 104, outputTokens: 18,
            text: "Is it windy enough to sail in Kiel this afternoon?",
            toolSpan: "wind_report", toolCall: "wind_report",
            errorMessage: "station KIEL-LT returned no data for 40 minutes"
        ),
        // An ingestion batch: trace-create, then create and update events of a span, a retriever
        // (updated to level ERROR) and a generation.
        .init(
            path: "langfuse/billing-ingestion-batch.json", format: "Langfuse",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "claude-3-5-haiku-20241022", inputTokens: 640, outputTokens: 88,
            text: "Can I export my invoices as CSV?",
            errorMessage: "vector store timed out after 1500 ms"
        ),
        // POST /refunds (billing-gateway) → invoke_agent → a failed SELECT and a chat span.
        .init(
            path: "jaeger/refund-api-trace.json", format: "Jaeger JSON",
            spans: 4, runs: 1, roots: 1, depth: 2, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 212, outputTokens: 34,
            text: "Please refund the duplicate charge on invoice INV-3391.",
            errorMessage: "canceling statement due to statement timeout"
        ),
        // Five records, four spans: the client and shared server halves of get /forecast are one
        // span; under it a failed redis get and a local compute-forecast. Zipkin has no messages.
        .init(
            path: "zipkin/weather-lookup-spans.json", format: "Zipkin v2 JSON",
            spans: 4, runs: 1, roots: 1, depth: 2, errorSpans: 1,
            text: nil, metadataText: "GET forecast:graz",
            errorMessage: "connection reset by peer"
        ),
        // Two samples, seven spans each: the sample, init, the generate solver (two model calls
        // and the lookup_policy tool below it) and the scorer. Sample 2's tool call times out.
        .init(
            path: "inspect/refund-policy-qa.json", format: "Inspect AI eval log",
            spans: 14, runs: 2, roots: 2, depth: 2, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 182, outputTokens: 16,
            text: "I bought a lamp 20 days ago",
            toolSpan: "lookup_policy", toolCall: "lookup_policy",
            errorMessage: "lookup_policy timed out after 0.2 seconds"
        ),
        // The same log as a .eval archive (written by make_eval.py): the same runs and spans.
        .init(
            path: "inspect/refund-policy-qa.eval", format: "Inspect AI eval log",
            spans: 14, runs: 2, roots: 2, depth: 2, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 182, outputTokens: 16,
            text: "I bought a lamp 20 days ago",
            toolSpan: "lookup_policy", toolCall: "lookup_policy",
            errorMessage: "lookup_policy timed out after 0.2 seconds"
        ),
        // Three steps, each a model turn and an action under the root; the exit status names an
        // error, so the root ends with it. Tokens are the trajectory's totals, on the root.
        .init(
            path: "swe-agent/shop-docs-42.traj", format: "SWE-agent trajectory",
            spans: 7, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-2024-08-06", inputTokens: 4210, outputTokens: 312,
            text: "refunds are accepted within 14 days",
            toolSpan: "submit", toolCall: "bash",
            errorMessage: "submitted (exit_error)"
        ),
        // The ingest body {"data": [...]}: a trace item, then two top-level agents. The triage
        // agent holds a guardrail, a generation and a handoff; the weather agent two generations
        // and a function call that fails.
        .init(
            path: "openai-agents/travel-handoff-ingest-batch.json", format: "OpenAI Agents SDK export",
            spans: 8, runs: 1, roots: 2, depth: 1, errorSpans: 1,
            model: "gpt-4.1-nano", inputTokens: 96, outputTokens: 11,
            text: "I'm flying in on Friday.",
            toolSpan: "get_weather", toolCall: "transfer_to_weather_agent",
            errorMessage: "Error running tool (non-fatal)"
        ),
        // A plain array of experiment rows: two eval cases, each a root with scores and an LLM
        // call; the second case's call and its root both carry the timeout error.
        .init(
            path: "braintrust/refund-faq-experiment-rows.json", format: "Braintrust rows",
            spans: 4, runs: 2, roots: 2, depth: 1, errorSpans: 2,
            model: "gpt-4o-mini", inputTokens: 41, outputTokens: 12,
            text: "Do gift cards expire?",
            errorMessage: "model request timed out after 30000 ms"
        ),
        // An observations page {"data": [...], "meta": {...}}: a chain with a tool, a generation
        // at level WARNING (not an error) and a span at level ERROR.
        .init(
            path: "langfuse/ticket-observations-page.json", format: "Langfuse",
            spans: 4, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "mistral-small-2503", inputTokens: 58, outputTokens: 17,
            text: "My order E-2290 arrived 9 days late.",
            toolSpan: "fetch_ticket",
            errorMessage: "chat webhook returned 410 Gone"
        ),
        // api_v2 protobuf JSON: base64 ids, references without refType, RFC 3339 start times,
        // duration strings and vType tags; the tool span has error=true.
        .init(
            path: "jaeger/docs-bot-api-v2.json", format: "Jaeger JSON",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "llama-3.3-70b-versatile", inputTokens: 143, outputTokens: 22,
            text: "Which regions does the managed Postgres offer?",
            toolSpan: "execute_tool list_regions", toolCall: "list_regions",
            errorMessage: "catalog API returned 500"
        ),
        // One JSON array of to_json() spans with Traceloop attributes: a workflow, an indexed
        // gen_ai.prompt/completion chat span and a tool span with status ERROR.
        .init(
            path: "otel-python-console/refund-flow-traceloop-array.json", format: "OpenTelemetry Python span JSON",
            spans: 3, runs: 1, roots: 1, depth: 1, errorSpans: 1,
            model: "gpt-4o-mini-2024-07-18", inputTokens: 88, outputTokens: 15,
            text: "the jacket is the wrong size",
            toolSpan: "issue_refund.tool", toolCall: "issue_refund",
            errorMessage: "refunds above 100 EUR need approval"
        ),
    ]

    /// Every file under `Tests/fixtures/formats` except the README, as paths below it.
    static func fixtureFiles() -> [String] {
        let names = FileManager.default.enumerator(atPath: fixturesRoot.path)?.allObjects as? [String] ?? []
        return names.filter { $0.contains("/") && !$0.hasSuffix(".md") && !$0.hasSuffix(".py") }
            .filter { name in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(
                    atPath: fixturesRoot.appendingPathComponent(name).path, isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            }
            .sorted()
    }

    @Test("Every fixture file has expectations, and every expectation has its file")
    func everyFixtureIsCounted() {
        #expect(Self.fixtureFiles() == Self.cases.map(\.path).sorted())
    }

    @Test("Every registered format has a fixture")
    func everyFormatHasAFixture() {
        let covered = Set(Self.cases.map(\.format))
        for format in TraceFormats.all {
            #expect(covered.contains(format.formatName), "no fixture for \(format.formatName)")
        }
    }

    @Test("Each fixture decodes cleanly into the hand-counted runs and spans", arguments: cases)
    func decodes(_ fixture: FixtureCase) throws {
        let url = fixturesRoot.appendingPathComponent(fixture.path)
        let loaded = load(bytes: [UInt8](try Data(contentsOf: url)), file: url.lastPathComponent)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(Set(loaded.spans.map(\.sourceFormat)) == [fixture.format])
        #expect(loaded.spanCount == fixture.spans)
        #expect(loaded.runs.count == fixture.runs)
        #expect(loaded.rootCount == fixture.roots)
        #expect(loaded.maxDepth == fixture.depth)
        #expect(loaded.spans.filter { $0.error != nil }.count == fixture.errorSpans)
        if let model = fixture.model {
            let calls = loaded.spans.filter { $0.model == model }
            #expect(!calls.isEmpty, "no span names the model \(model)")
            if fixture.inputTokens != nil || fixture.outputTokens != nil {
                #expect(
                    calls.contains {
                        $0.usage.inputTokens == fixture.inputTokens && $0.usage.outputTokens == fixture.outputTokens
                    },
                    "\(calls.map(\.usage))"
                )
            }
        }
        if let text = fixture.text {
            let texts = loaded.spans.flatMap { span in
                [span.input, span.output].compactMap { $0 }.flatMap(strings(in:))
            }
            #expect(texts.contains { $0.contains(text) }, "no input or output contains \"\(text)\"")
        }
        if let name = fixture.toolSpan {
            #expect(
                loaded.spans.contains { $0.kind == .tool && $0.name == name },
                "\(loaded.spans.map { ($0.kind, $0.name) })")
        }
        if let name = fixture.toolCall {
            #expect(loaded.spans.contains { $0.toolCalls.contains { $0.name == name } }, "no model asked for \(name)")
        }
        if let text = fixture.errorMessage {
            let messages = loaded.spans.compactMap { $0.error?.message }
            #expect(messages.contains { $0.contains(text) }, "\(messages)")
        }
        if let text = fixture.metadataText {
            let texts = loaded.spans.flatMap { strings(in: .object($0.metadata)) }
            #expect(texts.contains { $0.contains(text) }, "no metadata contains \"\(text)\"")
        }
    }

    @Test("The .eval archive holds the same eval as the .json log it was written from")
    func evalArchiveMatchesLog() throws {
        func spans(_ path: String) throws -> [Span] {
            let url = fixturesRoot.appendingPathComponent(path)
            return load(bytes: [UInt8](try Data(contentsOf: url)), file: "log").spans.map { span in
                var span = span
                span.source = SourceLocation(file: "log", line: 0)
                return span
            }
        }
        let archived = try spans("inspect/refund-policy-qa.eval")
        #expect(!archived.isEmpty)
        #expect(archived == (try spans("inspect/refund-policy-qa.json")))
    }
}
