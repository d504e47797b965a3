import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one OTLP JSON corpus file must give.
struct OTLPCorpusCase: CustomTestStringConvertible, Sendable {
    var path: String
    /// Distinct spans after records of one span id merged.
    var spans: Int
    var runs: Int
    var roots: Int
    var maxDepth: Int
    /// Spans whose status is ERROR.
    var errorSpans: Int
    /// Spans repaired as orphans (their parent is not in the file).
    var orphans: Int

    var testDescription: String { path }
}

@Suite("OTLP JSON")
struct OTLPJSONTests {
    static let corpusCases: [OTLPCorpusCase] = [
        // Jaeger API v3 wrapper, no timestamps, status code 2.
        .init(
            path: "otlp-json/jaeger-apiv3-GetTrace-result-wrapper.json", spans: 1, runs: 1, roots: 1, maxDepth: 0,
            errorSpans: 1, orphans: 0),
        // Three resources, one trace, five parentless spans.
        .init(
            path: "otlp-json/jaeger-integration-example_trace.json", spans: 5, runs: 1, roots: 5, maxDepth: 0,
            errorSpans: 0, orphans: 0),
        // Two traces; every parent is missing (span 3 is in the other trace).
        .init(
            path: "otlp-json/jaeger-memory-otel_traces_01.json", spans: 4, runs: 2, roots: 4, maxDepth: 0,
            errorSpans: 4, orphans: 4),
        // Two identical records of one span id, whose parent is missing.
        .init(
            path: "otlp-json/jaeger-telemetrygen-otlp2jaeger-in.json", spans: 1, runs: 1, roots: 1, maxDepth: 0,
            errorSpans: 0, orphans: 1),
        // UPPERCASE ids and a dangling parent.
        .init(
            path: "otlp-json/otel-proto-example-trace.json", spans: 1, runs: 1, roots: 1, maxDepth: 0, errorSpans: 0,
            orphans: 1),
        // Four lines with empty ids: eight spans of their own, one run for the one resource.
        .init(
            path: "otlp-json/otel-spec-file-exporter-example-traces.jsonl", spans: 8, runs: 1, roots: 8, maxDepth: 0,
            errorSpans: 4, orphans: 0),
    ]

    @Test("id-less spans of different resources form different runs; the same resource on another line joins its run")
    func idlessRunsPerResource() {
        let line = { (service: String, name: String) in
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"\#(service)"}}]},"scopeSpans":[{"spans":[{"traceId":"","spanId":"","name":"\#(name)","startTimeUnixNano":"1700000000000000000"}]}]}]}"#
        }
        let loaded = load(text: [line("a", "a1"), line("b", "b1"), line("a", "a2")].joined(separator: "\n"))
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(loaded.runs.count == 2)
        let names = loaded.runs.map { $0.run.nodes.map(\.span.name).sorted() }.sorted { $0.count > $1.count }
        #expect(names == [["a1", "a2"], ["b1"]])
    }

    @Test("a run id made from an input file uses the file's base name, never its directory")
    func idlessRunIDHasNoPath() throws {
        let text =
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":"","name":"a","startTimeUnixNano":"1700000000000000000"}]}]}]}"#
        for path in [
            "/home/someone/projects/secret/traces.json", "../exports/traces.json", #"C:\Users\someone\traces.json"#,
            "traces.json",
        ] {
            let decoded = TraceDecoder(candidates: TraceFormats.all).decode(Array(text.utf8), file: path)
            let span = try #require(decoded.spans.first)
            #expect(span.traceID.hasPrefix("file-traces.json-resource-"), "\(span.traceID)")
            #expect(!span.traceID.contains("/") && !span.traceID.contains("\\") && !span.traceID.contains("someone"))
        }
        #expect(SourceLocation.baseName(of: "<stdin>") == "<stdin>")
        #expect(SourceLocation.baseName(of: "dir/") == "dir/")
    }

    @Test("deeply nested attribute values are read without exhausting the stack")
    func deepAnyValue() throws {
        let depth = 3000
        let open = String(repeating: #"{"arrayValue":{"values":["#, count: depth)
        let close = String(repeating: "]}}", count: depth)
        let text =
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"deep","attributes":[{"key":"deep","value":"#
            + open + #"{"stringValue":"bottom"}"# + close + "}]}]}]}]}"
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        var value = try #require(loaded.spans.first?.metadata["deep"])
        var levels = 0
        while case .array(let items) = value, let first = items.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
        #expect(value == .string("bottom"))
    }

    // MARK: Split runs

    @Test("a run split across lines and files, children before parents, assembles into one tree")
    func splitAcrossFilesAndLines() throws {
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        func document(_ spans: String) -> String {
            #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent"}}]},"scopeSpans":[{"scope":{"name":"demo"},"spans":[\#(spans)]}]}]}"#
        }
        func span(_ id: String, parent: String?, name: String, start: Int, end: Int, extra: String = "") -> String {
            let parentField = parent.map { #""parentSpanId":"\#($0)","# } ?? ""
            return
                #"{"traceId":"\#(trace)","spanId":"\#(id)",\#(parentField)"name":"\#(name)","kind":"SPAN_KIND_INTERNAL","startTimeUnixNano":"1700000000\#(start)00000000","endTimeUnixNano":"1700000000\#(end)00000000"\#(extra)}"#
        }
        let messages = #"[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]"#
        let llm =
            #","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":5}},{"key":"gen_ai.input.messages","value":{"stringValue":"\#(messages)"}}]"#
        // File one: the grandchild and an LLM child on line 1, their parent on line 2.
        let first = [
            document(
                span("2222222222222222", parent: "1111111111111111", name: "search", start: 3, end: 4) + ","
                    + span(
                        "3333333333333333", parent: "00F067AA0BA902B7", name: "chat gpt-4o", start: 6, end: 7,
                        extra: llm)
            ),
            document(span("1111111111111111", parent: "00f067aa0ba902b7", name: "plan", start: 2, end: 5)),
        ].joined(separator: "\n")
        // File two: the root, with an upper-case id.
        let second = document(span("00F067AA0BA902B7", parent: nil, name: "agent run", start: 1, end: 8))
        let loaded = load(files: [("part-1.jsonl", Array(first.utf8)), ("part-2.jsonl", Array(second.utf8))])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.runs.count == 1)
        #expect(loaded.spanCount == 4)
        #expect(loaded.rootCount == 1)
        #expect(loaded.maxDepth == 2)
        let nodes = try #require(loaded.runs.first?.run.nodes)
        #expect(nodes.map(\.span.name) == ["agent run", "plan", "search", "chat gpt-4o"])
        #expect(nodes.map(\.depth) == [0, 1, 2, 1])
        #expect(nodes[2].parent.map { nodes[$0].span.spanID } == "1111111111111111")
        #expect(nodes[0].span.source.file == "part-2.jsonl")
        let chat = nodes[3].span
        #expect(chat.kind == .llm)
        #expect(chat.model == "gpt-4o")
        #expect(chat.usage.inputTokens == 12)
        #expect(chat.usage.outputTokens == 5)
        #expect(chat.messages.first?["content"] == .string("Hi"))
        #expect(chat.metadata["service.name"] == .string("agent"))
        #expect(chat.metadata["gen_ai.usage.input_tokens"] == nil)
    }

    // MARK: Ids

    @Test("hex in either case, 0x-prefixed hex and base64 ids name the same span")
    func idEncodings() throws {
        func line(trace: String, span: String, parent: String? = nil, name: String, attribute: String) -> String {
            let parentField = parent.map { #""parentSpanId":"\#($0)","# } ?? ""
            return
                #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"\#(trace)","spanId":"\#(span)",\#(parentField)"name":"\#(name)","startTimeUnixNano":"1700000000000000000","attributes":[{"key":"\#(attribute)","value":{"boolValue":true}}]}]}]}]}"#
        }
        let text = [
            line(trace: "4BF92F3577B34DA6A3CE929D0E0E4736", span: "00F067AA0BA902B7", name: "step", attribute: "upper"),
            line(trace: "S/kvNXezTaajzpKdDg5HNg==", span: "APBnqgupArc=", name: "step", attribute: "base64"),
            line(
                trace: "0x4bf92f3577b34da6a3ce929d0e0e4736", span: "0x00f067aa0ba902b7", name: "step",
                attribute: "prefixed"),
            line(
                trace: "4bf92f3577b34da6a3ce929d0e0e4736", span: "1111111111111111", parent: "APBnqgupArc",
                name: "child", attribute: "child"),
        ].joined(separator: "\n")
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(loaded.runs.count == 1)
        #expect(loaded.spanCount == 2)
        let nodes = try #require(loaded.runs.first?.run.nodes)
        #expect(nodes[0].span.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(nodes[0].span.spanID == "00f067aa0ba902b7")
        #expect(nodes[0].repairs.contains(.duplicateMerged(recordCount: 3)))
        #expect(nodes[0].span.metadata["upper"] == .bool(true))
        #expect(nodes[0].span.metadata["base64"] == .bool(true))
        #expect(nodes[0].span.metadata["prefixed"] == .bool(true))
        #expect(nodes[1].span.name == "child")
        #expect(nodes[1].depth == 1)
    }

    // MARK: Field forms

    @Test("snake_case keys, enum names, numeric times and the Jaeger result wrapper are read")
    func fieldForms() throws {
        let text = #"""
            {"result":{"resource_spans":[{"scope_spans":[{"spans":[
              {"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","name":"call","kind":"SPAN_KIND_CLIENT",
               "start_time_unix_nano":1700000000123456789,"end_time_unix_nano":"1700000001123456789",
               "status":{"code":"STATUS_CODE_ERROR","message":"upstream failed"}},
              {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203332","parentSpanId":"b7ad6b7169203331","name":"inner","kind":5,
               "startTimeUnixNano":"1700000000200000000","status":{"code":1}}
            ]}]}]}}
            """#
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let nodes = try #require(loaded.runs.first?.run.nodes)
        #expect(nodes.count == 2)
        #expect(nodes[0].span.kindName == "client")
        #expect(nodes[0].span.startTimeUnixNano == 1_700_000_000_123_456_789)
        #expect(nodes[0].span.durationNanos == 1_000_000_000)
        #expect(nodes[0].span.error?.message == "upstream failed")
        #expect(nodes[1].span.kindName == "consumer")
        #expect(nodes[1].span.error == nil)
        #expect(nodes[1].depth == 1)
    }

    @Test("an exception event gives the span's error type, message and stack")
    func exceptionEvent() throws {
        let text = #"""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"tool",
              "startTimeUnixNano":"1700000000000000000","status":{"code":2,"message":"ValueError: bad city"},
              "events":[{"timeUnixNano":"1700000000500000000","name":"exception","attributes":[
                {"key":"exception.type","value":{"stringValue":"ValueError"}},
                {"key":"exception.message","value":{"stringValue":"bad city"}},
                {"key":"exception.stacktrace","value":{"stringValue":"Traceback (most recent call last):\n  File \"tool.py\", line 3"}}]}]},
             {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203332","parentSpanId":"b7ad6b7169203331","name":"unset status",
              "startTimeUnixNano":"1700000000100000000",
              "events":[{"name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"TimeoutError"}}]}]}
            ]}]}]}
            """#
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let failed = try #require(loaded.spans.first { $0.name == "tool" }?.error)
        #expect(failed.type == "ValueError")
        #expect(failed.message == "ValueError: bad city")
        #expect(failed.stack?.hasPrefix("Traceback") == true)
        let unset = try #require(loaded.spans.first { $0.name == "unset status" }?.error)
        #expect(unset.type == "TimeoutError")
        #expect(unset.message == "TimeoutError")
    }

    @Test("malformed spans are reported with their line and field, and the rest is kept")
    func malformedSpans() throws {
        let good = #"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"ok"}"#
        let text = [
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[\#(good),{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203332","name":"late","startTimeUnixNano":"soon"}]}]}]}"#,
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":{"bad":1},"name":"odd id"}]}]}]}"#,
            #"{"resourceSpans":"none"}"#,
            #"{"something":"else"}"#,
        ].joined(separator: "\n")
        let loaded = load(text: text)
        #expect(loaded.spanCount == 1)
        #expect(loaded.spans.first?.name == "ok")
        let errors = loaded.errors
        #expect(errors.count == 4)
        #expect(errors.map(\.location.line) == [1, 2, 3, 4])
        #expect(errors[0].message.contains("startTimeUnixNano"))
        #expect(errors[0].message.contains("spans[1]"))
        #expect(errors[1].message.contains("spanId"))
        #expect(errors[2].message.contains("resourceSpans"))
        #expect(errors[3].message.contains("resourceSpans"))
    }
}

extension OTLPJSONTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("OTLP JSON on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives the expected spans and tree", arguments: corpusCases)
        func corpusFile(_ expected: OTLPCorpusCase) throws {
            let loaded = try load(corpus: expected.path)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.spans.allSatisfy { $0.sourceFormat == "OTLP JSON" })
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.roots)
            #expect(loaded.maxDepth == expected.maxDepth)
            #expect(loaded.spans.filter { $0.error != nil }.count == expected.errorSpans)
            let orphans = loaded.runs.flatMap(\.run.nodes).filter { node in
                node.repairs.contains { if case .orphan = $0 { true } else { false } }
            }
            #expect(orphans.count == expected.orphans)
        }

        // MARK: Corpus details

        @Test("upper-case hex ids are lowercased and the dangling parent is kept as an orphan")
        func protoExample() throws {
            let loaded = try load(corpus: "otlp-json/otel-proto-example-trace.json")
            let node = try #require(loaded.runs.first?.run.nodes.first)
            #expect(node.span.traceID == "5b8efff798038103d269b633813fc60c")
            #expect(node.span.spanID == "eee19b7ec3c1b174")
            #expect(node.span.parentSpanID == "eee19b7ec3c1b173")
            #expect(node.repairs == [.orphan(missingParentID: "eee19b7ec3c1b173")])
            #expect(node.span.kindName == "server")
            #expect(node.span.startTimeUnixNano == 1_544_712_660_000_000_000)
            #expect(node.span.durationNanos == 1_000_000_000)
            #expect(node.span.metadata["my.span.attr"] == .string("some value"))
            #expect(node.span.metadata["service.name"] == .string("my.service"))
            #expect(node.span.metadata["otel.scope.name"] == .string("my.library"))
        }

        @Test("two identical records of one span id become one span")
        func duplicateRecords() throws {
            let loaded = try load(corpus: "otlp-json/jaeger-telemetrygen-otlp2jaeger-in.json")
            #expect(loaded.decoded.spans.count == 2)
            #expect(loaded.spanCount == 1)
            let node = try #require(loaded.runs.first?.run.nodes.first)
            #expect(node.span.spanID == "e127af99e3b3e074")
            #expect(node.repairs.contains(.duplicateMerged(recordCount: 2)))
            #expect(node.span.metadata["net.peer.ip"] == .string("1.2.3.4"))
        }

        @Test("the file exporter's id-less spans each stay a span of their own, in one run per resource")
        func emptyIDs() throws {
            let loaded = try load(corpus: "otlp-json/otel-spec-file-exporter-example-traces.jsonl")
            let run = try #require(loaded.runs.first)
            #expect(run.run.traceID.hasPrefix("file-otel-spec-file-exporter-example-traces.jsonl-resource-"))
            let ids = run.run.nodes.map(\.span.spanID).sorted()
            #expect(
                ids == ["span-1-0", "span-1-1", "span-2-0", "span-2-1", "span-3-0", "span-3-1", "span-4-0", "span-4-1"])
            let failed = run.run.nodes.map(\.span).filter { $0.name == "operationA" }
            #expect(failed.count == 4)
            #expect(failed.allSatisfy { $0.error?.message == "status-cancelled" })
            #expect(failed.allSatisfy { $0.events.map(\.name) == ["event-with-attr", "event"] })
            #expect(failed.first?.events.first?.attributes["span-event-attr"] == .string("span-event-attr-val"))
            #expect(failed.first?.events.first?.timeUnixNano == 1_581_452_773_000_000_123)
            #expect(run.run.nodes.allSatisfy { $0.span.parentSpanID == nil })
        }

        @Test("attribute values of every AnyValue kind are unwrapped into plain JSON")
        func anyValues() throws {
            let loaded = try load(corpus: "otlp-json/jaeger-memory-otel_traces_01.json")
            let span = try #require(loaded.spans.first { $0.spanID == "0000000000000002" })
            #expect(span.metadata["peer.ipv4"] == .number(JSONNumber(text: "23456")))
            #expect(span.metadata["blob"] == .string("AAAwOQ=="))
            #expect(span.metadata["temperature"] == .number(JSONNumber(text: "72.5")))
            #expect(span.metadata["otel.trace_state"] == .string("state.2"))
            let links = try #require(span.metadata["links"]?.arrayValue)
            #expect(links.count == 2)
            #expect(links[1]["traceId"] == .string("00000000000000ff0000000000000000"))
            #expect(links[1]["attributes"]?["opentracing.ref_type"] == .string("child_of"))

            let text = #"""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"values",
                "attributes":[
                  {"key":"s","value":{"stringValue":"text"}},
                  {"key":"b","value":{"boolValue":true}},
                  {"key":"i","value":{"intValue":"9007199254740993"}},
                  {"key":"d","value":{"doubleValue":1.5}},
                  {"key":"nan","value":{"doubleValue":"NaN"}},
                  {"key":"inf","value":{"doubleValue":"-Infinity"}},
                  {"key":"arr","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"2"},{"arrayValue":{"values":[]}}]}}},
                  {"key":"kv","value":{"kvlistValue":{"values":[{"key":"inner","value":{"kvlistValue":{"values":[{"key":"n","value":{"intValue":"7"}}]}}}]}}},
                  {"key":"bytes","value":{"bytesValue":"3q2+7w=="}},
                  {"key":"empty","value":{}}
                ]}]}]}]}
                """#
            let values = load(text: text)
            #expect(values.errors.isEmpty, "\(values.errors)")
            let m = try #require(values.spans.first?.metadata)
            #expect(m["s"] == .string("text"))
            #expect(m["b"] == .bool(true))
            #expect(m["i"] == .number(JSONNumber(text: "9007199254740993")))
            #expect(m["d"] == .number(JSONNumber(text: "1.5")))
            #expect(m["nan"] == .string("NaN"))
            #expect(m["inf"] == .string("-Infinity"))
            #expect(m["arr"] == .array([.string("x"), .number(JSONNumber(text: "2")), .array([])]))
            #expect(m["kv"]?["inner"]?["n"] == .number(JSONNumber(text: "7")))
            #expect(m["bytes"] == .string("3q2+7w=="))
            #expect(m["empty"] == .null)
        }

        @Test("detection picks OTLP JSON for resourceSpans and the result wrapper, and nothing else")
        func detection() throws {
            let decoder = OTLPJSONDecoder()
            func value(_ text: String) throws -> JSONValue {
                try #require(JSONStreamParser.parse(text).records.first?.value)
            }
            #expect(decoder.matches(try value(#"{"resourceSpans":[]}"#)))
            #expect(decoder.matches(try value(#"{"resource_spans":[]}"#)))
            #expect(decoder.matches(try value(#"{"result":{"resourceSpans":[]}}"#)))
            #expect(!decoder.matches(try value(#"{"result":{"spans":[]}}"#)))
            #expect(!decoder.matches(try value(#"{"spans":[{"traceId":"AQ==","spanId":"AQ=="}]}"#)))
            #expect(!decoder.matches(try value(#"{"trace_id":"a","span_id":"b","name":"n","start_time":1}"#)))
            let loaded = try load(corpus: "otlp-json/jaeger-apiv3-GetTrace-result-wrapper.json")
            #expect(loaded.decoded.spans.first?.sourceFormat == "OTLP JSON")
        }
    }
}
