public import TraceJSON
public import TraceModel

/// Reads any-agent trace files: `{"spans": [...], "final_output": ...}`, as mozilla-ai's
/// any-agent saves an `AgentTrace`.
///
/// The spans are OpenTelemetry Python spans with two differences from `to_json()`: trace and span
/// ids are decimal JSON integers (up to 39 digits for a 128-bit trace id, read from the number's
/// text and converted to hex), and times are integer nanoseconds. `final_output` becomes the
/// output of the run's root span, or run metadata when the file has no root.
public struct AnyAgentDecoder: TraceFormatDecoder {
    public let formatName = "any-agent trace"
    public let formatID = "any-agent"
    public let shapeDescription = "an object with spans whose context.trace_id is an integer, and final_output"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value, case .array(let spans)? = o["spans"] else { return false }
        guard let first = spans.first else { return o["final_output"] != nil }
        guard case .number? = first["context"]?["trace_id"] else { return false }
        return true
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            guard case .object(let trace) = record.value else {
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected an any-agent trace object, found \(record.value.typeNameWithArticle); skipped"
                    )
                )
                continue
            }
            guard case .array(let items)? = trace["spans"] else {
                let found = trace["spans"].map { $0.typeNameWithArticle } ?? "no \"spans\""
                result.diagnostics.append(
                    Diagnostic(.error, at: location, "\"spans\" must be an array, found \(found); trace skipped"))
                continue
            }
            var spans: [Span] = []
            for (index, item) in items.enumerated() {
                do throws(FieldError) {
                    guard case .object(let object) = item else {
                        throw FieldError.notAnObject("a span object", found: item)
                    }
                    let spanRecord = try self.record(from: object, at: location)
                    var span = OTelSpanMapper.span(from: spanRecord)
                    OTelSpanJSON.applyExceptionEvent(to: &span, statusCode: spanRecord.statusCode)
                    spans.append(span)
                } catch {
                    result.diagnostics.append(
                        error.diagnostic(at: location, place: "spans[\(index)]: ", outcome: "; span skipped"))
                }
            }
            if let finalOutput = trace["final_output"], !finalOutput.isNull {
                if let root = spans.firstIndex(where: { $0.parentSpanID == nil }), spans[root].output == nil {
                    spans[root].output = finalOutput
                } else if let traceID = spans.first?.traceID {
                    result.runInfo.append(
                        RunInfo(traceID: traceID, metadata: JSONObject([("final_output", finalOutput)])))
                }
            }
            result.spans.append(contentsOf: spans)
        }
        OTelSpanMapper.liftLangfuseTraceAttributes(&result)
        return result
    }

    /// The OTel record of one any-agent span.
    func record(from object: JSONObject, at location: SourceLocation) throws(FieldError) -> OTelSpanRecord {
        guard case .object(let context)? = object["context"] else {
            throw FieldError.missing("context")
        }
        guard let traceID = try Self.id(context["trace_id"], field: "context.trace_id", bytes: 16) else {
            throw FieldError.missing("context.trace_id")
        }
        guard let spanID = try Self.id(context["span_id"], field: "context.span_id", bytes: 8) else {
            throw FieldError.missing("context.span_id")
        }
        var parentID: String? = nil
        switch object["parent"] {
        case nil, .null?: break
        case .object(let parent)?: parentID = try Self.id(parent["span_id"], field: "parent.span_id", bytes: 8)
        case let other?: throw FieldError.wrongType("parent", expected: "an object or null", found: other)
        }
        let name = try FieldReader(object).requiredString("name")
        var kind = "INTERNAL"
        if case .string(let s)? = object["kind"] { kind = OTelSpanJSON.bareEnumName(s, prefix: "SpanKind.") }
        var statusCode = "UNSET"
        var statusMessage: String? = nil
        switch object["status"] {
        case nil, .null?: break
        case .object(let status)?:
            if case .string(let code)? = status["status_code"] { statusCode = OTelSpanJSON.pythonStatusCode(code) }
            statusMessage = status["description"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        case let other?: throw FieldError.wrongType("status", expected: "an object", found: other)
        }
        return OTelSpanRecord(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            name: name,
            kind: kind,
            startTimeUnixNano: try Self.nanoseconds(object["start_time"], field: "start_time"),
            endTimeUnixNano: try Self.nanoseconds(object["end_time"], field: "end_time"),
            statusCode: statusCode,
            statusMessage: statusMessage,
            attributes: try FieldReader.object(object["attributes"], field: "attributes") ?? JSONObject(),
            events: try OTelSpanJSON.events(object["events"]),
            links: object["links"]?.arrayValue ?? [],
            resource: object["resource"]?["attributes"]?.objectValue ?? JSONObject(),
            source: location,
            formatName: formatName
        )
    }

    /// An id written as a decimal JSON integer (converted from its text, never through a
    /// floating-point value) or as a hex string; `nil` when null, zero or absent.
    static func id(_ value: JSONValue?, field: String, bytes: Int) throws(FieldError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n.isInteger, !n.text.hasPrefix("-") else {
                throw FieldError("\"\(field)\" must be a non-negative integer, found \(n.text)")
            }
            let hex = TraceIdentifiers.hex(decimal: n.text, byteCount: bytes)
            if let hex, hex.count > bytes * 2 {
                throw FieldError("\"\(field)\" does not fit in \(bytes) bytes: \(n.text)")
            }
            return hex
        case .string(let s)?: return TraceIdentifiers.normalize(s, byteCount: bytes)
        case let other?: throw FieldError.wrongType(field, expected: "an integer", found: other)
        }
    }

    /// A time written as integer nanoseconds since the epoch; `nil` when null or absent.
    static func nanoseconds(_ value: JSONValue?, field: String) throws(FieldError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?:
            guard n.isInteger, let v = Int64(n.text) else {
                throw FieldError("\"\(field)\" must be integer nanoseconds, found \(n.text)")
            }
            return v == 0 ? nil : v
        case .string(let s)?:
            if let v = Int64(s) { return v == 0 ? nil : v }
            return try FieldReader.dateTime(value, field: field)
        case let other?: throw FieldError.wrongType(field, expected: "integer nanoseconds", found: other)
        }
    }
}
