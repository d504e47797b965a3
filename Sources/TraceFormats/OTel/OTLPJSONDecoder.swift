public import TraceJSON
public import TraceModel

/// Reads OTLP JSON: the protobuf JSON form of `TracesData` / `ExportTraceServiceRequest`.
///
/// Accepts single documents, the collector file exporter's one request per line, Jaeger API v3
/// `{"result": …}` wrappers, arrays of requests and snake_case field names. Ids may be hex in
/// any case (with or without `0x`) or base64; times are nanoseconds as decimal strings or
/// numbers; `kind` and `status.code` may be numbers or enum names. Attribute values are
/// unwrapped from `AnyValue` into plain JSON and read through ``OTelSpanMapper``'s semantic
/// conventions.
///
/// Spans written with an empty or all-zero trace id cannot be linked to a run: they are grouped
/// into one run per file and resource (`file-<file>-resource-<hash of the resource attributes>`),
/// and spans with an empty span id get an id from their place in the file
/// (`span-<line>-<index>`), so each is a span of its own.
public struct OTLPJSONDecoder: TraceFormatDecoder {
    public let formatName = "OTLP JSON"
    public let formatID = "otlp"
    public let shapeDescription = "an object with resourceSpans (or result.resourceSpans)"
    /// Each record is decoded on its own: the spans of a record never depend on another.
    public var decodesRecordsAlone: Bool { true }

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            return Self.document(o) != nil
        case .array(let items):
            guard case .object(let o)? = items.first else { return false }
            return Self.document(o) != nil
        default:
            return false
        }
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        var nextIndexOnLine: [Int: Int] = [:]
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            var documents: [(value: JSONValue, place: String)] = []
            if case .array(let items) = record.value {
                documents = items.enumerated().map { ($0.element, "array element \($0.offset + 1): ") }
            } else {
                documents = [(record.value, "")]
            }
            for (value, place) in documents {
                guard case .object(let object) = value, let document = Self.document(object) else {
                    let found =
                        value.objectValue.map { _ in "an object without resourceSpans" }
                        ?? value.typeNameWithArticle
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "\(place)expected an object with resourceSpans, found \(found); skipped")
                    )
                    continue
                }
                var index = nextIndexOnLine[record.line] ?? 0
                decodeDocument(document, file: file, location: location, place: place, spanIndex: &index, into: &result)
                nextIndexOnLine[record.line] = index
            }
        }
        OTelSpanMapper.liftLangfuseTraceAttributes(&result)
        return result
    }

    /// The object holding `resourceSpans`: the value itself or its `result` member.
    static func document(_ o: JSONObject) -> JSONObject? {
        if o["resourceSpans"] != nil || o["resource_spans"] != nil { return o }
        if case .object(let r)? = o["result"], r["resourceSpans"] != nil || r["resource_spans"] != nil { return r }
        return nil
    }

    private func decodeDocument(
        _ document: JSONObject, file: String, location: SourceLocation, place: String, spanIndex: inout Int,
        into result: inout DecodedTrace
    ) {
        func error(_ message: String) {
            result.diagnostics.append(Diagnostic(.error, at: location, place + message))
        }
        let resourceSpans = document["resourceSpans"] ?? document["resource_spans"] ?? .null
        guard case .array(let resources) = resourceSpans else {
            if !resourceSpans.isNull {
                error(
                    "\"resourceSpans\" must be an array, found \(resourceSpans.typeNameWithArticle); skipped"
                )
            }
            return
        }
        for (r, resourceValue) in resources.enumerated() {
            guard case .object(let resourceSpan) = resourceValue else {
                error(
                    "\"resourceSpans[\(r)]\" must be an object, found \(resourceValue.typeNameWithArticle); skipped"
                )
                continue
            }
            let resource = OTelAttributes.keyValues(resourceSpan["resource"]?["attributes"])
            let scopesValue =
                resourceSpan["scopeSpans"] ?? resourceSpan["scope_spans"] ?? resourceSpan["instrumentationLibrarySpans"]
                ?? resourceSpan["instrumentation_library_spans"] ?? .null
            guard case .array(let scopes) = scopesValue else {
                if !scopesValue.isNull {
                    error(
                        "\"resourceSpans[\(r)].scopeSpans\" must be an array, found \(scopesValue.typeNameWithArticle); skipped"
                    )
                }
                continue
            }
            for (s, scopeValue) in scopes.enumerated() {
                guard case .object(let scopeSpan) = scopeValue else {
                    error(
                        "\"resourceSpans[\(r)].scopeSpans[\(s)]\" must be an object, found \(scopeValue.typeNameWithArticle); skipped"
                    )
                    continue
                }
                let scope =
                    scopeSpan["scope"] ?? scopeSpan["instrumentationLibrary"] ?? scopeSpan["instrumentation_library"]
                let scopeName = OTelAttributes.text(scope?["name"])
                let scopeVersion = OTelAttributes.text(scope?["version"])
                let spansValue = scopeSpan["spans"] ?? .null
                guard case .array(let spans) = spansValue else {
                    if !spansValue.isNull {
                        error(
                            "\"resourceSpans[\(r)].scopeSpans[\(s)].spans\" must be an array, found \(spansValue.typeNameWithArticle); skipped"
                        )
                    }
                    continue
                }
                for (k, spanValue) in spans.enumerated() {
                    let index = spanIndex
                    spanIndex += 1
                    let context = OTelDecoding.Context(
                        file: file,
                        syntheticSpanID: "span-\(location.line)-\(index)",
                        resource: resource,
                        scopeName: scopeName,
                        scopeVersion: scopeVersion,
                        location: location,
                        formatName: formatName
                    )
                    do throws(FieldError) {
                        result.spans.append(try OTelDecoding.span(spanValue, context: context))
                    } catch {
                        result.diagnostics.append(
                            error.diagnostic(
                                at: location, place: "\(place)resourceSpans[\(r)].scopeSpans[\(s)].spans[\(k)]: ",
                                outcome: "; span skipped"))
                    }
                }
            }
        }
    }
}

/// Reading one OTLP JSON span.
enum OTelDecoding {
    /// What a span needs from the document around it.
    struct Context {
        /// The file as named on the command line.
        var file: String
        var syntheticSpanID: String
        var resource: JSONObject
        var scopeName: String?
        var scopeVersion: String?
        var location: SourceLocation
        var formatName: String
    }

    static let kindNames = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"]
    static let statusNames = ["UNSET", "OK", "ERROR"]

    /// The normalized span for one OTLP span object.
    static func span(_ value: JSONValue, context: Context) throws(FieldError) -> Span {
        guard case .object(let s) = value else {
            throw FieldError.notAnObject("a span object", found: value)
        }
        let traceID = try id(s["traceId"] ?? s["trace_id"], bytes: 16, field: "traceId")
        let spanID = try id(s["spanId"] ?? s["span_id"], bytes: 8, field: "spanId")
        let parentID = try id(s["parentSpanId"] ?? s["parent_span_id"], bytes: 8, field: "parentSpanId")
        let name = try FieldReader.string(s["name"], field: "name") ?? ""
        let start = try time(s["startTimeUnixNano"] ?? s["start_time_unix_nano"], field: "startTimeUnixNano")
        let end = try time(s["endTimeUnixNano"] ?? s["end_time_unix_nano"], field: "endTimeUnixNano")
        var statusCode = "UNSET"
        var statusMessage: String? = nil
        switch s["status"] {
        case nil, .null?: break
        case .object(let status)?:
            statusCode = enumName(status["code"], names: statusNames, prefix: "STATUS_CODE_") ?? "UNSET"
            statusMessage = OTelAttributes.text(status["message"])
        case let other?: throw FieldError.wrongType("status", expected: "an object", found: other)
        }
        var events: [SpanEvent] = []
        for e in try FieldReader.objects(s["events"], field: "events") {
            var event = SpanEvent(name: OTelAttributes.text(e["name"]) ?? "event")
            event.timeUnixNano = try time(e["timeUnixNano"] ?? e["time_unix_nano"], field: "events.timeUnixNano")
            event.attributes = OTelAttributes.keyValues(e["attributes"])
            events.append(event)
        }
        var links: [JSONValue] = []
        if case .array(let items)? = s["links"] {
            for item in items {
                guard case .object(let l) = item else { continue }
                var members: [(key: String, value: JSONValue)] = []
                if let t = try? id(l["traceId"] ?? l["trace_id"], bytes: 16, field: "links.traceId") {
                    members.append(("traceId", .string(t)))
                }
                if let p = try? id(l["spanId"] ?? l["span_id"], bytes: 8, field: "links.spanId") {
                    members.append(("spanId", .string(p)))
                }
                if let state = OTelAttributes.text(l["traceState"] ?? l["trace_state"]) {
                    members.append(("traceState", .string(state)))
                }
                let attributes = OTelAttributes.keyValues(l["attributes"])
                if !attributes.isEmpty { members.append(("attributes", .object(attributes))) }
                if !members.isEmpty { links.append(.object(JSONObject(members))) }
            }
        }

        let record = OTelSpanRecord(
            // Id-less spans of one file and resource form one run, named by the file's base name
            // only: a run id is shown in the report, which must not carry local paths.
            traceID: traceID
                ?? "file-\(SourceLocation.baseName(of: context.file))-resource-\(fingerprint(context.resource))",
            spanID: spanID ?? context.syntheticSpanID,
            parentSpanID: parentID,
            name: name,
            kind: enumName(s["kind"], names: kindNames, prefix: "SPAN_KIND_") ?? "UNSPECIFIED",
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            statusCode: statusCode,
            statusMessage: statusMessage,
            attributes: OTelAttributes.keyValues(s["attributes"]),
            events: events,
            links: links,
            resource: context.resource,
            scopeName: context.scopeName,
            source: context.location,
            formatName: context.formatName
        )
        var span = OTelSpanMapper.span(from: record)
        applyException(to: &span)

        // Where the span came from, shown with its metadata.
        var extra: [(key: String, value: JSONValue)] = []
        if let service = context.resource["service.name"] { extra.append(("service.name", service)) }
        let resourceRest = JSONObject(context.resource.members.filter { $0.key != "service.name" })
        if !resourceRest.isEmpty { extra.append(("resource", .object(resourceRest))) }
        if let scope = context.scopeName { extra.append(("otel.scope.name", .string(scope))) }
        if let version = context.scopeVersion { extra.append(("otel.scope.version", .string(version))) }
        if let state = OTelAttributes.text(s["traceState"] ?? s["trace_state"]) {
            extra.append(("otel.trace_state", .string(state)))
        }
        for (key, field) in [
            ("droppedAttributesCount", "otel.dropped_attributes_count"),
            ("droppedEventsCount", "otel.dropped_events_count"),
            ("droppedLinksCount", "otel.dropped_links_count"),
        ] {
            if let n = OTelAttributes.int(s[key]), n > 0 { extra.append((field, .number(JSONNumber(text: String(n))))) }
        }
        if !links.isEmpty { extra.append(("links", .array(links))) }
        for member in extra where span.metadata[member.key] == nil { span.metadata.members.append(member) }
        return span
    }

    /// Fills the span's error from its last `exception` event: the event marks the span as
    /// failed even when the status was left unset. Fields already set are kept.
    static func applyException(to span: inout Span) {
        guard let event = span.events.last(where: { $0.name == "exception" }) else { return }
        let type = OTelAttributes.text(event.attributes["exception.type"])
        let message = OTelAttributes.text(event.attributes["exception.message"])
        let stack = OTelAttributes.text(event.attributes["exception.stacktrace"])
        var error = span.error ?? SpanError(message: message ?? type ?? "exception")
        if error.type == nil { error.type = type }
        if error.stack == nil { error.stack = stack }
        if error.message == "error", let message { error.message = message }
        span.error = error
    }

    /// A normalized id; `nil` for absent, empty or all-zero ids. Base64 is recognized by its
    /// length for the id's size (24 or 22 characters for trace ids, 12 or 11 for span ids).
    static func id(_ value: JSONValue?, bytes: Int, field: String) throws(FieldError) -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            let trimmed = text.trimmingSpaces()
            let base64Length = (bytes * 4 + 2) / 3
            if trimmed.count != bytes * 2, trimmed.count == base64Length || trimmed.count == (bytes + 2) / 3 * 4,
                let decoded = TraceIdentifiers.base64Decode(trimmed), decoded.count == bytes
            {
                return decoded.allSatisfy({ $0 == 0 }) ? nil : TraceIdentifiers.hex(decoded)
            }
            return TraceIdentifiers.normalize(trimmed, byteCount: bytes)
        case .number(let n)?:
            guard n.isInteger else { throw FieldError("\"\(field)\" must be a hex string, found \(n.text)") }
            return TraceIdentifiers.hex(decimal: n.text, byteCount: bytes)
        case let other?:
            throw FieldError.wrongType(field, expected: "a hex string", found: other)
        }
    }

    /// Nanoseconds since the epoch from a decimal string or number; `nil` for absent or zero.
    static func time(_ value: JSONValue?, field: String) throws(FieldError) -> Int64? {
        let text: String
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: text = s.trimmingSpaces()
        case .number(let n)?: text = n.text
        case let other?: throw FieldError.wrongType(field, expected: "nanoseconds as a string or number", found: other)
        }
        if text.isEmpty { return nil }
        if let v = Int64(text) {
            guard v >= 0 else { throw FieldError("\"\(field)\" is negative: \(text)") }
            return v == 0 ? nil : v
        }
        if UInt64(text) != nil { throw FieldError("\"\(field)\" is out of range: \(text)") }
        if let d = Double(text), d.isFinite, d >= 0, d < 9.2e18, text.utf8.allSatisfy({ $0 != UInt8(ascii: " ") }) {
            return d == 0 ? nil : Int64(d)
        }
        if let t = Timestamp.parseRFC3339(text) { return t }
        throw FieldError("\"\(field)\" must be nanoseconds since the epoch, found \"\(text.prefix(40))\"")
    }

    /// An enum written as its number or its name (with or without the proto prefix), as the
    /// upper-case name without prefix.
    static func enumName(_ value: JSONValue?, names: [String], prefix: String) -> String? {
        switch value {
        case .number(let n)?:
            guard let i = Int(n.text), names.indices.contains(i) else { return names[0] }
            return names[i]
        case .string(let s)?:
            var t = s.trimmingSpaces().uppercased()
            if t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
            if t.hasPrefix("SPANKIND.") { t.removeFirst("SPANKIND.".count) }
            if let i = Int(t) { return names.indices.contains(i) ? names[i] : names[0] }
            return t.isEmpty ? names[0] : t
        default:
            return nil
        }
    }

    /// A short, stable hex fingerprint of a resource's attributes.
    static func fingerprint(_ attributes: JSONObject) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in JSONWriter.bytes(.object(attributes), pretty: false) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

}
