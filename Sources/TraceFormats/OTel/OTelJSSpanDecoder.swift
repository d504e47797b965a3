public import TraceJSON
public import TraceModel

/// Reads OpenTelemetry JS span JSON files: `ReadableSpan` objects serialized with
/// `JSON.stringify`, one per value or in an array.
///
/// A span has `spanContext.{traceId,spanId}`, `parentSpanId` (SDK 1.x) or
/// `parentSpanContext.spanId` (SDK 2.x), `kind` as the JS enum number (0 INTERNAL, 1 SERVER,
/// 2 CLIENT, 3 PRODUCER, 4 CONSUMER), `startTime`/`endTime` as `[seconds, nanoseconds]`,
/// `status.{code,message}` (0 UNSET, 1 OK, 2 ERROR), flat `attributes`, and `events` with
/// `time` as `[seconds, nanoseconds]`.
public struct OTelJSSpanDecoder: TraceFormatDecoder {
    public let formatName = "OpenTelemetry JS span JSON"
    public let formatID = "otel-js"
    public let shapeDescription = "objects (or an array) with spanContext and startTime as [seconds, nanoseconds]"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        OTelSpanJSON.isSpanOrSpanList(value, looksLikeSpan: Self.looksLikeSpan)
    }

    static func looksLikeSpan(_ o: JSONObject) -> Bool {
        guard case .object(let context)? = o["spanContext"] ?? o["_spanContext"] else { return false }
        return context["traceId"] != nil
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        OTelSpanJSON.decodeSpanObjects(records, file: file, dropExactRepeats: false) {
            (object, location) throws(FieldError) in try self.record(from: object, at: location)
        }
    }

    /// The OTel record of one JS span.
    func record(from object: JSONObject, at location: SourceLocation) throws(FieldError) -> OTelSpanRecord {
        let (traceID, spanID) = try OTelSpanJSON.contextIDs(
            object["spanContext"] ?? object["_spanContext"], path: "spanContext", traceKey: "traceId", spanKey: "spanId"
        )
        var parentID = try FieldReader.string(object["parentSpanId"], field: "parentSpanId").flatMap {
            TraceIdentifiers.normalize($0, byteCount: 8)
        }
        if parentID == nil, case .object(let parent)? = object["parentSpanContext"],
            case .string(let s)? = parent["spanId"]
        {
            parentID = TraceIdentifiers.normalize(s, byteCount: 8)
        }
        let name = try FieldReader(object).requiredString("name")
        let kind: String
        switch object["kind"] {
        case nil, .null?: kind = "INTERNAL"
        case .number(let n)?:
            switch n.text {
            case "0": kind = "INTERNAL"
            case "1": kind = "SERVER"
            case "2": kind = "CLIENT"
            case "3": kind = "PRODUCER"
            case "4": kind = "CONSUMER"
            default: throw FieldError("\"kind\" must be 0 to 4, found \(n.text)")
            }
        case .string(let s)?: kind = s.uppercased()
        case let other?: throw FieldError.wrongType("kind", expected: "a number", found: other)
        }
        var statusCode = "UNSET"
        var statusMessage: String? = nil
        switch object["status"] {
        case nil, .null?: break
        case .object(let status)?:
            switch status["code"] {
            case .number(let n)?: statusCode = n.text == "1" ? "OK" : n.text == "2" ? "ERROR" : "UNSET"
            case .string(let s)?: statusCode = ["OK", "ERROR"].contains(s.uppercased()) ? s.uppercased() : "UNSET"
            default: break
            }
            statusMessage = status["message"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        case let other?: throw FieldError.wrongType("status", expected: "an object", found: other)
        }
        var events: [SpanEvent] = []
        for o in try FieldReader.objects(object["events"], field: "events") {
            events.append(
                SpanEvent(
                    name: o["name"]?.stringValue ?? "event",
                    timeUnixNano: try Self.hrTime(o["time"], field: "events.time"),
                    attributes: try FieldReader.object(o["attributes"], field: "events.attributes") ?? JSONObject()
                )
            )
        }
        var resource = JSONObject()
        if case .object(let r)? = object["resource"] {
            resource = (r["attributes"] ?? r["_attributes"])?.objectValue ?? JSONObject()
        }
        let scope = (object["instrumentationScope"] ?? object["instrumentationLibrary"])?["name"]?.stringValue
        return OTelSpanRecord(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            name: name,
            kind: kind,
            startTimeUnixNano: try Self.hrTime(object["startTime"], field: "startTime"),
            endTimeUnixNano: try Self.hrTime(object["endTime"], field: "endTime"),
            statusCode: statusCode,
            statusMessage: statusMessage,
            attributes: try FieldReader.object(object["attributes"], field: "attributes") ?? JSONObject(),
            events: events,
            links: object["links"]?.arrayValue ?? [],
            resource: resource,
            scopeName: scope,
            source: location,
            formatName: formatName
        )
    }

    /// A fractional nanosecond count rounded, or `nil` when it is not a small finite number.
    private static func wholeNanos(_ d: Double) -> Int64? {
        guard d.isFinite, d >= 0, d < 1e9 else { return nil }
        return Int64(d.rounded())
    }

    /// Nanoseconds since the epoch for a JS `HrTime` `[seconds, nanoseconds]`, computed on
    /// integers; `nil` when absent, null or `[0, 0]`.
    static func hrTime(_ value: JSONValue?, field: String) throws(FieldError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .array(let parts)?:
            guard parts.count == 2, case .number(let s) = parts[0], case .number(let ns) = parts[1],
                let seconds = s.isInteger ? Int64(s.text) : nil,
                let nanos = ns.isInteger ? Int64(ns.text) : Self.wholeNanos(ns.double)
            else {
                throw FieldError("\"\(field)\" must be [seconds, nanoseconds]")
            }
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            guard !overflow, nanos >= 0, nanos < 1_000_000_000 else {
                throw FieldError("\"\(field)\" is out of range")
            }
            let (t, sumOverflow) = whole.addingReportingOverflow(nanos)
            guard !sumOverflow else { throw FieldError("\"\(field)\" is out of range") }
            return t == 0 ? nil : t
        case let other?: throw FieldError.wrongType(field, expected: "[seconds, nanoseconds]", found: other)
        }
    }
}
