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

    // MARK: - Times

    /// Nanoseconds for a decimal number `text` in units of `10^scale` nanoseconds (3 for
    /// microseconds, 9 for seconds), with integer math on the text; exponent forms fall back to
    /// `Double`. `nil` for text that is not a number or overflows.
    static func nanos(decimal text: String, scale: Int) -> Int64? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, scale >= 0, scale <= 12 else { return nil }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        if utf8.contains(where: { $0 == 0x65 || $0 == 0x45 }) {
            guard let d = Double(text), d.isFinite else { return nil }
            let v = d * Double(multiplier)
            guard abs(v) < 9.2e18 else { return nil }
            return Int64(v.rounded())
        }
        var i = 0
        var negative = false
        if utf8[0] == 0x2D {
            negative = true
            i = 1
        } else if utf8[0] == 0x2B {
            i = 1
        }
        var whole: Int64 = 0
        var sawDigit = false
        while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(utf8[i] - 0x30))
            guard !o1, !o2 else { return nil }
            whole = a
            sawDigit = true
            i += 1
        }
        var fraction: Int64 = 0
        if i < utf8.count, utf8[i] == 0x2E {
            i += 1
            let digits: Int
            (fraction, digits) = Timestamp.fractionDigits(utf8, at: &i, scale: scale)
            if digits > 0 { sawDigit = true }
        }
        guard sawDigit, i == utf8.count else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        let value = scaled + fraction
        return negative ? -value : value
    }

    /// `start` plus a duration (negative durations count as zero); `nil` on overflow.
    static func end(start: Int64, duration: Int64) -> Int64? {
        let (sum, overflow) = start.addingReportingOverflow(max(0, duration))
        return overflow ? nil : sum
    }

    /// Nanoseconds for a protobuf-JSON or Go duration string: `"5000ns"`, `"0.000005s"`,
    /// `"1.5ms"`, `"3us"`; `nil` if the text is not one.
    static func nanos(duration text: String) -> Int64? {
        let units: [(suffix: String, scale: Int)] = [("ns", 0), ("us", 3), ("µs", 3), ("ms", 6), ("s", 9)]
        for unit in units where text.hasSuffix(unit.suffix) {
            return nanos(decimal: String(text.dropLast(unit.suffix.count)), scale: unit.scale)
        }
        return nil
    }
}
