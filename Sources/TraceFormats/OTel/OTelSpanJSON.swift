import TraceJSON
import TraceModel

/// Reading helpers shared by the decoders of OpenTelemetry span JSON written by SDKs (Python
/// `to_json()`, any-agent, JS `ReadableSpan`).
enum OTelSpanJSON {
    /// Whether `value` is a span object, or an array whose first value is one.
    static func isSpanOrSpanList(_ value: JSONValue, looksLikeSpan: (JSONObject) -> Bool) -> Bool {
        switch value {
        case .object(let o): return looksLikeSpan(o)
        case .array(let items):
            guard case .object(let o)? = items.first else { return false }
            return looksLikeSpan(o)
        default: return false
        }
    }

    /// The trace and span ids of a span context object found under `path` (`context`,
    /// `spanContext`): hex strings (with or without `0x`), normalized, both required.
    static func contextIDs(
        _ value: JSONValue?, path: String, traceKey: String, spanKey: String
    ) throws(FieldError) -> (traceID: String, spanID: String) {
        guard case .object(let context)? = value else { throw FieldError.missing(path) }
        let traceID = try FieldReader.requiredID(
            context[traceKey], field: "\(path).\(traceKey)", byteCount: 16, expected: "a hex string")
        let spanID = try FieldReader.requiredID(
            context[spanKey], field: "\(path).\(spanKey)", byteCount: 8, expected: "a hex string")
        return (traceID, spanID)
    }

    /// Python SDK events: `[{"name", "timestamp": ISO, "attributes": {…}}]`.
    static func events(_ value: JSONValue?) throws(FieldError) -> [SpanEvent] {
        var events: [SpanEvent] = []
        for o in try FieldReader.objects(value, field: "events") {
            var event = SpanEvent(name: o["name"]?.stringValue ?? "event")
            switch o["timestamp"] {
            case .number(let n)?: event.timeUnixNano = n.int64
            case let t?: event.timeUnixNano = try FieldReader.dateTime(t, field: "events.timestamp")
            case nil: break
            }
            event.attributes = try FieldReader.object(o["attributes"], field: "events.attributes") ?? JSONObject()
            events.append(event)
        }
        return events
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

    /// The span objects of `records` (each record one span object or an array of them), read by
    /// `record` into spans. A value that is not an object, or that `record` rejects, is reported at
    /// its line (with its place in an array) and skipped; nothing else is lost. With
    /// `dropExactRepeats`, a span printed again with exactly the same content is kept once.
    static func decodeSpanObjects(
        _ records: [JSONRecord], file: String, dropExactRepeats: Bool,
        record: (JSONObject, SourceLocation) throws(FieldError) -> OTelSpanRecord
    ) -> DecodedTrace {
        var result = DecodedTrace()
        var startEnd = StartEndRecords()
        var printed: [String: [JSONObject]] = [:]
        for item in records {
            let location = SourceLocation(file: file, line: item.line)
            let values: [(value: JSONValue, index: Int?)]
            if case .array(let elements) = item.value {
                values = elements.enumerated().map { ($0.element, $0.offset) }
            } else {
                values = [(item.value, nil)]
            }
            for value in values {
                let place = value.index.map { "array element \($0 + 1): " } ?? ""
                do throws(FieldError) {
                    guard case .object(let object) = value.value else {
                        throw FieldError.notAnObject("a span object", found: value.value)
                    }
                    let spanRecord = try record(object, location)
                    if dropExactRepeats {
                        let key = spanRecord.traceID + "/" + spanRecord.spanID
                        if let earlier = printed[key], earlier.contains(object) { continue }
                        printed[key, default: []].append(object)
                    }
                    var span = OTelSpanMapper.span(from: spanRecord)
                    applyExceptionEvent(to: &span, statusCode: spanRecord.statusCode)
                    startEnd.check(&span, diagnostics: &result.diagnostics)
                    result.spans.append(span)
                } catch {
                    result.diagnostics.append(
                        error.diagnostic(at: location, place: place, outcome: "; span skipped"))
                }
            }
        }
        OTelSpanMapper.liftLangfuseTraceAttributes(&result)
        return result
    }

    /// `text` without `prefix` (as Python enums print it: `SpanKind.CLIENT`), upper-cased.
    static func bareEnumName(_ text: String, prefix: String) -> String {
        let upper = text.uppercased()
        let upperPrefix = prefix.uppercased()
        return upper.hasPrefix(upperPrefix) ? String(upper.dropFirst(upperPrefix.count)) : upper
    }

    /// A Python SDK `status_code` (`OK`, `StatusCode.ERROR`, …) as OK, ERROR or UNSET.
    static func pythonStatusCode(_ code: String) -> String {
        switch bareEnumName(code, prefix: "StatusCode.") {
        case "OK": "OK"
        case "ERROR": "ERROR"
        default: "UNSET"
        }
    }
}
