public import TraceJSON
public import TraceModel

/// Reads OpenAI Agents SDK export files: the `trace` and `trace.span` items a tracing processor
/// receives, one per line, or the `{"data": [...]}` bodies the SDK posts to the ingest endpoint.
///
/// The `trace` item is the run's header (workflow name, group id, metadata) and becomes a
/// ``RunInfo``, not a span. Spans arrive when they end, so children precede their parents.
public struct OpenAIAgentsDecoder: TraceFormatDecoder {
    public let formatName = "OpenAI Agents SDK export"
    public let formatID = "openai-agents"
    public let shapeDescription = "objects with object: trace or trace.span, or {\"data\": [...]}"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            if Self.isItem(o) { return true }
            if case .array(let items)? = o["data"], let first = items.first?.objectValue { return Self.isItem(first) }
            return false
        case .array(let items):
            guard let first = items.first?.objectValue else { return false }
            return Self.isItem(first) || (first["data"]?.arrayValue?.first?.objectValue).map(Self.isItem) == true
        default:
            return false
        }
    }

    private static func isItem(_ o: JSONObject) -> Bool {
        guard let object = o["object"]?.stringValue else { return false }
        return object == "trace" || object == "trace.span"
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            // Batches and arrays hold items; open them without recursion, a few levels deep.
            var pending: [(value: JSONValue, depth: Int)] = [(record.value, 0)]
            var items: [JSONObject] = []
            while let (value, depth) = pending.popLast() {
                switch value {
                case .object(let o) where o["object"] == nil && o["data"]?.arrayValue != nil && depth < 3:
                    pending.append(contentsOf: o["data"]!.arrayValue!.reversed().map { ($0, depth + 1) })
                case .object(let o):
                    items.append(o)
                case .array(let list) where depth < 3:
                    pending.append(contentsOf: list.reversed().map { ($0, depth + 1) })
                default:
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "expected a trace or span object, found \(value.typeNameWithArticle)")
                    )
                }
            }
            for item in items {
                decodeItem(item, at: location, into: &result)
            }
        }
        return result
    }

    private func decodeItem(_ o: JSONObject, at location: SourceLocation, into result: inout DecodedTrace) {
        switch o["object"]?.stringValue {
        case "trace"?:
            guard let id = FieldReader.id(o["id"]) else {
                result.diagnostics.append(Diagnostic(.error, at: location, "trace item has no \"id\""))
                return
            }
            var metadata = JSONObject()
            if let group = o["group_id"], !group.isNull { metadata.members.append(("group_id", group)) }
            switch o["metadata"] {
            case .object(let m)?: metadata.members.append(contentsOf: m.members)
            case nil, .null?: break
            case let other?: metadata.members.append(("metadata", other))
            }
            let known: Set<String> = ["object", "id", "workflow_name", "group_id", "metadata"]
            for member in o.members where !known.contains(member.key) && !member.value.isNull {
                metadata.members.append(member)
            }
            result.runInfo.append(RunInfo(traceID: id, name: o["workflow_name"]?.stringValue, metadata: metadata))
        case "trace.span"?:
            switch span(from: o, at: location) {
            case .success(let span): result.spans.append(span)
            case .failure(let failure): result.diagnostics.append(failure.diagnostic(at: location))
            }
        case let other?:
            result.diagnostics.append(
                Diagnostic(.error, at: location, "unknown item \"object\": \"\(other)\"; expected trace or trace.span"))
        case nil:
            result.diagnostics.append(
                Diagnostic(.error, at: location, "item has no \"object\" field; expected trace or trace.span"))
        }
    }

    private func span(from o: JSONObject, at location: SourceLocation) -> Result<Span, FieldError> {
        guard let spanID = FieldReader.id(o["id"]) else {
            return .failure(FieldError("span item has no \"id\""))
        }
        guard let traceID = FieldReader.id(o["trace_id"]) else {
            return .failure(FieldError("span item \"\(spanID)\" has no \"trace_id\""))
        }
        let start: Int64?
        let end: Int64?
        let data: JSONObject
        do {
            start = try FieldReader.dateTime(o["started_at"], field: "started_at")
            end = try FieldReader.dateTime(o["ended_at"], field: "ended_at")
            data = try FieldReader.object(o["span_data"], field: "span_data") ?? JSONObject()
        } catch {
            return .failure(error)
        }
        var span = Span(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: FieldReader.id(o["parent_id"]),
            name: "span",
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            source: location,
            sourceFormat: formatName
        )
        Self.apply(data, to: &span)
        if case .object(let error)? = o["error"] {
            span.error = Self.error(error)
            if var details = error["data"], !details.isNull {
                // The exception text moved into the message is not repeated in metadata.
                if case .object(let d) = details, let text = Self.exceptionText(d) {
                    details = .object(JSONObject(d.members.filter { $0.key != text.key }))
                }
                if details.objectValue?.isEmpty != true { span.metadata.members.append(("error_data", details)) }
            }
        } else if case .string(let message)? = o["error"] {
            span.error = SpanError(message: message)
        }
        if case .object(let m)? = o["metadata"] {
            for member in m.members where span.metadata[member.key] == nil { span.metadata.members.append(member) }
        }
        return .success(span)
    }

    /// A span's `error` item: `message` is often the SDK's fixed summary ("Error in agent run",
    /// "Error running tool") while the exception's own text is in `data` (`error`, or
    /// `message`), so the two are joined.
    static func error(_ error: JSONObject) -> SpanError {
        let summary = error["message"]?.stringValue
        guard case .object(let data)? = error["data"], let text = exceptionText(data)?.text else {
            return SpanError(message: summary ?? "error")
        }
        guard let summary, !summary.isEmpty, summary != text else { return SpanError(message: text) }
        return SpanError(message: "\(summary): \(text)")
    }

    /// The exception text in an error's `data`, and the key it came from.
    static func exceptionText(_ data: JSONObject) -> (key: String, text: String)? {
        for key in ["error", "message", "exception"] {
            if case .string(let text)? = data[key], !text.isEmpty { return (key, text) }
        }
        return nil
    }

    /// Fills `span` from its `span_data`, by type.
    static func apply(_ data: JSONObject, to span: inout Span) {
        let type = data["type"]?.stringValue ?? "span"
        var consumed: Set<String> = ["type"]
        func take(_ key: String) -> JSONValue? {
            consumed.insert(key)
            guard let v = data[key], !v.isNull else { return nil }
            return v
        }
        let name = take("name")?.stringValue
        switch type {
        case "agent":
            span.kind = .agent
            span.name = name ?? "agent"
        case "function":
            span.kind = .tool
            span.name = name ?? "function"
            if let input = take("input") {
                span.input = input.stringValue.flatMap { $0.isEmpty ? nil : ChatMessages.parsedJSON($0) } ?? input
            }
            if let output = take("output") {
                if case .string(let text) = output, let parsed = ChatMessages.parsedJSON(text) {
                    switch parsed {
                    case .object, .array: span.output = parsed
                    default: span.output = output
                    }
                } else {
                    span.output = output
                }
            }
        case "generation":
            span.kind = .llm
            span.name = name ?? "generation"
            span.model = take("model")?.stringValue
            let parameters = take("model_config")?.objectValue ?? JSONObject()
            if let input = take("input") { span.input = ChatMessages.input(input, parameters: parameters) }
            if let output = take("output") {
                let (value, details) = ChatMessages.output(output)
                span.output = value
                if !details.isEmpty { span.metadata.members.append(("response", .object(details))) }
            }
            applyUsage(take("usage"), to: &span)
        case "response":
            span.kind = .llm
            span.name = name ?? "response"
            if let id = take("response_id") { span.metadata.members.append(("response_id", id)) }
            span.model = take("model")?.stringValue
            if let input = take("input") { span.input = ChatMessages.input(input) }
            if let output = take("output") { span.output = ChatMessages.output(output).output }
            applyUsage(take("usage"), to: &span)
        case "handoff":
            span.kind = .handoff
            let from = take("from_agent")?.stringValue
            let to = take("to_agent")?.stringValue
            span.name = name ?? "handoff → \(to ?? "?")"
            if let from { span.metadata.members.append(("from_agent", .string(from))) }
            if let to { span.metadata.members.append(("to_agent", .string(to))) }
            if from != nil || to != nil {
                span.input = from.map(JSONValue.string)
                span.output = to.map(JSONValue.string)
            }
        case "guardrail":
            span.kind = .guardrail
            span.name = name ?? "guardrail"
            if case .bool(let triggered)? = take("triggered") {
                span.output = .object(JSONObject([("triggered", .bool(triggered))]))
                if triggered { span.labels.append("guardrail triggered") }
            }
        case "custom":
            let custom = take("data")?.objectValue ?? JSONObject()
            let sdkType = custom["sdk_span_type"]?.stringValue
            switch sdkType {
            case "task"?: span.kind = .task
            case "turn"?: span.kind = .agent
            default:
                span.kind = .span
                span.kindName = "custom"
            }
            if sdkType == "turn", let agent = custom["agent_name"]?.stringValue, let turn = custom["turn"] {
                span.name = "turn \(turn.numberValue?.text ?? turn.stringValue ?? ""): \(agent)"
            } else {
                span.name = name ?? sdkType ?? "custom"
            }
            // Task and turn usage sums the model calls below them, so it stays out of `usage`
            // (which counts a span's own tokens) and is shown as recorded.
            for member in custom.members where !member.value.isNull {
                span.metadata.members.append(member)
            }
        case "transcription":
            span.kind = .llm
            span.name = name ?? "transcription"
            span.model = take("model")?.stringValue
            if let input = take("input") { span.input = input }
            if let output = take("output") { span.output = output }
            if case .object(let config)? = take("model_config"), !ChatMessages.dropping(config, []).isEmpty {
                span.metadata.members.append(("model_config", .object(ChatMessages.dropping(config, []))))
            }
        case "speech":
            span.kind = .llm
            span.name = name ?? "speech"
            span.model = take("model")?.stringValue
            if let input = take("input") { span.input = input }
            if let output = take("output") { span.output = output }
            if case .object(let config)? = take("model_config"), !ChatMessages.dropping(config, []).isEmpty {
                span.metadata.members.append(("model_config", .object(ChatMessages.dropping(config, []))))
            }
        case "speech_group":
            span.kind = .task
            span.name = name ?? "speech group"
            if let input = take("input") { span.input = input }
        case "mcp_tools":
            span.kind = .span
            span.kindName = "mcp_tools"
            let server = take("server")?.stringValue
            span.name = name ?? (server.map { "MCP tools: \($0)" } ?? "MCP tools")
            if let server { span.metadata.members.append(("server", .string(server))) }
            if let tools = take("result") { span.output = tools }
        default:
            span.kind = .span
            span.kindName = type
            span.name = name ?? type
            if let input = take("input") { span.input = input }
            if let output = take("output") { span.output = output }
        }
        if span.kind != .span { span.kindName = span.kind.rawValue }
        for member in data.members where !consumed.contains(member.key) && !ChatMessages.isEmpty(member.value) {
            span.metadata.members.append(member)
        }
    }

    /// Reads `{input_tokens, output_tokens, total_tokens, …}`; other counts go to metadata.
    private static func applyUsage(_ value: JSONValue?, to span: inout Span) {
        guard case .object(let usage)? = value else { return }
        func count(_ key: String) -> Int64? {
            guard case .number(let n)? = usage[key], let v = n.int64, v >= 0 else { return nil }
            return v
        }
        span.usage.inputTokens = count("input_tokens") ?? count("prompt_tokens")
        span.usage.outputTokens = count("output_tokens") ?? count("completion_tokens")
        span.usage.totalTokens = count("total_tokens")
        let mapped: Set<String> = [
            "input_tokens", "output_tokens", "total_tokens", "prompt_tokens", "completion_tokens",
        ]
        let rest = JSONObject(usage.members.filter { !mapped.contains($0.key) && !ChatMessages.isEmpty($0.value) })
        if !rest.isEmpty { span.metadata.members.append(("usage_details", .object(rest))) }
    }

}
