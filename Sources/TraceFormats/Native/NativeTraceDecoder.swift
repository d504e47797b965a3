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
                            "field \"\(dropped.field)\" of span \"\(span.spanID)\" dropped, the span is kept: \(dropped.reason): \(Self.shortJSON(dropped.rawValue))",
                            effect: .droppedField
                        )
                    )
                }
                result.spans.append(span)
            case .failure(let failure): result.diagnostics.append(Diagnostic(.error, at: location, failure.message))
            }
        }
        return result
    }

    /// Why a record was rejected.
    public struct Failure: Error, Sendable, Equatable {
        /// A lowercase clause naming the field and what was expected.
        public var message: String
        /// The field's path, when one field is at fault.
        public var field: String? = nil
        /// The value found, when one field is at fault.
        public var value: JSONValue? = nil
        /// What was wrong with the value, without the field's name.
        public var reason: String? = nil
    }

    /// The top-level fields the format defines; any other field is kept in the span's metadata.
    static let knownFields: Set<String> = [
        "trace_id", "span_id", "parent_id", "name", "kind", "start_time", "end_time", "input", "output", "error",
        "model", "usage", "scores", "labels", "metadata", "events",
    ]

    /// Decodes one record.
    public func decodeSpan(_ value: JSONValue, at location: SourceLocation) -> Result<Span, Failure> {
        do {
            return .success(try span(from: value, at: location))
        } catch {
            return .failure(error)
        }
    }

    private func span(from value: JSONValue, at location: SourceLocation) throws(Failure) -> Span {
        guard case .object(let object) = value else {
            throw Failure(message: "expected a JSON object with one span, found \(value.typeNameWithArticle)")
        }
        let traceID = try requiredID(object, "trace_id")
        let spanID = try requiredID(object, "span_id")
        var parentID: String? = nil
        switch object["parent_id"] {
        case nil, .null?: break
        case .string(let s)?: parentID = s.isEmpty ? nil : s
        case let other?: throw typeFailure("parent_id", "a string or null", other)
        }
        guard let nameValue = object["name"] else { throw Failure(message: "missing required field \"name\"") }
        guard case .string(let name) = nameValue else { throw typeFailure("name", "a string", nameValue) }

        var dropped: [DroppedField] = []
        /// Runs `body`; a failure drops the field it names instead of the record.
        func optional<T>(_ field: String, _ fallback: T, _ body: () throws(Failure) -> T) -> T {
            do {
                return try body()
            } catch {
                dropped.append(
                    DroppedField(
                        field: error.field ?? field, rawValue: error.value ?? object[field] ?? .null,
                        reason: error.reason ?? error.message)
                )
                return fallback
            }
        }
        let kindName = optional("kind", "span") { () throws(Failure) -> String in
            switch object["kind"] {
            case nil, .null?: return "span"
            case .string(let s)?: return s
            case let other?: throw typeFailure("kind", "a string", other)
            }
        }
        guard let startValue = object["start_time"], !startValue.isNull else {
            throw Failure(message: "missing required field \"start_time\"")
        }
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
        span.error = optional("error", nil) { () throws(Failure) in try error(object["error"]) }
        span.model = optional("model", nil) { () throws(Failure) -> String? in
            switch object["model"] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?: throw typeFailure("model", "a string", other)
            }
        }
        var fieldFailures: [Failure] = []
        span.usage = optional("usage", Usage()) { () throws(Failure) in
            try usage(object["usage"], failures: &fieldFailures)
        }
        span.scores = optional("scores", []) { () throws(Failure) in
            try scores(object["scores"], failures: &fieldFailures)
        }
        for failure in fieldFailures {
            dropped.append(
                DroppedField(
                    field: failure.field ?? "", rawValue: failure.value ?? .null,
                    reason: failure.reason ?? failure.message))
        }
        span.labels = optional("labels", []) { () throws(Failure) in try labels(object["labels"]) }
        span.metadata = optional("metadata", JSONObject()) { () throws(Failure) -> JSONObject in
            switch object["metadata"] {
            case nil, .null?: return JSONObject()
            case .object(let o)?: return o
            case let other?: throw typeFailure("metadata", "an object", other)
            }
        }
        var present = Set(span.metadata.members.map { IDKey($0.key) })
        for member in object.members where !Self.knownFields.contains(member.key) {
            if present.insert(IDKey(member.key)).inserted { span.metadata.members.append(member) }
        }
        span.events = optional("events", []) { () throws(Failure) in try events(object["events"]) }
        span.droppedFields = dropped
        return span
    }

    private func requiredID(_ object: JSONObject, _ field: String) throws(Failure) -> String {
        guard let value = object[field], !value.isNull else {
            throw Failure(message: "missing required field \"\(field)\"")
        }
        guard case .string(let s) = value else { throw typeFailure(field, "a string", value) }
        guard !s.isEmpty else { throw Failure(message: "\"\(field)\" is empty") }
        return s
    }

    private func time(_ value: JSONValue, field: String) throws(Failure) -> Int64 {
        switch value {
        case .string(let s):
            guard let t = Timestamp.parseRFC3339(s) else {
                throw Failure(message: "\"\(field)\" is not an RFC 3339 date-time: \(quoted(s))")
            }
            return t
        case .number(let n):
            guard let t = Timestamp.parseUnixSeconds(n.text) else {
                throw Failure(message: "\"\(field)\" is out of range: \(n.text)")
            }
            return t
        default:
            throw typeFailure(field, "an RFC 3339 string or Unix seconds", value)
        }
    }

    private func error(_ value: JSONValue?) throws(Failure) -> SpanError? {
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
        case let other?: throw typeFailure("error", "a string or an object", other)
        }
    }

    /// The usage object; a member of the wrong type is left out and added to `failures`.
    private func usage(_ value: JSONValue?, failures: inout [Failure]) throws(Failure) -> Usage {
        switch value {
        case nil, .null?: return Usage()
        case .object(let o)?:
            func int(_ key: String) -> Int64? {
                switch o[key] {
                case nil, .null?: return nil
                case .number(let n)?:
                    guard let v = n.int64, v >= 0 else {
                        failures.append(
                            Failure(
                                message: "\"usage.\(key)\" must be a whole number of tokens, found \(n.text)",
                                field: "usage.\(key)",
                                value: .number(n),
                                reason: "must be a whole number of tokens"
                            )
                        )
                        return nil
                    }
                    return v
                case let other?:
                    failures.append(typeFailure("usage.\(key)", "a number", other))
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
            case let other?: failures.append(typeFailure("usage.cost", "a number", other))
            }
            return usage
        case let other?: throw typeFailure("usage", "an object", other)
        }
    }

    /// The scores object; a score of the wrong type is left out and added to `failures`.
    private func scores(_ value: JSONValue?, failures: inout [Failure]) throws(Failure) -> [Score] {
        switch value {
        case nil, .null?: return []
        case .object(let o)?:
            var scores: [Score] = []
            for member in o.members {
                switch member.value {
                case .null: continue
                case .number(let n): scores.append(Score(name: member.key, value: n.double, text: n.text))
                case .bool(let b): scores.append(Score(name: member.key, value: b ? 1 : 0, text: b ? "1" : "0"))
                default: failures.append(typeFailure("scores.\(member.key)", "a number", member.value))
                }
            }
            return scores
        case let other?: throw typeFailure("scores", "an object of numbers", other)
        }
    }

    private func labels(_ value: JSONValue?) throws(Failure) -> [String] {
        switch value {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            var labels: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw typeFailure("labels", "an array of strings", item) }
                labels.append(s)
            }
            return labels
        case let other?: throw typeFailure("labels", "an array of strings", other)
        }
    }

    private func events(_ value: JSONValue?) throws(Failure) -> [SpanEvent] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            var events: [SpanEvent] = []
            for item in items {
                guard case .object(let o) = item else { throw typeFailure("events", "an array of objects", item) }
                var event = SpanEvent(name: o["name"]?.stringValue ?? "event")
                if let t = o["time"] ?? o["timestamp"], !t.isNull {
                    event.timeUnixNano = try time(t, field: "events.time")
                }
                switch o["attributes"] {
                case nil, .null?: break
                case .object(let a)?: event.attributes = a
                case let other?: throw typeFailure("events.attributes", "an object", other)
                }
                events.append(event)
            }
            return events
        case let other?: throw typeFailure("events", "an array", other)
        }
    }

    private func typeFailure(_ field: String, _ expected: String, _ found: JSONValue) -> Failure {
        let reason = "must be \(expected), found \(found.typeNameWithArticle)"
        return Failure(message: "\"\(field)\" \(reason)", field: field, value: found, reason: reason)
    }

    /// Compact JSON text of `value`, cut to 60 characters.
    static func shortJSON(_ value: JSONValue) -> String {
        let text = JSONWriter.write(value, pretty: false)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    private func quoted(_ s: String) -> String {
        let short = s.count > 60 ? String(s.prefix(60)) + "…" : s
        return "\"\(short)\""
    }
}
