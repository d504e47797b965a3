public import TraceJSON
public import TraceModel

/// Reads Jaeger JSON: the query service and UI download shape `{"data": [trace…]}`, a single
/// trace object `{traceID, spans, processes}`, bare span arrays whose spans carry an inline
/// `process`, and the api_v2 protobuf-JSON form `{"spans": […]}` with base64 ids, RFC 3339
/// start times and duration strings.
///
/// Each span becomes an ``OTelSpanRecord`` (tags as attributes, the process as the resource) and
/// goes through ``OTelSpanMapper``, so spans that carry GenAI or OpenInference tags get the same
/// semantic conventions as OTLP spans. The parent is the first `CHILD_OF` reference into the
/// same trace, else the first `FOLLOWS_FROM` one; references into other traces stay visible in
/// the span's metadata. Times are microseconds, converted with integer math.
///
/// Jaeger traces can repeat a span id. Identical copies are left to assembly, which merges them
/// with a warning; a copy with different fields is kept as a span of its own with the id
/// suffixed `_1`, `_2`… (as the Jaeger UI does) and a warning.
public struct JaegerDecoder: TraceFormatDecoder {
    public let formatName = "Jaeger JSON"
    public let formatID = "jaeger"
    public let shapeDescription = "{\"data\": [{traceID, spans, processes}]} or spans with traceID and spanID"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            if case .array(let data)? = o["data"] {
                guard let first = data.first else { return false }
                return Self.isTrace(first)
            }
            if Self.isTrace(value) { return true }
            if case .array(let spans)? = o["spans"] ?? o["result"]?["spans"] {
                guard let first = spans.first else { return false }
                return Self.isProtoSpan(first)
            }
            return Self.isSpan(value) || Self.isProtoSpan(value)
        case .array(let items):
            guard let first = items.first else { return false }
            return Self.isSpan(first) || Self.isProtoSpan(first)
        default:
            return false
        }
    }

    /// A trace object: `traceID` and a `spans` array.
    static func isTrace(_ value: JSONValue) -> Bool {
        value["traceID"]?.stringValue != nil && value["spans"]?.arrayValue != nil
    }

    /// A span of the JSON model: `traceID`, `spanID` and one of the span fields.
    static func isSpan(_ value: JSONValue) -> Bool {
        value["traceID"]?.stringValue != nil && value["spanID"]?.stringValue != nil
            && (value["operationName"] != nil || value["references"] != nil || value["startTime"] != nil)
    }

    /// A span of the api_v2 protobuf-JSON model: `traceId`, `spanId` and `operationName`.
    static func isProtoSpan(_ value: JSONValue) -> Bool {
        value["traceId"]?.stringValue != nil && value["spanId"]?.stringValue != nil
            && value["operationName"]?.stringValue != nil
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            var batch = Batch(location: location, formatName: formatName)
            switch record.value {
            case .object(let o):
                if case .array(let data)? = o["data"] {
                    for trace in data { batch.addTrace(trace) }
                } else if Self.isTrace(record.value) {
                    batch.addTrace(record.value)
                } else if case .array(let spans)? = o["spans"] ?? o["result"]?["spans"] {
                    let holder = o["spans"] != nil ? o : (o["result"]?.objectValue ?? o)
                    batch.addSpans(
                        spans, processes: Self.processMap(holder["processMap"]), traceWarnings: holder["warnings"])
                } else if Self.isSpan(record.value) || Self.isProtoSpan(record.value) {
                    batch.addSpans([record.value], processes: [:], traceWarnings: nil)
                } else {
                    batch.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "expected a Jaeger trace with \"traceID\" and \"spans\", or a span; record skipped")
                    )
                }
            case .array(let items):
                batch.addSpans(items, processes: [:], traceWarnings: nil)
            default:
                batch.diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected a Jaeger trace object or span array, found \(record.value.typeName); record skipped")
                )
            }
            result.spans.append(contentsOf: batch.spans)
            result.diagnostics.append(contentsOf: batch.diagnostics)
            result.runInfo.append(contentsOf: batch.runInfo)
        }
        return result
    }

    /// api_v2 `processMap: [{processId, process}]` as a dictionary.
    static func processMap(_ value: JSONValue?) -> [String: JSONObject] {
        var map: [String: JSONObject] = [:]
        guard case .array(let items)? = value else { return map }
        for item in items {
            if let id = item["processId"]?.stringValue ?? item["processID"]?.stringValue,
                let process = item["process"]?.objectValue
            {
                map[id] = process
            }
        }
        return map
    }
}
