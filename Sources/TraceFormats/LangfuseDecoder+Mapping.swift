import TraceJSON
import TraceModel

/// Mapping Langfuse observations, traces and scores into spans, run info and scores.
extension LangfuseDecoder {
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

    func span(
        from o: JSONObject, traceID containerTrace: String?, eventType: String?, timestamp: JSONValue?,
        traceOf: [String: String],
        at location: SourceLocation
    ) -> Result<Span, FieldError> {
        guard let rawID = Self.string(o, "id"), let spanID = TraceIdentifiers.normalize(rawID) else {
            return .failure(FieldError("observation has no \"id\""))
        }
        guard
            let traceID = containerTrace
                ?? (Self.string(o, "traceId", "trace_id") ?? traceOf[rawID]).flatMap({ TraceIdentifiers.normalize($0) })
        else {
            return .failure(
                FieldError("observation \"\(rawID)\" has no \"traceId\" and its create event is not in the input")
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
                return .failure(FieldError("\"\(camel)\" is not an ISO 8601 date-time"))
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
    static func attach(_ score: Score, to scores: inout [Score], labels: inout [String]) {
        if score.value.isNaN {
            labels.append("\(score.name): \(score.text)")
        } else {
            scores.append(score)
        }
    }
}
