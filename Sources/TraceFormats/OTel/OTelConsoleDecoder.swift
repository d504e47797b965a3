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
        switch value {
        case .object(let o): return Self.looksLikeSpan(o)
        case .array(let items):
            guard case .object(let o)? = items.first else { return false }
            return Self.looksLikeSpan(o)
        default: return false
        }
    }

    static func looksLikeSpan(_ o: JSONObject) -> Bool {
        guard case .object(let context)? = o["context"], context["trace_id"] != nil else { return false }
        guard case .string(let kind)? = o["kind"] else { return false }
        return kind.hasPrefix("SpanKind.")
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        var startEnd = StartEndRecords()
        // Exact re-prints of a span (same ids, same content) are dropped; they carry nothing new.
        var printed: [String: [JSONObject]] = [:]
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            let items: [(value: JSONValue, index: Int?)]
            if case .array(let elements) = record.value {
                items = elements.enumerated().map { ($0.element, $0.offset) }
            } else {
                items = [(record.value, nil)]
            }
            for item in items {
                let place = item.index.map { "array element \($0 + 1): " } ?? ""
                guard case .object(let object) = item.value else {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "\(place)expected a span object, found \(OTelSpanJSON.article(item.value.typeName)); skipped"
                        )
                    )
                    continue
                }
                do throws(OTelSpanJSON.Failure) {
                    let spanRecord = try self.record(from: object, at: location)
                    let key = spanRecord.traceID + "/" + spanRecord.spanID
                    if let earlier = printed[key], earlier.contains(object) { continue }
                    printed[key, default: []].append(object)
                    var span = OTelSpanMapper.span(from: spanRecord)
                    OTelSpanJSON.applyExceptionEvent(to: &span, statusCode: spanRecord.statusCode)
                    startEnd.check(&span, diagnostics: &result.diagnostics)
                    result.spans.append(span)
                } catch {
                    result.diagnostics.append(
                        Diagnostic(.error, at: location, "\(place)\(error.message); span skipped"))
                }
            }
        }
        OTelSpanMapper.liftLangfuseTraceAttributes(&result)
        return result
    }

    /// The OTel record of one printed span.
    func record(from object: JSONObject, at location: SourceLocation) throws(OTelSpanJSON.Failure) -> OTelSpanRecord {
        guard case .object(let context)? = object["context"] else {
            throw OTelSpanJSON.Failure(message: "missing required field \"context\"")
        }
        let traceID = try OTelSpanJSON.requiredHexID(context, "trace_id", field: "context.trace_id", bytes: 16)
        let spanID = try OTelSpanJSON.requiredHexID(context, "span_id", field: "context.span_id", bytes: 8)
        var parentID: String? = nil
        switch object["parent_id"] {
        case nil, .null?: break
        case .string(let s)?: parentID = TraceIdentifiers.normalize(s, byteCount: 8)
        case let other?: throw OTelSpanJSON.typeFailure("parent_id", "a string or null", other)
        }
        let name: String
        switch object["name"] {
        case .string(let s)?: name = s
        case nil, .null?: throw OTelSpanJSON.Failure(message: "missing required field \"name\"")
        case let other?: throw OTelSpanJSON.typeFailure("name", "a string", other)
        }
        var kind = "INTERNAL"
        switch object["kind"] {
        case nil, .null?: break
        case .string(let s)?:
            let bare = s.hasPrefix("SpanKind.") ? String(s.dropFirst("SpanKind.".count)) : s
            kind = bare.uppercased()
        case let other?: throw OTelSpanJSON.typeFailure("kind", "a string like SpanKind.INTERNAL", other)
        }
        let start = try OTelSpanJSON.isoTime(object["start_time"], field: "start_time")
        let end = try OTelSpanJSON.isoTime(object["end_time"], field: "end_time")
        let (statusCode, statusMessage) = try status(object["status"])
        let attributes = try OTelSpanJSON.attributes(object["attributes"], field: "attributes")
        let events = try OTelSpanJSON.events(object["events"])
        var links: [JSONValue] = []
        switch object["links"] {
        case nil, .null?: break
        case .array(let items)?: links = items
        case let other?: throw OTelSpanJSON.typeFailure("links", "an array", other)
        }
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
        case let other?: throw OTelSpanJSON.typeFailure("resource", "an object", other)
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

    private func status(_ value: JSONValue?) throws(OTelSpanJSON.Failure) -> (code: String, message: String?) {
        switch value {
        case nil, .null?: return ("UNSET", nil)
        case .object(let o)?:
            let message = o["description"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if case .string(let code)? = o["status_code"] {
                let bare = code.hasPrefix("StatusCode.") ? String(code.dropFirst("StatusCode.".count)) : code
                switch bare.uppercased() {
                case "OK": return ("OK", message)
                case "ERROR": return ("ERROR", message)
                default: return ("UNSET", message)
                }
            }
            // Very old SDKs: a gRPC-style canonical code, where anything but OK is a failure.
            if case .string(let code)? = o["canonical_code"] {
                let bare =
                    code.hasPrefix("StatusCanonicalCode.") ? String(code.dropFirst("StatusCanonicalCode.".count)) : code
                return bare.uppercased() == "OK" ? ("UNSET", message) : ("ERROR", message ?? bare.lowercased())
            }
            if case .number(let n)? = o["canonical_code"] {
                return n.text == "0" ? ("UNSET", message) : ("ERROR", message ?? "error code \(n.text)")
            }
            return ("UNSET", message)
        case let other?: throw OTelSpanJSON.typeFailure("status", "an object", other)
        }
    }
}

/// Reading helpers shared by the decoders of OpenTelemetry span JSON written by SDKs (Python
/// `to_json()`, any-agent, JS `ReadableSpan`).
enum OTelSpanJSON {
    /// Why a span record was rejected.
    struct Failure: Error, Sendable, Equatable {
        /// A lowercase clause naming the field and what was expected.
        var message: String
    }

    static func typeFailure(_ field: String, _ expected: String, _ found: JSONValue) -> Failure {
        Failure(message: "\"\(field)\" must be \(expected), found \(article(found.typeName))")
    }

    static func article(_ typeName: String) -> String {
        switch typeName {
        case "null": "null"
        case "array", "object": "an \(typeName)"
        default: "a \(typeName)"
        }
    }

    /// A required id written as a hex string (with or without `0x`), normalized.
    static func requiredHexID(_ object: JSONObject, _ key: String, field: String, bytes: Int) throws(Failure) -> String
    {
        switch object[key] {
        case .string(let s)?:
            guard let id = TraceIdentifiers.normalize(s, byteCount: bytes) else {
                throw Failure(message: "\"\(field)\" is empty or all zeros")
            }
            return id
        case nil, .null?: throw Failure(message: "missing required field \"\(field)\"")
        case let other?: throw typeFailure(field, "a hex string", other)
        }
    }

    /// A time written as ISO 8601 text, or `nil` when absent or null.
    static func isoTime(_ value: JSONValue?, field: String) throws(Failure) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?:
            guard let t = Timestamp.parseRFC3339(s) else {
                let short = s.count > 60 ? String(s.prefix(60)) + "…" : s
                throw Failure(message: "\"\(field)\" is not an ISO 8601 date-time: \"\(short)\"")
            }
            return t
        case let other?: throw typeFailure(field, "an ISO 8601 string", other)
        }
    }

    /// Attributes written as a plain JSON object.
    static func attributes(_ value: JSONValue?, field: String) throws(Failure) -> JSONObject {
        switch value {
        case nil, .null?: return JSONObject()
        case .object(let o)?: return o
        case let other?: throw typeFailure(field, "an object", other)
        }
    }

    /// Python SDK events: `[{"name", "timestamp": ISO, "attributes": {…}}]`.
    static func events(_ value: JSONValue?) throws(Failure) -> [SpanEvent] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            var events: [SpanEvent] = []
            for item in items {
                guard case .object(let o) = item else { throw typeFailure("events", "an array of objects", item) }
                var event = SpanEvent(name: o["name"]?.stringValue ?? "event")
                switch o["timestamp"] {
                case .number(let n)?: event.timeUnixNano = n.int64
                case let t?: event.timeUnixNano = try isoTime(t, field: "events.timestamp")
                case nil: break
                }
                event.attributes = try attributes(o["attributes"], field: "events.attributes")
                events.append(event)
            }
            return events
        case let other?: throw typeFailure("events", "an array", other)
        }
    }

    /// Fills the span's error from an `exception` event (type, message, stack trace) when the
    /// span's status is ERROR; fields the conventions already set are kept.
    static func applyExceptionEvent(to span: inout Span, statusCode: String) {
        guard statusCode == "ERROR" || span.error != nil else { return }
        guard let event = span.events.first(where: { $0.name == "exception" }) else { return }
        let type = event.attributes["exception.type"]?.stringValue
        let message = event.attributes["exception.message"]?.stringValue
        let stack = event.attributes["exception.stacktrace"]?.stringValue
        var error = span.error ?? SpanError(message: message ?? type ?? "error")
        if error.type == nil { error.type = type }
        if error.stack == nil { error.stack = stack }
        if error.message == "error", let message { error.message = message }
        span.error = error
    }
}
