import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one Zipkin corpus file must give.
struct ZipkinCorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    /// One span per (traceId, id).
    var spans: Int
    var depth: Int
    /// Ids recorded more than once (client and server halves, kind-less fragments).
    var mergedSpans: Int
    /// Spans with an `error` tag.
    var errorSpans: Int
    /// Annotations over all records.
    var annotations: Int

    var testDescription: String { file }
}

@Suite("Zipkin v2 JSON")
struct ZipkinTests {
    static let corpusCases: [ZipkinCorpusCase] = [
        .init(
            file: "benchmarks-zipkin2-chinese-single-span.json", spans: 1, depth: 0, mergedSpans: 0, errorSpans: 1,
            annotations: 0),
        .init(
            file: "benchmarks-zipkin2-client-single-span.json", spans: 1, depth: 0, mergedSpans: 0, errorSpans: 0,
            annotations: 2),
        .init(file: "zipkin-lens-ascend.json", spans: 6, depth: 2, mergedSpans: 2, errorSpans: 0, annotations: 0),
        .init(file: "zipkin-lens-envoy.json", spans: 1, depth: 0, mergedSpans: 0, errorSpans: 0, annotations: 0),
        .init(
            file: "zipkin-lens-messaging-kafka.json", spans: 28, depth: 4, mergedSpans: 0, errorSpans: 3, annotations: 0
        ),
        .init(file: "zipkin-lens-messaging.json", spans: 4, depth: 3, mergedSpans: 0, errorSpans: 0, annotations: 0),
        .init(file: "zipkin-lens-messaging2.json", spans: 11, depth: 2, mergedSpans: 0, errorSpans: 0, annotations: 0),
        .init(file: "zipkin-lens-simple-db-p6.json", spans: 5, depth: 1, mergedSpans: 0, errorSpans: 0, annotations: 0),
        .init(file: "zipkin-lens-skew.json", spans: 3, depth: 2, mergedSpans: 1, errorSpans: 0, annotations: 0),
        .init(
            file: "zipkin-lens-smartthings-mobile-web-install.json", spans: 663, depth: 31, mergedSpans: 290,
            errorSpans: 1, annotations: 92),
        .init(
            file: "zipkin-lens-smartthings-oauth-authorization.json", spans: 130, depth: 23, mergedSpans: 41,
            errorSpans: 1, annotations: 9),
        .init(file: "zipkin-lens-yelp.json", spans: 13, depth: 3, mergedSpans: 3, errorSpans: 0, annotations: 1),
    ]

    @Test("halves of one id in different values merge silently")
    func halvesAcrossValues() {
        let text = """
            [{"traceId":"a1","id":"b1","kind":"CLIENT","name":"get","timestamp":1000,"duration":50,"localEndpoint":{"serviceName":"web"}}]
            [{"traceId":"a1","id":"b1","kind":"SERVER","name":"get","timestamp":1010,"duration":30,"localEndpoint":{"serviceName":"api"},"shared":true}]
            """
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty)
        #expect(loaded.spanCount == 1)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
    }

    @Test("detection accepts Zipkin span arrays and single spans, not other formats")
    func detection() {
        let decoder = ZipkinDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"[{"traceId":"1","id":"2","timestamp":1}]"#)))
        #expect(decoder.matches(value(#"{"traceId":"1","id":"2","localEndpoint":{"serviceName":"a"}}"#)))
        #expect(
            !decoder.matches(
                value(#"[{"traceId":"1","id":"2","timestamp":"2024-01-01T00:00:00Z","type":"GENERATION"}]"#)))
        #expect(!decoder.matches(value(#"[{"traceID":"1","spanID":"2","operationName":"x"}]"#)))
        #expect(!decoder.matches(value("[]")))
    }

    @Test("a record without an id is reported and skipped")
    func missingID() {
        let loaded = load(
            text: #"[{"traceId":"a1","id":"b1","timestamp":1,"duration":2},{"traceId":"a1","timestamp":1}]"#)
        #expect(loaded.spanCount == 1)
        #expect(loaded.errors.map(\.message).contains { $0.contains("\"id\"") })
    }
}

extension ZipkinTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("Zipkin v2 JSON on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives one run with one span per id", arguments: corpusCases)
        func corpusFile(_ expected: ZipkinCorpusCase) throws {
            let loaded = try load(corpus: "zipkin-v2/" + expected.file)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == 1)
            #expect(loaded.rootCount == 1)
            #expect(loaded.maxDepth == expected.depth)
            let spans = loaded.spans
            #expect(spans.allSatisfy { $0.sourceFormat == "Zipkin v2 JSON" })
            // Merged ids keep each half under its side; no merge is reported as a duplicate.
            #expect(
                spans.filter { $0.metadata["client"] != nil && $0.metadata["server"] != nil }.count
                    == expected.mergedSpans)
            #expect(!loaded.diagnostics.contains { $0.message.contains("already recorded") })
            #expect(spans.filter { $0.error != nil }.count == expected.errorSpans)
            #expect(spans.reduce(0) { $0 + $1.events.count } == expected.annotations)
        }

        @Test("a shared server span and its client become one span with both halves kept")
        func sharedSpanMerge() throws {
            let loaded = try load(corpus: "zipkin-v2/zipkin-lens-skew.json")
            let rpc = try #require(loaded.spans.first { $0.spanID == "74280ae0c10d8062" })
            // The client's name and times.
            #expect(rpc.name == "post")
            #expect(rpc.kindName == "client+server")
            #expect(rpc.startTimeUnixNano == 1_470_150_004_074_202_000)
            #expect(rpc.durationNanos == 94_539_000)
            #expect(rpc.parentSpanID == "bf396325699c84bf")
            #expect(rpc.metadata["client"]?["localEndpoint"]?["serviceName"] == .string("servicea"))
            #expect(rpc.metadata["server"]?["localEndpoint"]?["serviceName"] == .string("serviceb"))
            #expect(rpc.metadata["server"]?["timestamp"] == .number(JSONNumber(text: "1470150004008761")))
            #expect(rpc.metadata["server"]?["shared"] == .bool(true))
            // The tree: get → post (client+server) → async.
            let run = try #require(loaded.runs.first?.run)
            #expect(run.nodes.map(\.span.spanID) == ["bf396325699c84bf", "74280ae0c10d8062", "43210ae0c10d1234"])
            #expect(run.nodes.map(\.depth) == [0, 1, 2])
            // The server's clock runs behind: its child starts before the merged span; times stay as recorded.
            let async = try #require(loaded.spans.first { $0.spanID == "43210ae0c10d1234" })
            #expect(async.startTimeUnixNano == 1_470_150_004_008_762_000)
            #expect(
                loaded.diagnostics.contains {
                    $0.severity == .warning && $0.message.contains("43210ae0c10d1234") && $0.message.contains("outside")
                })
        }

        @Test("one client and five server records of one id become one span")
        func manyHalves() throws {
            let loaded = try load(corpus: "zipkin-v2/zipkin-lens-smartthings-oauth-authorization.json")
            let span = try #require(loaded.spans.first { $0.spanID == "9d2d35b746db84f3" })
            #expect(span.name == "send iot-events360")
            #expect(span.startTimeUnixNano == 1_543_334_725_532_596_000)
            #expect(span.metadata["client"]?["localEndpoint"]?["serviceName"] == .string("bouncer"))
            #expect(span.metadata["server 5"]?["localEndpoint"]?["serviceName"] == .string("pusher"))
            #expect(span.metadata["server 6"] == nil)
        }

        @Test("tags, endpoints, annotations and the error tag of a single span are kept")
        func singleSpan() throws {
            let loaded = try load(corpus: "zipkin-v2/benchmarks-zipkin2-client-single-span.json")
            let span = try #require(loaded.spans.first)
            #expect(span.traceID == "4d1e00c0db9010db86154a4ba6e91385")
            #expect(span.kindName == "client")
            #expect(span.metadata["http.path"] == .string("/api"))
            #expect(span.metadata["remoteEndpoint"]?["port"] == .number(JSONNumber(9000)))
            #expect(span.events.map(\.name) == ["foo", "bar"])
            #expect(span.events.first?.timeUnixNano == 1_472_470_996_238_000_000)

            let chinese = try load(corpus: "zipkin-v2/benchmarks-zipkin2-chinese-single-span.json")
            let failed = try #require(chinese.spans.first)
            #expect(failed.name == "个人信息查询")
            #expect(failed.error?.message == "此用户没有操作权限")
        }
    }
}
