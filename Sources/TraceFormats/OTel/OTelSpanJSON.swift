import TraceJSON
import TraceModel

/// Reading helpers shared by the decoders of OpenTelemetry span JSON written by SDKs (Python
/// `to_json()`, any-agent, JS `ReadableSpan`).
enum OTelSpanJSON {
    /// Why a span record was rejected.
    struct Failure: Error, Sendable, Equatable {
        /// A lowercase clause naming the field and what was expected.
        var message: String
    }

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

    static func typeFailure(_ field: String, _ expected: String, _ found: JSONValue) -> Failure {
        Failure(message: "\"\(field)\" must be \(expected), found \(found.typeNameWithArticle)")
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

    /// The span objects of `records` (each record one span object or an array of them), read by
    /// `record` into spans. A value that is not an object, or that `record` rejects, is reported at
    /// its line (with its place in an array) and skipped; nothing else is lost. With
    /// `dropExactRepeats`, a span printed again with exactly the same content is kept once.
    static func decodeSpanObjects(
        _ records: [JSONRecord], file: String, dropExactRepeats: Bool,
        record: (JSONObject, SourceLocation) throws(Failure) -> OTelSpanRecord
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
                do throws(Failure) {
                    guard case .object(let object) = value.value else {
                        throw Failure(message: "expected a span object, found \(value.value.typeNameWithArticle)")
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
                        Diagnostic(.error, at: location, "\(place)\(error.message); span skipped"))
                }
            }
        }
        OTelSpanMapper.liftLangfuseTraceAttributes(&result)
        return result
    }

    /// The required `name` of a span object.
    static func requiredName(_ object: JSONObject) throws(Failure) -> String {
        switch object["name"] {
        case .string(let s)?: return s
        case nil, .null?: throw Failure(message: "missing required field \"name\"")
        case let other?: throw typeFailure("name", "a string", other)
        }
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
