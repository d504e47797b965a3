public import TraceJSON
public import TraceModel

/// Reads OpenTelemetry Python span JSON files: the output of `ReadableSpan.to_json()`, as the
/// SDK's `ConsoleSpanExporter` prints it (pretty-printed objects back to back) or as tools save
/// it (a JSON array of span objects, as Monocle does).
///
/// Ids are hex with or without `0x`; times are ISO 8601 text; `kind` is `SpanKind.X`; `status`
/// has `status_code` (or, in very old SDKs, `canonical_code`) and `description`. A span printed
/// twice with exactly the same content is kept once; differing repeats are merged by assembly,
/// which reports them.
public struct OTelConsoleDecoder: TraceFormatDecoder {
    public let formatName = "OpenTelemetry Python span JSON"
    public let formatID = "otel-python"
    public let shapeDescription =
        "objects with name, context.trace_id and kind like SpanKind.INTERNAL, or an array of them"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        OTelSpanJSON.isSpanOrSpanList(value, looksLikeSpan: Self.looksLikeSpan)
    }

    static func looksLikeSpan(_ o: JSONObject) -> Bool {
        guard case .object(let context)? = o["context"], context["trace_id"] != nil else { return false }
        guard case .string(let kind)? = o["kind"] else { return false }
        return kind.hasPrefix("SpanKind.")
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        // Exact re-prints of a span (same ids, same content) are dropped; they carry nothing new.
        OTelSpanJSON.decodeSpanObjects(records, file: file, dropExactRepeats: true) {
            (object, location) throws(FieldError) in try self.record(from: object, at: location)
        }
    }

    /// The OTel record of one printed span.
    func record(from object: JSONObject, at location: SourceLocation) throws(FieldError) -> OTelSpanRecord {
        let (traceID, spanID) = try OTelSpanJSON.contextIDs(
            object["context"], path: "context", traceKey: "trace_id", spanKey: "span_id")
        var parentID: String? = nil
        switch object["parent_id"] {
        case nil, .null?: break
        case .string(let s)?: parentID = TraceIdentifiers.normalize(s, byteCount: 8)
        case let other?: throw FieldError.wrongType("parent_id", expected: "a string or null", found: other)
        }
        let name = try FieldReader(object).requiredString("name")
        var kind = "INTERNAL"
        switch object["kind"] {
        case nil, .null?: break
        case .string(let s)?: kind = OTelSpanJSON.bareEnumName(s, prefix: "SpanKind.")
        case let other?: throw FieldError.wrongType("kind", expected: "a string like SpanKind.INTERNAL", found: other)
        }
        let start = try FieldReader.dateTime(object["start_time"], field: "start_time")
        let end = try FieldReader.dateTime(object["end_time"], field: "end_time")
        let (statusCode, statusMessage) = try status(object["status"])
        let attributes = try FieldReader.object(object["attributes"], field: "attributes") ?? JSONObject()
        let events = try OTelSpanJSON.events(object["events"])
        let links = try FieldReader.array(object["links"], field: "links") ?? []
        var resource = JSONObject()
        switch object["resource"] {
        case nil, .null?: break
        case .object(let r)?:
            // Current SDKs: {"attributes": {…}, "schema_url": ""}; older ones: the bare attribute dict.
            if case .object(let a)? = r["attributes"],
                r.members.allSatisfy({ $0.key == "attributes" || $0.key == "schema_url" })
            {
                resource = a
            } else {
                resource = r
            }
        case let other?: throw FieldError.wrongType("resource", expected: "an object", found: other)
        }
        return OTelSpanRecord(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            name: name,
            kind: kind,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            statusCode: statusCode,
            statusMessage: statusMessage,
            attributes: attributes,
            events: events,
            links: links,
            resource: resource,
            source: location,
            formatName: formatName
        )
    }

    private func status(_ value: JSONValue?) throws(FieldError) -> (code: String, message: String?) {
        switch value {
        case nil, .null?: return ("UNSET", nil)
        case .object(let o)?:
            let message = o["description"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if case .string(let code)? = o["status_code"] { return (OTelSpanJSON.pythonStatusCode(code), message) }
            // Very old SDKs: a gRPC-style canonical code, where anything but OK is a failure.
            if case .string(let code)? = o["canonical_code"] {
                let bare = OTelSpanJSON.bareEnumName(code, prefix: "StatusCanonicalCode.")
                return bare == "OK" ? ("UNSET", message) : ("ERROR", message ?? bare.lowercased())
            }
            if case .number(let n)? = o["canonical_code"] {
                return n.text == "0" ? ("UNSET", message) : ("ERROR", message ?? "error code \(n.text)")
            }
            return ("UNSET", message)
        case let other?: throw FieldError.wrongType("status", expected: "an object", found: other)
        }
    }
}
