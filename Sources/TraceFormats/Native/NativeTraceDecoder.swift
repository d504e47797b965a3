public import TraceJSON
public import TraceModel

/// Reads trace-report's own format: one JSON object per line, one span each.
///
/// See `docs/trace-format.md`. A record that is not an object, or whose identity or times are
/// missing or of the wrong type (`trace_id`, `span_id`, `parent_id`, `name`, `start_time`,
/// `end_time`), becomes an error diagnostic naming the file and line, and is skipped. Any other
/// field of the wrong type loses only that field: the span is kept, the raw value is kept in
/// ``Span/droppedFields``, and a warning names the field.
public struct NativeTraceDecoder: TraceFormatDecoder {
    public let formatName = "trace-report JSONL"
    public let formatID = "native"
    public let shapeDescription = "objects with trace_id, span_id, name and start_time, one per line"
    /// Each record is decoded on its own: the spans of a record never depend on another.
    public var decodesRecordsAlone: Bool { true }

    public func matches(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value else { return false }
        return (o["trace_id"] != nil || o["span_id"] != nil) && o["root_span_id"] == nil && o["span_parents"] == nil
            && o["object"] == nil
    }

    /// Whether `value` has every field a native span requires (`trace_id`, `span_id`, `name`,
    /// `start_time`): such a record is native whatever other keys it carries, even keys another
    /// format is known by (`root_span_id`, `object`, `version`).
    public static func isSpan(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value else { return false }
        return o["trace_id"] != nil && o["span_id"] != nil && o["name"] != nil && o["start_time"] != nil
    }

    /// Creates a decoder.
    public init() {}

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        result.spans.reserveCapacity(records.count)
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            switch decodeSpan(record.value, at: location) {
            case .success(let span):
                for dropped in span.droppedFields {
                    result.diagnostics.append(
                        Diagnostic(
                            .warning,
                            at: location,
                            "field \"\(dropped.field)\" of span \"\(span.spanID)\" dropped, the span is kept: \(dropped.reason): \(FieldError.shortJSON(dropped.rawValue))",
                            effect: .droppedField
                        )
                    )
                }
                result.spans.append(span)
            case .failure(let failure): result.diagnostics.append(failure.diagnostic(at: location))
            }
        }
        return result
    }

    /// The top-level fields the format defines; any other field is kept in the span's metadata.
    static let knownFields: Set<String> = [
        "trace_id", "span_id", "parent_id", "name", "kind", "start_time", "end_time", "input", "output", "error",
        "model", "usage", "scores", "labels", "metadata", "events",
    ]

    /// Decodes one record.
    public func decodeSpan(_ value: JSONValue, at location: SourceLocation) -> Result<Span, FieldError> {
        do {
            return .success(try span(from: value, at: location))
        } catch {
            return .failure(error)
        }
    }

    private func span(from value: JSONValue, at location: SourceLocation) throws(FieldError) -> Span {
        guard case .object(let object) = value else {
            throw FieldError.notAnObject("a JSON object with one span", found: value)
        }
        let fields = FieldReader(object)
        let traceID = try fields.requiredNonEmptyString("trace_id")
        let spanID = try fields.requiredNonEmptyString("span_id")
        var parentID: String? = nil
        switch object["parent_id"] {
        case nil, .null?: break
        case .string(let s)?: parentID = s.isEmpty ? nil : s
        case let other?: throw FieldError.wrongType("parent_id", expected: "a string or null", found: other)
        }
        guard let nameValue = object["name"] else { throw FieldError.missing("name") }
        guard case .string(let name) = nameValue else {
            throw FieldError.wrongType("name", expected: "a string", found: nameValue)
        }

        var dropped: [DroppedField] = []
        /// Runs `body`; a failure drops the field it names instead of the record.
        func optional<T>(_ field: String, _ fallback: T, _ body: () throws(FieldError) -> T) -> T {
            do {
                return try body()
            } catch {
                dropped.append(
                    DroppedField(
                        field: error.field ?? field, rawValue: error.found ?? object[field] ?? .null,
                        reason: error.reason ?? error.message)
                )
                return fallback
            }
        }
        let kindName = optional("kind", "span") { () throws(FieldError) in try fields.string("kind") ?? "span" }
        guard let startValue = fields.value("start_time") else { throw FieldError.missing("start_time") }
        let start = try time(startValue, field: "start_time")
        var end: Int64? = nil
        if let endValue = object["end_time"], !endValue.isNull {
            end = try time(endValue, field: "end_time")
        }

        var span = Span(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            name: name,
            kind: SpanKind(name: kindName),
            kindName: kindName,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            source: location,
            sourceFormat: formatName
        )
        if let input = object["input"], !input.isNull { span.input = input }
        if let output = object["output"], !output.isNull { span.output = output }
        span.error = optional("error", nil) { () throws(FieldError) in try error(object["error"]) }
        span.model = optional("model", nil) { () throws(FieldError) in try fields.string("model") }
        var fieldFailures: [FieldError] = []
        span.usage = optional("usage", Usage()) { () throws(FieldError) in
            try usage(object["usage"], failures: &fieldFailures)
        }
        span.scores = optional("scores", []) { () throws(FieldError) in
            try scores(object["scores"], failures: &fieldFailures)
        }
        for failure in fieldFailures {
            dropped.append(
                DroppedField(
                    field: failure.field ?? "", rawValue: failure.found ?? .null,
                    reason: failure.reason ?? failure.message))
        }
        span.labels = optional("labels", []) { () throws(FieldError) in try labels(object["labels"]) }
        span.metadata = optional("metadata", JSONObject()) { () throws(FieldError) in
            try fields.object("metadata") ?? JSONObject()
        }
        var present = Set(span.metadata.members.map { IDKey($0.key) })
        for member in object.members where !Self.knownFields.contains(member.key) {
            if present.insert(IDKey(member.key)).inserted { span.metadata.members.append(member) }
        }
        span.events = optional("events", []) { () throws(FieldError) in try events(object["events"]) }
        span.droppedFields = dropped
        return span
    }

    private func time(_ value: JSONValue, field: String) throws(FieldError) -> Int64 {
        switch value {
        case .string(let s): return try FieldReader.dateTime(s, field: field, standard: "RFC 3339")
        case .number(let n): return try FieldReader.unixSeconds(n, field: field)
        default: throw FieldError.wrongType(field, expected: "an RFC 3339 string or Unix seconds", found: value)
        }
    }

    private func error(_ value: JSONValue?) throws(FieldError) -> SpanError? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return SpanError(message: s)
        case .object(let o)?:
            // A field that is not a string (a code, a nested object) is kept as its JSON text.
            func text(_ key: String) -> String? {
                switch o[key] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                case let other?: return JSONWriter.write(other, pretty: false)
                }
            }
            let type = text("type")
            let message = text("message") ?? type ?? (o.isEmpty ? "error" : JSONWriter.write(.object(o), pretty: false))
            return SpanError(type: type, message: message, stack: text("stack"))
        case let other?: throw FieldError.wrongType("error", expected: "a string or an object", found: other)
        }
    }

    /// The usage object; a member of the wrong type is left out and added to `failures`.
    private func usage(_ value: JSONValue?, failures: inout [FieldError]) throws(FieldError) -> Usage {
        switch value {
        case nil, .null?: return Usage()
        case .object(let o)?:
            func int(_ key: String) -> Int64? {
                switch o[key] {
                case nil, .null?: return nil
                case .number(let n)?:
                    guard let v = n.int64, v >= 0 else {
                        var failure = FieldError(
                            field: "usage.\(key)", "must be a whole number of tokens", found: .number(n))
                        failure.message += ", found \(n.text)"
                        failures.append(failure)
                        return nil
                    }
                    return v
                case let other?:
                    failures.append(FieldError.wrongType("usage.\(key)", expected: "a number", found: other))
                    return nil
                }
            }
            var usage = Usage()
            usage.inputTokens = int("input_tokens")
            usage.outputTokens = int("output_tokens")
            usage.totalTokens = int("total_tokens")
            switch o["cost"] {
            case nil, .null?: break
            case .number(let n)?: usage.cost = n.double
            case let other?: failures.append(FieldError.wrongType("usage.cost", expected: "a number", found: other))
            }
            return usage
        case let other?: throw FieldError.wrongType("usage", expected: "an object", found: other)
        }
    }

    /// The scores object; a score of the wrong type is left out and added to `failures`.
    private func scores(_ value: JSONValue?, failures: inout [FieldError]) throws(FieldError) -> [Score] {
        switch value {
        case nil, .null?: return []
        case .object(let o)?:
            var scores: [Score] = []
            for member in o.members {
                switch member.value {
                case .null: continue
                case .number(let n): scores.append(Score(name: member.key, value: n.double, text: n.text))
                case .bool(let b): scores.append(Score(name: member.key, value: b ? 1 : 0, text: b ? "1" : "0"))
                default:
                    failures.append(
                        FieldError.wrongType("scores.\(member.key)", expected: "a number", found: member.value))
                }
            }
            return scores
        case let other?: throw FieldError.wrongType("scores", expected: "an object of numbers", found: other)
        }
    }

    private func labels(_ value: JSONValue?) throws(FieldError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            var labels: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    throw FieldError.wrongType("labels", expected: "an array of strings", found: item)
                }
                labels.append(s)
            }
            return labels
        case let other?: throw FieldError.wrongType("labels", expected: "an array of strings", found: other)
        }
    }

    private func events(_ value: JSONValue?) throws(FieldError) -> [SpanEvent] {
        var events: [SpanEvent] = []
        for o in try FieldReader.objects(value, field: "events") {
            var event = SpanEvent(name: o["name"]?.stringValue ?? "event")
            if let t = o["time"] ?? o["timestamp"], !t.isNull {
                // A bad time drops the whole `events` field, so the error names no single field.
                do { event.timeUnixNano = try time(t, field: "events.time") } catch { throw FieldError(error.message) }
            }
            event.attributes = try FieldReader.object(o["attributes"], field: "events.attributes") ?? event.attributes
            events.append(event)
        }
        return events
    }

}
