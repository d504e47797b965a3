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
                            "expected a Langfuse trace, event or observation object, found \(OpenAIAgentsDecoder.article(value.typeName))"
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
                    result.diagnostics.append(Diagnostic(.error, at: location, failure.message))
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

    // MARK: - Mapping

    /// Why an observation was rejected.
    struct Failure: Error {
        var message: String
    }

    /// Observation fields mapped into span fields or dropped as bookkeeping; the rest stays in
    /// metadata.
    static let mappedObservationFields: Set<String> = [
        "id", "traceId", "trace_id", "parentObservationId", "parent_observation_id", "name", "type", "startTime",
        "start_time", "endTime", "end_time", "input", "output", "model", "providedModelName", "provided_model_name",
        "internalModel", "internal_model", "internalModelId", "internal_model_id", "modelId", "model_id",
        "modelParameters", "model_parameters", "usage", "usageDetails", "usage_details", "costDetails", "cost_details",
        "providedUsageDetails", "provided_usage_details", "providedCostDetails", "provided_cost_details",
        "promptTokens", "completionTokens", "totalTokens", "inputUsage", "outputUsage", "totalUsage", "unit",
        "calculatedInputCost", "calculatedOutputCost", "calculatedTotalCost", "totalCost", "total_cost", "inputCost",
        "outputCost", "inputPrice", "outputPrice", "totalPrice", "level", "statusMessage", "status_message", "metadata",
        "projectId", "project_id", "createdAt", "created_at", "updatedAt", "updated_at", "event_ts", "is_deleted",
    ]

    private func span(
        from o: JSONObject, traceID containerTrace: String?, eventType: String?, timestamp: JSONValue?,
        traceOf: [String: String],
        at location: SourceLocation
    ) -> Result<Span, Failure> {
        guard let rawID = Self.string(o, "id"), let spanID = TraceIdentifiers.normalize(rawID) else {
            return .failure(Failure(message: "observation has no \"id\""))
        }
        guard
            let traceID = containerTrace
                ?? (Self.string(o, "traceId", "trace_id") ?? traceOf[rawID]).flatMap({ TraceIdentifiers.normalize($0) })
        else {
            return .failure(
                Failure(message: "observation \"\(rawID)\" has no \"traceId\" and its create event is not in the input")
            )
        }
        let type = Self.string(o, "type") ?? eventType
        let kind: SpanKind
        var kindName: String
        switch type?.uppercased() {
        case "GENERATION"?: kind = .llm
        case "AGENT"?: kind = .agent
        case "TOOL"?: kind = .tool
        case "CHAIN"?: kind = .task
        case "RETRIEVER"?: kind = .retrieval
        case "EVALUATOR"?: kind = .eval
        case "EMBEDDING"?: kind = .embedding
        case "GUARDRAIL"?: kind = .guardrail
        case "EVENT"?: kind = .span
        default: kind = .span
        }
        kindName = kind == .span ? (type?.lowercased() ?? "span") : kind.rawValue
        if kind == .span, kindName != "event" { kindName = "span" }
        var start: Int64? = nil
        var end: Int64? = nil
        for (camel, snake) in [("startTime", "start_time"), ("endTime", "end_time")] {
            guard let v = o[camel] ?? o[snake], !v.isNull else { continue }
            guard let t = Self.time(v) else {
                return .failure(Failure(message: "\"\(camel)\" is not an ISO 8601 date-time"))
            }
            if camel == "startTime" { start = t } else { end = t }
        }
        if start == nil, let timestamp, let t = Self.time(timestamp) { start = t }
        if kindName == "event", end == nil { end = start }
        var span = Span(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: Self.string(o, "parentObservationId", "parent_observation_id").flatMap {
                TraceIdentifiers.normalize($0)
            },
            name: Self.string(o, "name") ?? "",
            kind: kind,
            kindName: kindName,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            source: location,
            sourceFormat: formatName
        )
        span.model =
            Self.string(o, "model") ?? Self.string(o, "providedModelName", "provided_model_name")
            ?? Self.string(o, "internalModel", "internal_model")
        let parameters =
            Self.decodedText(Self.field(o, "modelParameters", "model_parameters") ?? .null).objectValue ?? JSONObject()
        if let input = o["input"], !input.isNull {
            let value = Self.decodedText(input)
            if kind == .llm {
                span.input = ChatMessages.input(value, parameters: parameters)
            } else {
                span.input = ChatMessages.normalizeLangChain(value)
            }
        }
        if kind != .llm || span.input?["messages"] == nil, !parameters.isEmpty {
            span.metadata.members.append(("model_parameters", .object(parameters)))
        }
        if let output = o["output"], !output.isNull {
            let value = Self.decodedText(output)
            if kind == .llm {
                let (normalized, details) = ChatMessages.output(value)
                span.output = normalized
                if !details.isEmpty { span.metadata.members.append(("response", .object(details))) }
            } else if kind == .retrieval, let documents = RetrievedDocuments.normalize(value) {
                span.output = documents
            } else {
                span.output = ChatMessages.normalizeLangChain(value)
            }
        }
        Self.applyUsage(o, to: &span)
        let level = Self.string(o, "level")
        let status = Self.string(o, "statusMessage", "status_message")
        if level == "ERROR" {
            span.error = SpanError(message: status ?? "error")
        } else {
            if let level, level != "DEFAULT" { span.metadata.members.append(("level", .string(level))) }
            if level == "WARNING" { span.labels.append("warning") }
            if let status { span.metadata.members.append(("status_message", .string(status))) }
        }
        switch Self.decodedText(o["metadata"] ?? .null) {
        case .object(let m):
            for member in m.members where !member.value.isNull { span.metadata.members.append(member) }
        case .null: break
        case let other: span.metadata.members.append(("metadata", other))
        }
        for member in o.members
        where !Self.mappedObservationFields.contains(member.key) && !ChatMessages.isEmpty(member.value) {
            if span.metadata[member.key] == nil { span.metadata.members.append(member) }
        }
        return .success(span)
    }

    /// Tokens and cost from `usageDetails`/`costDetails`, the legacy `usage` object, or the flat
    /// counts of observation views; other counts go to metadata.
    private static func applyUsage(_ o: JSONObject, to span: inout Span) {
        func number(_ value: JSONValue?) -> JSONNumber? {
            switch value {
            case .number(let n)?: return n
            case .string(let s)? where Double(s) != nil: return JSONNumber(text: s)
            default: return nil
            }
        }
        func count(_ value: JSONValue?) -> Int64? {
            guard let n = number(value), let v = n.int64, v >= 0 else { return nil }
            return v
        }
        var usage = Usage()
        let details =
            field(o, "usageDetails", "usage_details")?.objectValue
            ?? field(o, "providedUsageDetails", "provided_usage_details")?.objectValue
        if let details {
            usage.inputTokens =
                count(details["input"]) ?? count(details["prompt_tokens"]) ?? count(details["input_tokens"])
            usage.outputTokens =
                count(details["output"]) ?? count(details["completion_tokens"]) ?? count(details["output_tokens"])
            usage.totalTokens = count(details["total"]) ?? count(details["total_tokens"])
            let mapped: Set<String> = [
                "input", "output", "total", "prompt_tokens", "completion_tokens", "input_tokens", "output_tokens",
                "total_tokens",
            ]
            let rest = JSONObject(details.members.filter { !mapped.contains($0.key) && !$0.value.isNull })
            if !rest.isEmpty { span.metadata.members.append(("usage_details", .object(rest))) }
        }
        if case .object(let legacy)? = o["usage"] {
            usage.inputTokens = usage.inputTokens ?? count(legacy["input"]) ?? count(legacy["promptTokens"])
            usage.outputTokens = usage.outputTokens ?? count(legacy["output"]) ?? count(legacy["completionTokens"])
            usage.totalTokens = usage.totalTokens ?? count(legacy["total"]) ?? count(legacy["totalTokens"])
            usage.cost = number(legacy["totalCost"])?.double
        }
        usage.inputTokens = usage.inputTokens ?? count(o["promptTokens"]) ?? count(o["inputUsage"])
        usage.outputTokens = usage.outputTokens ?? count(o["completionTokens"]) ?? count(o["outputUsage"])
        usage.totalTokens = usage.totalTokens ?? count(o["totalTokens"]) ?? count(o["totalUsage"])
        if usage.totalTokens == 0, usage.inputTokens == nil, usage.outputTokens == nil { usage.totalTokens = nil }
        if let costs = field(o, "costDetails", "cost_details")?.objectValue
            ?? field(o, "providedCostDetails", "provided_cost_details")?.objectValue,
            !costs.isEmpty
        {
            if let total = number(costs["total"]) {
                usage.cost = total.double
            } else {
                let parts = costs.members.compactMap { number($0.value)?.double }
                if !parts.isEmpty { usage.cost = parts.reduce(0, +) }
            }
        }
        if let cost = number(o["calculatedTotalCost"]) ?? number(o["totalCost"]) ?? number(o["total_cost"]),
            usage.cost == nil || usage.cost == 0
        {
            if cost.double > 0 || usage.cost == nil { usage.cost = cost.double }
        }
        span.usage = usage
    }

    /// Run facts from a trace object, `trace-create` body or export trace row.
    static func runInfo(_ o: JSONObject) -> RunInfo? {
        guard let id = string(o, "id").flatMap({ TraceIdentifiers.normalize($0) }) else { return nil }
        var info = RunInfo(traceID: id, name: string(o, "name"))
        if case .array(let tags)? = o["tags"] { info.labels = tags.compactMap(\.stringValue) }
        let skipped: Set<String> = [
            "id", "name", "tags", "metadata", "observations", "scores", "projectId", "project_id", "createdAt",
            "created_at",
            "updatedAt", "updated_at", "event_ts", "is_deleted", "bookmarked", "public", "htmlPath",
        ]
        for member in o.members where !skipped.contains(member.key) && !ChatMessages.isEmpty(member.value) {
            info.metadata.members.append(member)
        }
        switch decodedText(o["metadata"] ?? .null) {
        case .object(let m):
            for member in m.members where !member.value.isNull && info.metadata[member.key] == nil {
                info.metadata.members.append(member)
            }
        case .null: break
        case let other: info.metadata.members.append(("metadata", other))
        }
        return info
    }

    /// A score's numeric value, or `nil` for categorical scores without one.
    static func score(_ o: JSONObject) -> Score? {
        let name = string(o, "name") ?? "score"
        let text = string(o, "stringValue", "string_value")
        var score: Score
        switch o["value"] {
        case .number(let n)?: score = Score(name: name, value: n.double, text: text ?? n.text)
        case .bool(let b)?: score = Score(name: name, value: b ? 1 : 0, text: text ?? (b ? "true" : "false"))
        case .string(let s)?:
            if let v = Double(s) {
                score = Score(name: name, value: v, text: s)
            } else {
                score = Score(name: name, value: .nan, text: s)
            }
        default:
            guard let text else { return nil }
            score = Score(name: name, value: .nan, text: text)
        }
        if let comment = string(o, "comment") { score.comment = comment }
        return score
    }

    /// Adds a score: numeric ones as scores, categorical ones (no number) as `name: value` labels.
    private static func attach(_ score: Score, to scores: inout [Score], labels: inout [String]) {
        if score.value.isNaN {
            labels.append("\(score.name): \(score.text)")
        } else {
            scores.append(score)
        }
    }

    // MARK: - Field access

    /// The value of `camel`, else `snake`, ignoring nulls.
    static func field(_ o: JSONObject, _ camel: String, _ snake: String? = nil) -> JSONValue? {
        if let v = o[camel], !v.isNull { return v }
        if let snake, let v = o[snake], !v.isNull { return v }
        return nil
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
