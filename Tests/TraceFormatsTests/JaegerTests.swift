import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one Jaeger corpus file must give.
struct JaegerCorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    var spans: Int
    var runs: Int
    var roots: Int
    var depth: Int
    /// The trace id, normalized.
    var traceID: String
    /// Spans that end with an error (the `error=true` tag).
    var errorSpans: Int

    var testDescription: String { file }
}

@Suite("Jaeger JSON")
struct JaegerTests {
    static let corpusCases: [JaegerCorpusCase] = [
        // A bare span array; the server span's parent was not exported.
        .init(
            file: "jaeger-anonymizer-spans-inline-process.json", spans: 2, runs: 1, roots: 1, depth: 1,
            traceID: "2be38093ead7a083", errorSpans: 1),
        // Two identical records of one span merge into one.
        .init(
            file: "jaeger-api-traces-response-otlp2jaeger-out.json", spans: 1, runs: 1, roots: 1, depth: 0,
            traceID: "83a9efd15c1c98a977e0711cc93ee28b", errorSpans: 0),
        // Two different records share span id 2: both stay visible, as roots.
        .init(
            file: "jaeger-api-v2-protojson-domain_01.json", spans: 5, runs: 1, roots: 2, depth: 2,
            traceID: "00000000000000000000000000000001", errorSpans: 1),
        .init(
            file: "jaeger-ui-model-single-trace-ui_01.json", spans: 5, runs: 1, roots: 2, depth: 2,
            traceID: "0000000000000001", errorSpans: 1),
    ]

    @Test("GenAI tags get the OpenTelemetry semantic conventions")
    func genAITags() throws {
        let text = """
            {"data":[{"traceID":"5b8efff798038103d269b633813fc60c","processes":{"p1":{"serviceName":"agent","tags":[]}},"spans":[
             {"traceID":"5b8efff798038103d269b633813fc60c","spanID":"eee19b7ec3c1b174","operationName":"chat gpt-4o","references":[],
              "startTime":1706678909209712,"duration":1500000,"processID":"p1","logs":[],
              "tags":[{"key":"gen_ai.operation.name","type":"string","value":"chat"},
                      {"key":"gen_ai.request.model","type":"string","value":"gpt-4o"},
                      {"key":"gen_ai.usage.input_tokens","type":"int64","value":120},
                      {"key":"gen_ai.usage.output_tokens","type":"int64","value":"45"},
                      {"key":"otel.status_code","type":"string","value":"ERROR"},
                      {"key":"otel.status_description","type":"string","value":"rate limited"}]}]}]}
            """
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let span = try #require(loaded.spans.first)
        #expect(span.model == "gpt-4o")
        #expect(span.usage.inputTokens == 120)
        #expect(span.usage.outputTokens == 45)
        #expect(span.error?.message == "rate limited")
    }

    @Test("detection accepts the Jaeger shapes and not look-alikes of other formats")
    func detection() {
        let decoder = JaegerDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"{"data":[{"traceID":"1","spans":[],"processes":{}}]}"#)))
        #expect(decoder.matches(value(#"{"traceID":"1","spans":[]}"#)))
        #expect(decoder.matches(value(#"[{"traceID":"1","spanID":"2","operationName":"x"}]"#)))
        #expect(decoder.matches(value(#"{"spans":[{"traceId":"AQ==","spanId":"Ag==","operationName":"x"}]}"#)))
        #expect(!decoder.matches(value(#"{"data":[{"object":"trace","id":"trace_1"}]}"#)))
        #expect(
            !decoder.matches(
                value(#"{"spans":[{"name":"x","context":{"trace_id":1,"span_id":2}}],"final_output":"y"}"#)))
        #expect(!decoder.matches(value(#"[{"traceId":"1","id":"2","timestamp":1}]"#)))
        #expect(!decoder.matches(value(#"{"data":[]}"#)))
    }

    @Test("a span without an id is reported and skipped; the others render")
    func missingID() {
        let loaded = load(
            text:
                #"[{"traceID":"ab","spanID":"01","operationName":"a","startTime":1,"duration":1},{"traceID":"ab","operationName":"b","startTime":1}]"#
        )
        #expect(loaded.spanCount == 1)
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.first?.message.contains("spanID") == true)
    }
}

extension JaegerTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("Jaeger JSON on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives its spans, runs and tree", arguments: corpusCases)
        func corpusFile(_ expected: JaegerCorpusCase) throws {
            let loaded = try load(corpus: "jaeger-json/" + expected.file)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.roots)
            #expect(loaded.maxDepth == expected.depth)
            #expect(loaded.runs.first?.run.traceID == expected.traceID)
            #expect(loaded.spans.filter { $0.error != nil }.count == expected.errorSpans)
            #expect(loaded.spans.allSatisfy { $0.sourceFormat == "Jaeger JSON" })
            #expect(loaded.spans.allSatisfy { $0.startTimeUnixNano != nil && $0.endTimeUnixNano != nil })
        }

        @Test("microsecond times become nanoseconds exactly, and the process gives the service")
        func timesAndProcess() throws {
            let loaded = try load(corpus: "jaeger-json/jaeger-api-traces-response-otlp2jaeger-out.json")
            let span = try #require(loaded.spans.first)
            #expect(span.startTimeUnixNano == 1_706_678_909_209_712_000)
            #expect(span.durationNanos == 123_000)
            #expect(span.kindName == "server")
            #expect(span.metadata["service.name"] == .string("telemetrygen"))
            #expect(span.metadata["peer.service"] == .string("telemetrygen-client"))
            #expect(span.metadata["span.kind"] == nil)
            // The identical second record is a duplicate the assembler reports.
            #expect(loaded.diagnostics.contains { $0.severity == .warning && $0.message.contains("already recorded") })
        }

        @Test("a span id recorded twice with different fields keeps both spans, the second renamed")
        func duplicateSpanIDs() throws {
            let loaded = try load(corpus: "jaeger-json/jaeger-ui-model-single-trace-ui_01.json")
            let byID = Dictionary(uniqueKeysWithValues: loaded.spans.map { ($0.spanID, $0) })
            let first = try #require(byID["0000000000000002"])
            let second = try #require(byID["0000000000000002_1"])
            #expect(first.name == "test-general-conversion")
            #expect(second.name == "some-operation")
            #expect(second.metadata["jaeger.original_span_id"] == .string("0000000000000002"))
            #expect(
                loaded.diagnostics.contains { $0.severity == .warning && $0.message.contains("\"0000000000000002_1\"") }
            )
            // The first record's logs are its events.
            #expect(first.events.map(\.name) == ["some-event", "log"])
            #expect(first.events.last?.attributes["x"] == .string("y"))
            // The second record's typed tags: the error flag, an int64 beyond 2^53 kept exactly.
            #expect(second.error != nil)
            #expect(second.metadata["javascript_limit"] == .number(JSONNumber(text: "9223372036854775222")))
            #expect(second.metadata["temperature"]?.numberValue?.double == 72.5)
            #expect(second.metadata["blob"] == .string("AAAwOQ=="))
        }

        @Test("the parent is the first CHILD_OF reference into the same trace; foreign references stay visible")
        func references() throws {
            let loaded = try load(corpus: "jaeger-json/jaeger-ui-model-single-trace-ui_01.json")
            let byID = Dictionary(uniqueKeysWithValues: loaded.spans.map { ($0.spanID, $0) })
            let referenceTest = try #require(byID["0000000000000004"])
            #expect(referenceTest.parentSpanID == "0000000000000002")
            let refs = try #require(referenceTest.metadata["references"]?.arrayValue)
            #expect(refs.count == 3)
            #expect(refs.first?["traceID"] == .string("00000000000000ff"))
            #expect(byID["0000000000000005"]?.parentSpanID == "0000000000000004")
            #expect(referenceTest.metadata["warnings"] == .array([.string("some span warning")]))
            // The trace-level warning is run information.
            #expect(loaded.runs.first?.run.info?.metadata["warnings"] == .array([.string("some trace warning")]))
        }

        @Test("api_v2 protobuf-JSON: base64 ids become hex, RFC 3339 starts and duration strings are read")
        func protoJSON() throws {
            let loaded = try load(corpus: "jaeger-json/jaeger-api-v2-protojson-domain_01.json")
            let spans = loaded.spans
            #expect(Set(spans.map(\.traceID)) == ["00000000000000000000000000000001"])
            #expect(
                Set(spans.map(\.spanID)) == [
                    "0000000000000002", "0000000000000002_1", "0000000000000003", "0000000000000004",
                    "0000000000000005",
                ])
            let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
            let child = try #require(byID["0000000000000003"])
            #expect(child.parentSpanID == "0000000000000002")
            #expect(child.startTimeUnixNano == 1_485_467_191_639_875_139)
            #expect(child.durationNanos == 5000)
            #expect(byID["0000000000000005"]?.durationNanos == 4000)
            #expect(byID["0000000000000004"]?.parentSpanID == "0000000000000002")
            let tagged = try #require(byID["0000000000000002_1"])
            #expect(tagged.error != nil)
            #expect(tagged.metadata["peer.ipv4"] == .number(JSONNumber(text: "23456")))
            #expect(tagged.metadata["peer.service"] == .string("service-y"))
            #expect(byID["0000000000000002"]?.events.first?.name == "some-event")
            #expect(byID["0000000000000002"]?.events.first?.timeUnixNano == 1_485_467_191_639_875_139)
            #expect(child.metadata["service.name"] == .string("service-y"))
        }

        @Test("an error tag written as the string \"true\" and an inline process are read")
        func inlineProcess() throws {
            let loaded = try load(corpus: "jaeger-json/jaeger-anonymizer-spans-inline-process.json")
            let client = try #require(loaded.spans.first { $0.spanID == "7bd66f09ba90ea3d" })
            #expect(client.error != nil)
            #expect(client.kindName == "client")
            #expect(client.parentSpanID == "7606ddfe69932d34")
            #expect(client.metadata["service.name"] == .string("3c220036602f839e"))
            #expect(client.metadata["flags"] == .number(JSONNumber(1)))
        }
    }
}
