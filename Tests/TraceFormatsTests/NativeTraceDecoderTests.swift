import Testing
import TraceJSON
import TraceModel

@testable import TraceFormats

@Suite("Native format decoding")
struct NativeTraceDecoderTests {
    func decode(_ text: String) -> DecodedTrace {
        TraceDecoder().decode(Array(text.utf8), file: "t.jsonl")
    }

    @Test("A complete span keeps every field")
    func completeSpan() throws {
        let line = #"""
            {"trace_id":"t1","span_id":"s1","parent_id":null,"name":"answer","kind":"llm","start_time":"2025-06-01T12:00:00.250Z","end_time":1748779201.5,"input":{"messages":[{"role":"user","content":"hi"}]},"output":"**yes**","error":{"type":"ValueError","message":"bad","stack":"at x"},"model":"gpt-4o","usage":{"input_tokens":10,"output_tokens":5,"cost":0.0012},"scores":{"correctness":0.5},"labels":["stale"],"metadata":{"k":"v"},"events":[{"name":"retry","time":"2025-06-01T12:00:01Z","attributes":{"n":1}}],"extra":"kept"}
            """#
        let result = decode(line)
        #expect(result.diagnostics.isEmpty)
        let span = try #require(result.spans.first)
        #expect(span.traceID == "t1")
        #expect(span.parentSpanID == nil)
        #expect(span.kind == .llm)
        #expect(span.startTimeUnixNano == 1_748_779_200_250_000_000)
        #expect(span.endTimeUnixNano == 1_748_779_201_500_000_000)
        #expect(span.durationNanos == 1_250_000_000)
        #expect(span.error == SpanError(type: "ValueError", message: "bad", stack: "at x"))
        #expect(span.usage.tokens == 15)
        #expect(span.usage.cost == 0.0012)
        #expect(span.scores == [Score(name: "correctness", value: 0.5, text: "0.5")])
        #expect(span.labels == ["stale"])
        #expect(span.metadata["k"] == .string("v"))
        #expect(span.metadata["extra"] == .string("kept"))
        #expect(span.events.count == 1)
        #expect(span.events[0].timeUnixNano == 1_748_779_201_000_000_000)
        #expect(span.source == SourceLocation(file: "t.jsonl", line: 1))
    }

    @Test("Unknown kinds become generic spans and keep their name")
    func unknownKind() throws {
        let span = try #require(
            decode(#"{"trace_id":"t","span_id":"a","name":"n","kind":"chain","start_time":0}"#).spans.first)
        #expect(span.kind == .span)
        #expect(span.kindName == "chain")
    }

    @Test(
        "Bad records are reported with their line and skipped",
        arguments: [
            (
                #"{"trace_id":"t","span_id":42,"name":"n","start_time":0}"#,
                "\"span_id\" must be a string, found a number"
            ),
            (
                #"{"trace_id":"t","span_id":"a","name":"n","start_time":true}"#,
                "\"start_time\" must be an RFC 3339 string or Unix seconds, found a boolean"
            ),
            (#"{"trace_id":"t","span_id":"a","start_time":0}"#, "missing required field \"name\""),
            (#"{"span_id":"a","name":"n","start_time":0}"#, "missing required field \"trace_id\""),
            (#"{"trace_id":"t","span_id":"a","name":"n"}"#, "missing required field \"start_time\""),
            (
                #"{"trace_id":"t","span_id":"a","name":"n","start_time":"yesterday"}"#,
                "\"start_time\" is not an RFC 3339 date-time: \"yesterday\""
            ),
            (
                #"{"trace_id":"t","span_id":"a","name":"n","start_time":0,"end_time":"soon"}"#,
                "\"end_time\" is not an RFC 3339 date-time: \"soon\""
            ),
            (#"[1,2]"#, "expected a JSON object with one span, found an array"),
            (#"{"trace_id":"t","span_id":"","name":"n","start_time":0}"#, "\"span_id\" is empty"),
            (#"{"trace_id":"t","span_id":"a","name":null,"start_time":0}"#, "\"name\" must be a string, found null"),
            (#"{"trace_id":"t","span_id":"a","name":"n","start_time":1e300}"#, "\"start_time\" is out of range: 1e300"),
        ]
    )
    func badRecord(line: String, message: String) {
        let text = #"{"trace_id":"t","span_id":"ok","name":"n","start_time":0}"# + "\n" + line + "\n"
        let result = decode(text)
        #expect(result.spans.map(\.spanID) == ["ok"])
        #expect(result.diagnostics == [Diagnostic(.error, at: SourceLocation(file: "t.jsonl", line: 2), message)])
        #expect(result.diagnostics.first?.description == "t.jsonl:2: error: " + message)
    }

    @Test(
        "A field of the wrong type loses only that field: the span stays, the raw value is kept",
        arguments: [
            (
                #""usage":{"input_tokens":"1,200","output_tokens":7}"#, "usage.input_tokens", JSONValue.string("1,200"),
                "must be a number, found a string"
            ),
            (
                #""scores":{"x":"high","y":0.5}"#, "scores.x", JSONValue.string("high"),
                "must be a number, found a string"
            ),
            (#""model":42"#, "model", JSONValue.number(JSONNumber(42)), "must be a string, found a number"),
            (
                #""labels":{"a":1}"#, "labels", JSONValue.object(JSONObject([("a", .number(JSONNumber(1)))])),
                "must be an array of strings, found an object"
            ),
            (#""metadata":"none""#, "metadata", JSONValue.string("none"), "must be an object, found a string"),
            (
                #""usage":{"output_tokens":1.5}"#, "usage.output_tokens", JSONValue.number(JSONNumber(text: "1.5")),
                "must be a whole number of tokens"
            ),
            (
                #""events":[{"time":"later"}]"#, "events",
                JSONValue.array([.object(JSONObject([("time", .string("later"))]))]),
                "\"events.time\" is not an RFC 3339 date-time: \"later\""
            ),
        ]
    )
    func droppedField(fields: String, field: String, raw: JSONValue, reason: String) throws {
        let line = #"{"trace_id":"t","span_id":"a","name":"n","start_time":0,"output":"kept","# + fields + "}"
        let result = decode(line)
        let span = try #require(result.spans.first)
        #expect(span.output == .string("kept"))
        #expect(span.droppedFields == [DroppedField(field: field, rawValue: raw, reason: reason)])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.effect == .droppedField)
        #expect(
            diagnostic.description.hasPrefix(
                "t.jsonl:1: warning: field \"\(field)\" of span \"a\" dropped, the span is kept: \(reason): "))
        if field == "usage.input_tokens" {
            #expect(span.usage.inputTokens == nil)
            #expect(span.usage.outputTokens == 7, "the other usage fields are kept")
        }
        if field == "scores.x" { #expect(span.scores.map(\.name) == ["y"]) }
    }

    @Test("Syntax errors name the line; every good line still decodes")
    func syntaxErrors() {
        let text =
            "\u{FEFF}{\"trace_id\":\"t\",\"span_id\":\"a\",\"name\":\"n\",\"start_time\":0}\r\n"
            + "not json\r\n"
            + "{\"trace_id\":\"t\",\"span_id\":\"b\",\"name\":\n"
            + "\n"
            + "{\"trace_id\":\"t\",\"span_id\":\"c\",\"name\":\"n\",\"start_time\":NaN}\n"
            + "{\"trace_id\":\"t\",\"span_id\":\"d\",\"name\":\"n\",\"start_time\":1}\n"
        let result = decode(text)
        #expect(result.spans.map(\.spanID) == ["a", "d"])
        #expect(result.diagnostics.map(\.location.line) == [2, 3, 5])
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test("Decoding on several threads gives the same result as on one")
    func parallelDecoding() {
        var text = ""
        for i in 0..<120_000 {
            text += #"{"trace_id":"t\#(i % 97)","span_id":"s\#(i)","name":"step \#(i)","start_time":\#(i)}"# + "\n"
            if i % 5000 == 17 { text += "{broken\n" }
        }
        let bytes = Array(text.utf8)
        let one = TraceDecoder(jobs: 1).decode(bytes, file: "f")
        let many = TraceDecoder(jobs: 4).decode(bytes, file: "f")
        // Compared as one Bool each: a failure would otherwise print every span.
        let manySame = one.spans == many.spans && one.diagnostics == many.diagnostics
        #expect(manySame)
        #expect(one.spans.count == 120_000)
        #expect(one.diagnostics.count == 24)
        // With the format named, or known from an earlier piece, every part is decoded at once.
        let named = TraceDecoder(format: NativeTraceDecoder(), jobs: 3).decode(bytes, file: "f")
        let namedSame = named.spans == one.spans && named.diagnostics == one.diagnostics
        #expect(namedSame)
        var state = TraceDecoder.PieceState()
        var pieces = DecodedTrace()
        let decoder = TraceDecoder(jobs: 2)
        let half = bytes.count / 2
        let cut = bytes[half...].firstIndex(of: 0x0A)! + 1
        for range in [0..<cut, cut..<bytes.count] {
            let piece = Array(bytes[range])
            pieces.append(piece.withUnsafeBytes { decoder.decodePiece($0, file: "f", state: &state) })
        }
        let piecesSame = pieces.spans == one.spans && pieces.diagnostics == one.diagnostics
        #expect(piecesSame)
    }
}
