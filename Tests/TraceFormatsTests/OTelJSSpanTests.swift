import Testing
import TraceFormats
import TraceJSON
import TraceModel

@Suite("OpenTelemetry JS span JSON")
struct OTelJSSpanTests {
    static let vercelFile = "openinference-otel-genai/vercel-ai-sdk-v6-readablespans-all.json"

    @Test("parents from parentSpanId or parentSpanContext; kind, status and resource")
    func parentsKindStatus() throws {
        let text = """
            [
              {"name": "root", "kind": 1, "spanContext": {"traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174"},
               "startTime": [1700000000, 5], "endTime": [1700000002, 0], "status": {"code": 1},
               "attributes": {}, "events": [], "resource": {"attributes": {"service.name": "web"}},
               "instrumentationScope": {"name": "ai"}},
              {"name": "child 1.x", "kind": 2, "spanContext": {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "0000000000000001"},
               "parentSpanId": "eee19b7ec3c1b174", "startTime": [1700000000, 999999999], "endTime": [1700000001, 0],
               "status": {"code": 2, "message": "rate limited"}, "attributes": {},
               "events": [{"name": "exception", "time": [1700000000, 999999999],
                           "attributes": {"exception.type": "RateLimitError", "exception.message": "429", "exception.stacktrace": "at call()"}}]},
              {"name": "child 2.x", "kind": 0, "spanContext": {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "0000000000000002"},
               "parentSpanContext": {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174"},
               "startTime": [1700000001, 0], "endTime": [1700000001, 500], "status": {"code": 0}, "attributes": {}}
            ]
            """
        let loaded = load(text: text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.runs.count == 1)
        #expect(loaded.maxDepth == 1)
        let nodes = try #require(loaded.runs.first?.run.nodes)
        #expect(nodes.map(\.span.name) == ["root", "child 1.x", "child 2.x"])
        #expect(nodes[0].span.traceID == "5b8efff798038103d269b633813fc60c")
        #expect(nodes[0].span.spanID == "eee19b7ec3c1b174")
        #expect(nodes[0].span.startTimeUnixNano == 1_700_000_000_000_000_005)
        #expect(nodes[0].span.kindName == "server")
        #expect(nodes[1].span.kindName == "client")
        #expect(nodes[2].span.kindName == "internal")
        #expect(nodes[1].span.startTimeUnixNano == 1_700_000_000_999_999_999)
        #expect(nodes[1].span.error == SpanError(type: "RateLimitError", message: "rate limited", stack: "at call()"))
        #expect(nodes[2].span.parentSpanID == "eee19b7ec3c1b174")
        #expect(nodes[2].span.endTimeUnixNano == 1_700_000_001_000_000_500)
    }

    @Test("bad spans become errors naming the field")
    func badSpans() {
        let text = """
            {"name": "no times", "spanContext": {"traceId": "01", "spanId": "02"}, "startTime": 1700000000}
            {"name": "bad kind", "spanContext": {"traceId": "01", "spanId": "03"}, "kind": 9, "startTime": [1, 0]}
            {"name": "too many nanos", "spanContext": {"traceId": "01", "spanId": "04"}, "startTime": [1, 1000000000]}
            {"name": "ok", "spanContext": {"traceId": "01", "spanId": "05"}, "startTime": [1, 0], "endTime": [2, 0]}
            """
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        let messages = loaded.errors.map(\.message)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("\"startTime\" must be [seconds, nanoseconds]") })
        #expect(messages.contains { $0.contains("\"kind\" must be 0 to 4") })
        #expect(messages.contains { $0.contains("\"startTime\" is out of range") })
        #expect(loaded.errors.map(\.location.line) == [1, 2, 3])
    }
}

extension OTelJSSpanTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("OpenTelemetry JS span JSON on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("the Vercel AI SDK capture: ten spans, each its own trace, with times, tokens and messages")
        func vercelCapture() throws {
            let loaded = try load(corpus: OTelJSSpanTests.vercelFile)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            // The capture holds no parent links and a distinct trace id per span.
            #expect(loaded.spanCount == 10)
            #expect(loaded.runs.count == 10)
            #expect(loaded.rootCount == 10)
            #expect(loaded.maxDepth == 0)
            #expect(loaded.spans.allSatisfy { $0.sourceFormat == "OpenTelemetry JS span JSON" && $0.error == nil })

            let generate = try #require(loaded.spans.first { $0.spanID == "39d6e9b3ddec9996" })
            #expect(generate.traceID == "b3e700af9eab81e19f72f964d62a35af")
            #expect(generate.name == "ai.generateText.doGenerate")
            #expect(generate.startTimeUnixNano == 1_770_131_992_242_000_000)
            #expect(generate.endTimeUnixNano == 1_770_131_994_021_415_667)
            #expect(generate.usage.inputTokens == 14)
            #expect(generate.usage.outputTokens == 20)
            #expect(loaded.spans.contains { !$0.messages.isEmpty })

            let stream = try #require(loaded.spans.first { $0.name == "ai.streamText.doStream" })
            #expect(stream.events.map(\.name) == ["ai.stream.firstChunk", "ai.stream.finish"])
            #expect(stream.events.first?.timeUnixNano == 1_770_132_001_025_056_459)
            #expect(stream.events.first?.attributes["ai.response.msToFirstChunk"] != nil)
        }

        @Test("detection needs spanContext; Python and any-agent spans are not JS spans")
        func detection() throws {
            let decoder = OTelJSSpanDecoder()
            let file = try corpusJSON(OTelJSSpanTests.vercelFile)
            #expect(decoder.matches(file))
            #expect(TraceFormats.all.first { $0.matches(file) }?.formatID == "otel-js")
            #expect(!decoder.matches(try corpusJSON("otel-python-console/monocle-test_openai_agents_sdk.json")))
            #expect(!decoder.matches(try corpusJSON("any-agent/any-agent-openai-trace.json")))
            #expect(!decoder.matches(.array([.string("spanContext")])))
        }
    }
}
