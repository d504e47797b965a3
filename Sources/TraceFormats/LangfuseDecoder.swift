public import TraceJSON
public import TraceModel

/// Reads Langfuse data: trace objects from the public API (with their `observations` and
/// `scores`), ingestion events (`{id, timestamp, type, body}`, alone or in a `{"batch": [...]}`
/// body), observation lists (`{"data": [...], "meta": {...}}`) and blob-storage export rows
/// (snake_case columns, `YYYY-MM-DD HH:MM:SS.ffffff` UTC times).
///
/// Observations become spans; traces become ``RunInfo`` (name, tags, metadata, trace scores).
/// Create and update events of one observation are ``Span/isPartial`` parts that assembly merges.
public struct LangfuseDecoder: TraceFormatDecoder {
    public let formatName = "Langfuse"
    public let formatID = "langfuse"
    public let shapeDescription =
        "a trace with observations, ingestion events {id, timestamp, type, body}, or observation rows"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            return Self.matchesObject(o)
        case .array(let items):
            guard let first = items.first?.objectValue else { return false }
            return Self.matchesObject(first)
        default:
            return false
        }
    }

    private static func matchesObject(_ o: JSONObject) -> Bool {
        if isTraceObject(o) || isEvent(o) || isObservation(o) || isScoreBody(o) { return true }
        if case .array(let events)? = o["batch"], let first = events.first?.objectValue { return isEvent(first) }
        if o["meta"] != nil, case .array(let data)? = o["data"], let first = data.first?.objectValue {
            return isTraceObject(first) || isObservation(first)
        }
        return false
    }

    /// The ingestion event types.
    static let observationEventPrefixes: Set<String> = [
        "span", "generation", "event", "observation", "agent", "tool", "chain", "retriever", "evaluator", "embedding",
        "guardrail",
    ]

    /// The observation types.
    static let observationTypes: Set<String> = [
        "SPAN", "GENERATION", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL",
    ]

    /// A trace as the API returns it: `id` and an `observations` array.
    static func isTraceObject(_ o: JSONObject) -> Bool {
        o["id"]?.stringValue != nil && o["observations"]?.arrayValue != nil
    }

    /// An ingestion event: `type` (`trace-create`, `span-update`…) and a `body` object.
    static func isEvent(_ o: JSONObject) -> Bool {
        guard let type = o["type"]?.stringValue, o["body"]?.objectValue != nil else { return false }
        return eventKind(type) != nil
    }

    /// A score as the SDKs post it to `/api/public/scores` (alone, or many in an array):
    /// `{"id"?, "traceId", "observationId"?, "name", "value", "dataType"?, "comment"?, …}`.
    static func isScoreBody(_ o: JSONObject) -> Bool {
        guard o["name"]?.stringValue != nil, o["value"] != nil || o["stringValue"] != nil,
            o["traceId"]?.stringValue != nil || o["trace_id"]?.stringValue != nil
        else { return false }
        let observationKeys = ["type", "startTime", "start_time", "input", "output", "observations", "body"]
        return !observationKeys.contains { o[$0] != nil }
    }

    /// An observation (API camelCase or export snake_case).
    static func isObservation(_ o: JSONObject) -> Bool {
        guard o["id"] != nil, o["span_id"] == nil else { return false }
        if o["parentObservationId"] != nil || o["parent_observation_id"] != nil { return true }
        guard o["traceId"] != nil || o["trace_id"] != nil, let type = o["type"]?.stringValue else { return false }
        return observationTypes.contains(type) && (o["startTime"] != nil || o["start_time"] != nil)
    }

    enum EventKind: Equatable {
        case trace
        case observation(type: String?, update: Bool)
        case score
        case ignored
    }

    /// What an ingestion event type names.
    static func eventKind(_ type: String) -> EventKind? {
        switch type {
        case "trace-create": return .trace
        case "score-create": return .score
        case "sdk-log": return .ignored
        default:
            let update = type.hasSuffix("-update")
            guard update || type.hasSuffix("-create") else { return nil }
            let prefix = String(type.dropLast(7))
            guard observationEventPrefixes.contains(prefix) else { return nil }
            return .observation(type: prefix == "observation" ? nil : prefix.uppercased(), update: update)
        }
    }

    // MARK: - Decoding

    /// One thing to map, with the trace id its container gives.
    private enum Item {
        case trace(JSONObject)
        case observation(JSONObject, traceID: String?, eventType: String?, partial: Bool, timestamp: JSONValue?)
        case score(JSONObject, traceID: String?)
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        var items: [(item: Item, line: Int)] = []
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            var values: [JSONValue] = []
            if case .array(let list) = record.value { values = list } else { values = [record.value] }
            for value in values {
                guard case .object(let o) = value else {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "expected a Langfuse trace, event or observation object, found \(value.typeNameWithArticle)"
                        )
                    )
                    continue
                }
                var problems: [String] = []
                collect(o, line: record.line, into: &items, problems: &problems)
                for problem in problems { result.diagnostics.append(Diagnostic(.error, at: location, problem)) }
            }
        }
        // Update events may omit the trace id: take it from the create event in this batch.
        var traceOf: [String: String] = [:]
        for (item, _) in items {
            if case .observation(let o, let traceID, _, _, _) = item, let id = Self.string(o, "id"),
                let trace = traceID ?? Self.string(o, "traceId", "trace_id")
            {
                traceOf[id] = trace
            }
        }
        for (item, line) in items {
            let location = SourceLocation(file: file, line: line)
            switch item {
            case .trace(let o):
                if let info = Self.runInfo(o) {
                    result.runInfo.append(info)
                } else {
                    result.diagnostics.append(Diagnostic(.error, at: location, "trace has no \"id\""))
                }
            case .observation(let o, let traceID, let eventType, let partial, let timestamp):
                switch span(
                    from: o, traceID: traceID, eventType: eventType, timestamp: timestamp, traceOf: traceOf,
                    at: location)
                {
                case .success(var span):
                    span.isPartial = partial
                    result.spans.append(span)
                case .failure(let failure):
                    result.diagnostics.append(failure.diagnostic(at: location))
                }
            case .score(let o, let traceID):
                guard let score = Self.score(o) else { continue }
                guard
                    let trace = traceID
                        ?? Self.string(o, "traceId", "trace_id").flatMap({ TraceIdentifiers.normalize($0) })
                else {
                    result.diagnostics.append(
                        Diagnostic(.error, at: location, "score \"\(score.name)\" has no \"traceId\""))
                    continue
                }
                if let observation = Self.string(o, "observationId", "observation_id").flatMap({
                    TraceIdentifiers.normalize($0)
                }) {
                    // A score of an observation: a part of that observation's span.
                    var span = Span(
                        traceID: trace, spanID: observation, name: "", source: location, sourceFormat: formatName)
                    span.isPartial = true
                    Self.attach(score, to: &span.scores, labels: &span.labels)
                    result.spans.append(span)
                } else {
                    var info = RunInfo(traceID: trace)
                    Self.attach(score, to: &info.scores, labels: &info.labels)
                    result.runInfo.append(info)
                }
            }
        }
        return result
    }

    /// Sorts one top-level object into items; adds a problem message for each object or event
    /// of no known shape.
    private func collect(
        _ o: JSONObject, line: Int, depth: Int = 0, into items: inout [(item: Item, line: Int)],
        problems: inout [String]
    ) {
        if Self.isTraceObject(o) {
            let traceID = Self.string(o, "id").flatMap { TraceIdentifiers.normalize($0) }
            items.append((.trace(o), line))
            for observation in o["observations"]?.arrayValue ?? [] {
                guard case .object(let obs) = observation else { continue }
                items.append(
                    (.observation(obs, traceID: traceID, eventType: nil, partial: false, timestamp: nil), line))
            }
            for score in o["scores"]?.arrayValue ?? [] {
                guard case .object(let s) = score else { continue }
                items.append((.score(s, traceID: traceID), line))
            }
            return
        }
        if case .array(let events)? = o["batch"] {
            for event in events {
                guard case .object(let e) = event else { continue }
                if let problem = collectEvent(e, line: line, into: &items) { problems.append(problem) }
            }
            return
        }
        if Self.isEvent(o) || (o["type"]?.stringValue != nil && o["body"] != nil) {
            if let problem = collectEvent(o, line: line, into: &items) { problems.append(problem) }
            return
        }
        if o["meta"] != nil, depth < 2, case .array(let data)? = o["data"] {
            for element in data {
                guard case .object(let d) = element else { continue }
                collect(d, line: line, depth: depth + 1, into: &items, problems: &problems)
            }
            return
        }
        if Self.isScoreRow(o) || Self.isScoreBody(o) {
            items.append((.score(o, traceID: nil), line))
            return
        }
        if o["traceId"] != nil || o["trace_id"] != nil || o["parentObservationId"] != nil
            || o["parent_observation_id"] != nil
        {
            items.append((.observation(o, traceID: nil, eventType: nil, partial: false, timestamp: nil), line))
            return
        }
        if o["id"] != nil, o["timestamp"] != nil || o["session_id"] != nil || o["sessionId"] != nil {
            // A trace row of an export, or a trace object without observations.
            items.append((.trace(o), line))
            return
        }
        problems.append("expected a Langfuse trace, ingestion event or observation")
    }

    private func collectEvent(_ e: JSONObject, line: Int, into items: inout [(item: Item, line: Int)]) -> String? {
        guard let type = e["type"]?.stringValue else { return "ingestion event has no \"type\"" }
        guard let kind = Self.eventKind(type) else { return "unknown ingestion event type \"\(type)\"" }
        guard case .object(let body)? = e["body"] else { return "ingestion event \"\(type)\" has no \"body\" object" }
        switch kind {
        case .trace: items.append((.trace(body), line))
        case .score: items.append((.score(body, traceID: nil), line))
        case .ignored: break
        case .observation(let observationType, let update):
            items.append(
                (
                    .observation(
                        body, traceID: nil, eventType: observationType, partial: true,
                        timestamp: update ? nil : e["timestamp"]), line
                ))
        }
        return nil
    }

    /// A score row of an export: a name and value but no observation times.
    private static func isScoreRow(_ o: JSONObject) -> Bool {
        (o["data_type"] != nil || o["dataType"] != nil) && o["value"] != nil && o["name"] != nil
            && o["start_time"] == nil && o["startTime"] == nil
    }

    // MARK: - Field access

    /// The value of `camel`, else `snake`, ignoring nulls.
    static func field(_ o: JSONObject, _ camel: String, _ snake: String? = nil) -> JSONValue? {
        FieldReader.first(o, camel, snake ?? camel)
    }

    /// The string value of `camel`, else `snake`; empty strings count as absent.
    static func string(_ o: JSONObject, _ camel: String, _ snake: String? = nil) -> String? {
        guard let s = field(o, camel, snake)?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// Export rows hold JSON columns as JSON text: parsed objects and arrays, other text unchanged.
    static func decodedText(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value, let first = text.first, first == "{" || first == "[",
            let parsed = ChatMessages.parsedJSON(text)
        else { return value }
        return parsed
    }

    /// ISO 8601 (with `T` or a space, offset optional, none meaning UTC) or epoch milliseconds.
    static func time(_ value: JSONValue) -> Int64? {
        LangSmithDecoder.time(value)
    }
}
