import Testing
import TraceJSON
import TraceModel

@testable import TraceFormats

/// The adapter of `docs/adding-a-format.md`, as written there: a format built from the kit alone.
private struct ToolDecoder: TraceFormatDecoder {
    let formatName = "<Tool> JSONL"
    let formatID = "tool"
    let shapeDescription = "objects with run_id and step_id"

    func matches(_ value: JSONValue) -> Bool {
        value["run_id"]?.stringValue != nil && value["step_id"]?.stringValue != nil
    }

    func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = TraceModel.SourceLocation(file: file, line: record.line)
            do throws(FieldError) {
                result.spans.append(try span(record.value, at: location))
            } catch {
                result.diagnostics.append(error.diagnostic(at: location, outcome: "; span skipped"))
            }
        }
        return result
    }

    private func span(_ value: JSONValue, at location: TraceModel.SourceLocation) throws(FieldError) -> Span {
        guard case .object(let object) = value else {
            throw FieldError.notAnObject("a step object", found: value)
        }
        let fields = FieldReader(object)
        var span = Span(
            traceID: try FieldReader.requiredID(object["run_id"], field: "run_id"),
            spanID: try FieldReader.requiredID(object["step_id"], field: "step_id"),
            parentSpanID: FieldReader.id(object["parent_step_id"]),
            name: try fields.string("title") ?? "step",
            startTimeUnixNano: try FieldReader.dateTime(object["started"], field: "started"),
            endTimeUnixNano: try FieldReader.dateTime(object["ended"], field: "ended"),
            source: location,
            sourceFormat: formatName
        )
        span.metadata = try fields.object("meta") ?? JSONObject()
        return span
    }
}

@Suite("Adapter kit")
struct AdapterKitTests {
    func messages(_ text: String, candidates: [any TraceFormatDecoder] = TraceFormats.all) -> [String] {
        TraceDecoder(candidates: candidates).decode(Array(text.utf8), file: "t.json").diagnostics.map(\.description)
    }

    @Test("A format written from the kit alone is detected and decoded, and each bad record is one error")
    func documentedAdapter() throws {
        let text = """
            {"run_id":"r1","step_id":"a","title":"plan","started":"2025-06-01T12:00:00Z","meta":{"k":1}}
            {"run_id":"r1","step_id":"b","parent_step_id":"a","started":"2025-06-01 12:00:01.5"}
            {"run_id":"r1","step_id":"","started":"2025-06-01T12:00:02Z"}
            {"run_id":"r1","step_id":"d","title":7}
            {"run_id":"r1","step_id":"e","started":"yesterday"}
            {"run_id":"r1","step_id":"f","meta":[1]}
            """
        let decoded = TraceDecoder(candidates: [ToolDecoder()] + TraceFormats.all).decode(
            Array(text.utf8), file: "t.jsonl")
        #expect(decoded.spans.map(\.spanID) == ["a", "b"])
        #expect(decoded.spans[0].name == "plan")
        #expect(decoded.spans[1].parentSpanID == "a")
        #expect(decoded.spans[1].startTimeUnixNano == 1_748_779_201_500_000_000)
        #expect(decoded.spans[0].sourceFormat == "<Tool> JSONL")
        #expect(
            decoded.diagnostics.map(\.description) == [
                #"t.jsonl:3: error: "step_id" is empty or all zeros; span skipped"#,
                #"t.jsonl:4: error: "title" must be a string, found a number; span skipped"#,
                #"t.jsonl:5: error: "started" is not an ISO 8601 date-time: "yesterday"; span skipped"#,
                #"t.jsonl:6: error: "meta" must be an object, found an array; span skipped"#,
            ])
    }

    @Test("A bad id reads the same in every format that requires one")
    func sameWordingAcrossFormats() {
        #expect(
            messages(#"[{"traceId":"a1","id":"b1","timestamp":1},{"traceId":"a1","id":"","timestamp":1}]"#) == [
                #"t.json:1: error: span 1: "id" is empty or all zeros; span skipped"#
            ])
        #expect(
            messages(
                #"[{"traceID":"ab","spanID":"01","operationName":"a","startTime":1},{"traceID":"ab","spanID":"0000","operationName":"b","startTime":1}]"#
            ) == [#"t.json:1: error: span 1: "spanID" is empty or all zeros; span skipped"#])
        #expect(
            messages(
                #"{"name":"n","context":{"trace_id":"0x00","span_id":"0x01"},"kind":"SpanKind.INTERNAL","start_time":"2025-06-01T12:00:00Z"}"#
            ) == [#"t.json:1: error: "context.trace_id" is empty or all zeros; span skipped"#])
        #expect(
            messages(#"[{"traceId":"a1","id":"b1","timestamp":1},{"traceId":"a1","id":7,"timestamp":1}]"#) == [
                #"t.json:1: error: span 1: "id" must be a hex string, found a number; span skipped"#
            ])
        #expect(
            messages(#"[{"traceId":"a1","id":"b1","timestamp":1},{"traceId":"a1","timestamp":1}]"#) == [
                #"t.json:1: error: span 1: missing required field "id"; span skipped"#
            ])
    }

    @Test("Field readers name nested fields by their path and treat null as absent")
    func readers() throws {
        let object = try #require(
            JSONStreamParser.parse(#"{"a":null,"n":1.5,"i":3,"s":"x","o":{},"l":[1]}"#)
                .records.first?.value.objectValue)
        let usage = FieldReader(object, path: "usage")
        #expect(try usage.string("a") == nil)
        #expect(try usage.string("missing") == nil)
        #expect(try usage.integer("i") == 3)
        #expect(throws: FieldError.missing("usage.a")) { try usage.requiredString("a") }
        #expect(throws: FieldError.wrongType("usage.s", expected: "a number", found: .string("x"))) {
            try usage.number("s")
        }
        let whole = #expect(throws: FieldError.self) { try usage.integer("n") }
        #expect(whole?.message == #""usage.n" must be a whole number, found 1.5"#)
        #expect(whole?.field == "usage.n")
        let array = #expect(throws: FieldError.self) { try usage.object("l") }
        #expect(array?.reason == "must be an object, found an array")
        #expect(array?.expected == "an object")
        #expect(try usage.requiredArray("l").count == 1)
        #expect(FieldReader.first(object, "a", "s") == .string("x"))
    }

    @Test("Bad values are quoted short")
    func quoting() throws {
        let long = String(repeating: "x", count: 70)
        let error = #expect(throws: FieldError.self) { try FieldReader.dateTime(long, field: "t") }
        #expect(error?.message == "\"t\" is not an ISO 8601 date-time: \"\(String(repeating: "x", count: 60))…\"")
        #expect(FieldError.shortJSON(.string("ok")) == #""ok""#)
    }
}
