import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Monocle conventions (monocle2ai/monocle `monocle_apptrace`).
    ///
    /// - `span.type` gives the kind: `inference*` → llm, `agentic.invocation` and `agentic.turn`
    ///   → agent, `agentic.tool.invocation` and `agentic.mcp.invocation` → tool,
    ///   `agentic.delegation` → handoff, `retrieval` → retrieval, `workflow` → task; other types
    ///   (`generic`, `http.process`…) stay generic spans named by their type.
    /// - The event `data.input` holds the input: for model calls a list of JSON strings, one
    ///   message each, written as `{"<role>": content}` (`system`, `user`/`human`,
    ///   `assistant`/`ai`/`model`, `tool`) or as OpenAI Agents items (`tool_function` +
    ///   `tool_arguments` + `call_id`, `call_id` + `output`); for other spans the arguments.
    /// - The event `data.output` holds `response` (or `output`), plus `finish_reason`,
    ///   `finish_type` and `error_code`; for model calls the response is `{"<role>": content}`,
    ///   `{"ai": {tool call}}` or `{"tools": [{tool_id, tool_name, tool_arguments}]}`.
    /// - The event `metadata` holds `prompt_tokens`, `completion_tokens`, `total_tokens`.
    /// - `entity.N.type` = `model.…` names the model in `entity.N.name`.
    static func applyMonocle(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let spanType = record.attributes["span.type"]?.stringValue
        let hasDataEvents = record.events.contains { $0.name == "data.input" || $0.name == "data.output" }
        guard spanType != nil || hasDataEvents || record.attributes["monocle_apptrace.version"] != nil else { return }

        if let spanType {
            consumed.insert("span.type")
            if let kind = MonocleConvention.kind(spanType) {
                span.kind = kind
                span.kindName = kind.rawValue
            } else if span.kind == .span {
                span.kindName = spanType
            }
        }
        let isModelCall = span.kind == .llm || (spanType?.hasPrefix("inference") ?? false)

        // The model: the entity whose type is model.<kind>.<name>.
        if let (index, name) = MonocleConvention.modelEntity(record.attributes) {
            if span.model == nil { span.model = name }
            consumed.insert("entity.\(index).type")
            consumed.insert("entity.\(index).name")
        }

        // The name a person recognises: the agent or tool the span's entities name, instead of
        // the instrumented function (the function's name stays in the metadata).
        if let named = MonocleConvention.entityName(record.attributes, prefix: span.kind == .tool ? "tool." : "agent."),
            span.kind == .agent || span.kind == .tool || span.kind == .handoff, named != record.name
        {
            span.name = named
            span.metadata.members.append(("span.name", .string(record.name)))
        }

        var mappedEvents: Set<Int> = []
        for (i, event) in record.events.enumerated() {
            switch event.name {
            case "data.input":
                if event.attributes.isEmpty {
                    mappedEvents.insert(i)
                    continue
                }
                guard span.input == nil, let input = MonocleConvention.input(event.attributes, modelCall: isModelCall)
                else { continue }
                span.input = input
                mappedEvents.insert(i)
            case "data.output":
                let response = event.attributes["response"] ?? event.attributes["output"]
                var mapped = response == nil || response == .null
                if !mapped, span.output == nil,
                    let output = MonocleConvention.output(
                        event.attributes, modelCall: isModelCall, failed: span.error != nil)
                {
                    span.output = output
                    mapped = true
                }
                for key in ["finish_reason", "finish_type", "error_code"] {
                    if let value = event.attributes[key], !value.isNull, span.metadata[key] == nil {
                        span.metadata.members.append((key, value))
                    }
                }
                let known: Set<String> = ["response", "output", "finish_reason", "finish_type", "error_code"]
                if mapped && event.attributes.members.allSatisfy({ known.contains($0.key) }) { mappedEvents.insert(i) }
            case "metadata":
                var usage = span.usage
                let attributes = event.attributes
                if usage.inputTokens == nil { usage.inputTokens = attributes["prompt_tokens"]?.numberValue?.int64 }
                if usage.outputTokens == nil {
                    usage.outputTokens = attributes["completion_tokens"]?.numberValue?.int64
                }
                if usage.totalTokens == nil { usage.totalTokens = attributes["total_tokens"]?.numberValue?.int64 }
                span.usage = usage
                var rest: [(key: String, value: JSONValue)] = []
                for member in attributes.members {
                    switch member.key {
                    case "prompt_tokens", "completion_tokens", "total_tokens": continue
                    case "finish_reason", "finish_type":
                        if span.metadata[member.key] == nil { span.metadata.members.append(member) }
                    default: rest.append(member)
                    }
                }
                if rest.isEmpty { mappedEvents.insert(i) }
            default: continue
            }
        }
        if !mappedEvents.isEmpty {
            let mapped = mappedEvents.map { record.events[$0] }
            span.events.removeAll { mapped.contains($0) }
        }
    }
}

/// The pieces of the Monocle convention.
enum MonocleConvention {
    /// The normalized kind for a `span.type`, or `nil` for generic types.
    static func kind(_ spanType: String) -> SpanKind? {
        switch spanType {
        case "workflow": return .task
        case "agentic.invocation", "agentic.turn", "agentic.request": return .agent
        case "agentic.tool.invocation", "agentic.mcp.invocation": return .tool
        case "agentic.delegation": return .handoff
        case "retrieval": return .retrieval
        default:
            if spanType == "inference" || spanType.hasPrefix("inference.") { return .llm }
            if spanType == "embedding" || spanType.hasPrefix("embedding.") { return .embedding }
            if spanType.hasPrefix("retrieval.") { return .retrieval }
            return nil
        }
    }

    /// The index and name of the model entity (`entity.N.type` starting with `model.`).
    /// The name of the first entity whose `entity.N.type` starts with `prefix` (`agent.`, `tool.`).
    static func entityName(_ attributes: JSONObject, prefix: String) -> String? {
        for member in attributes.members where member.key.hasPrefix("entity.") && member.key.hasSuffix(".type") {
            guard case .string(let type) = member.value, type.hasPrefix(prefix) else { continue }
            let middle = member.key.dropFirst("entity.".count).dropLast(".type".count)
            if let index = Int(middle), case .string(let name)? = attributes["entity.\(index).name"], !name.isEmpty {
                return name
            }
        }
        return nil
    }

    static func modelEntity(_ attributes: JSONObject) -> (Int, String)? {
        for member in attributes.members where member.key.hasPrefix("entity.") && member.key.hasSuffix(".type") {
            guard case .string(let type) = member.value, type.hasPrefix("model.") else { continue }
            let middle = member.key.dropFirst("entity.".count).dropLast(".type".count)
            guard let index = Int(middle), case .string(let name)? = attributes["entity.\(index).name"], !name.isEmpty
            else { continue }
            return (index, name)
        }
        return nil
    }

    // MARK: Input

    /// The span input from a `data.input` event's attributes.
    static func input(_ attributes: JSONObject, modelCall: Bool) -> JSONValue? {
        let value = attributes["input"] ?? attributes["query"]
        if attributes.count > 1 || value == nil {
            // Several named inputs: keep them as written, JSON text parsed.
            guard !attributes.isEmpty else { return nil }
            return .object(JSONObject(attributes.members.map { ($0.key, loose($0.value)) }))
        }
        guard let value, !value.isNull else { return nil }
        if modelCall {
            let messages = self.messages(value)
            if !messages.isEmpty {
                return .object(JSONObject([("messages", .array(messages.map { .object($0) }))]))
            }
        }
        if case .array(let items) = value {
            if items.count == 1 { return loose(items[0]) }
            return .array(items.map(loose))
        }
        return loose(value)
    }

    /// Chat messages from a `data.input` value: a list of JSON strings, one message each.
    static func messages(_ value: JSONValue) -> [JSONObject] {
        let items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .string: items = [value]
        default: return []
        }
        var messages: [JSONObject] = []
        for item in items {
            let parsed: JSONValue
            if case .string(let text) = item {
                parsed = OTelEmbeddedJSON.parse(text, scalars: false) ?? item
            } else {
                parsed = item
            }
            guard let message = message(parsed) else { continue }
            // Consecutive tool-call items of one model turn form one assistant message.
            if message["tool_calls"] != nil, message["content"] == nil, let last = messages.last,
                last["role"]?.stringValue == "assistant", last["content"] == nil,
                case .array(let earlier)? = last["tool_calls"], case .array(let calls)? = message["tool_calls"]
            {
                messages[messages.count - 1] = JSONObject([
                    ("role", .string("assistant")), ("tool_calls", .array(earlier + calls)),
                ])
                continue
            }
            messages.append(message)
        }
        return messages
    }

    /// One normalized message from one `data.input` item, or `nil` for an empty one.
    static func message(_ item: JSONValue) -> JSONObject? {
        switch item {
        case .string(let text):
            return text.isEmpty ? nil : JSONObject([("role", .string("user")), ("content", .string(text))])
        case .object(let o):
            // OpenAI Agents SDK items.
            if case .string(let function)? = o["tool_function"] {
                var call: [(key: String, value: JSONValue)] = []
                if let id = o["call_id"], !id.isNull { call.append(("id", id)) }
                call.append(("type", .string("function")))
                call.append(
                    (
                        "function",
                        .object(
                            JSONObject([("name", .string(function)), ("arguments", o["tool_arguments"] ?? .string(""))])
                        )
                    ))
                return JSONObject([("role", .string("assistant")), ("tool_calls", .array([.object(JSONObject(call))]))])
            }
            if o["call_id"] != nil, let output = o["output"] {
                var result = output
                // MCP results arrive as a text content item written as JSON.
                if case .string(let text) = output,
                    case .object(let item)? = OTelEmbeddedJSON.parse(text, scalars: false),
                    item["type"]?.stringValue == "text", case .string(let inner)? = item["text"]
                {
                    result = .string(inner)
                }
                var m: [(key: String, value: JSONValue)] = [
                    ("role", .string("tool")), ("content", content(result) ?? .string("")),
                ]
                if let id = o["call_id"], !id.isNull { m.append(("tool_call_id", id)) }
                return JSONObject(m)
            }
            if o.count == 1, let member = o.members.first, let role = role(member.key) {
                return roleMessage(role, member.value)
            }
            if o["role"] != nil { return o }
            return JSONObject([("role", .string("user")), ("content", .string(JSONWriter.write(item, pretty: false)))])
        case .null: return nil
        default:
            return JSONObject([("role", .string("user")), ("content", .string(JSONWriter.write(item, pretty: false)))])
        }
    }

    /// The normalized role for a Monocle role key.
    static func role(_ key: String) -> String? {
        switch key {
        case "system", "developer": return "system"
        case "user", "human": return "user"
        case "assistant", "ai", "model": return "assistant"
        case "tool", "function": return "tool"
        default: return nil
        }
    }

    /// A message with `role` whose content is written as `value`; assistant content that is a
    /// tool call (or a list of them) becomes `tool_calls`.
    static func roleMessage(_ role: String, _ value: JSONValue) -> JSONObject? {
        if role == "assistant", let calls = toolCalls(value) {
            return JSONObject([("role", .string(role)), ("tool_calls", .array(calls))])
        }
        guard let content = content(value) else { return nil }
        return JSONObject([("role", .string(role)), ("content", content)])
    }

    /// Message content: text as written, a list of parts as parts, anything else as JSON text.
    static func content(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .string: return value
        case .array(let items):
            return .array(
                items.map { item in
                    switch item {
                    case .string(let s): return .object(JSONObject([("type", .string("text")), ("text", .string(s))]))
                    case .object(let o) where o["type"] != nil: return item
                    default:
                        return .object(
                            JSONObject([
                                ("type", .string("text")), ("text", .string(JSONWriter.write(item, pretty: false))),
                            ]))
                    }
                }
            )
        default: return .string(JSONWriter.write(value, pretty: false))
        }
    }

    /// Tool calls written as `{"name", "args", "id"}` (LangChain), one or a list, directly or as
    /// JSON text; `nil` when `value` is not that.
    static func toolCalls(_ value: JSONValue) -> [JSONValue]? {
        var parsed = value
        if case .string(let text) = value {
            guard let p = OTelEmbeddedJSON.parse(text, scalars: false) else { return nil }
            parsed = p
        }
        let items: [JSONValue]
        switch parsed {
        case .object: items = [parsed]
        case .array(let a) where !a.isEmpty: items = a
        default: return nil
        }
        var calls: [JSONValue] = []
        for item in items {
            guard case .object(let o) = item, case .string(let name)? = o["name"],
                let args = o["args"] ?? o["arguments"]
            else { return nil }
            var call: [(key: String, value: JSONValue)] = []
            if let id = o["id"], !id.isNull { call.append(("id", id)) }
            call.append(("type", .string("function")))
            call.append(("function", .object(JSONObject([("name", .string(name)), ("arguments", args)]))))
            calls.append(.object(JSONObject(call)))
        }
        return calls
    }

    // MARK: Output

    /// The span output from a `data.output` event's attributes.
    static func output(_ attributes: JSONObject, modelCall: Bool, failed: Bool) -> JSONValue? {
        guard let value = attributes["response"] ?? attributes["output"], !value.isNull else { return nil }
        guard modelCall else { return unwrappedText(loose(value)) }
        let parsed: JSONValue
        if case .string(let text) = value {
            guard !text.isEmpty else { return nil }
            guard let p = OTelEmbeddedJSON.parse(text, scalars: false) else {
                // Plain text: the reply, or the error text of a failed call.
                return failed ? value : .object(JSONObject([("role", .string("assistant")), ("content", value)]))
            }
            parsed = p
        } else {
            parsed = value
        }
        if case .object(let o) = parsed {
            if case .array(let tools)? = o["tools"], o.count == 1 {
                let calls: [JSONValue] = tools.compactMap { tool in
                    guard case .object(let t) = tool, case .string(let name)? = t["tool_name"] else { return nil }
                    var call: [(key: String, value: JSONValue)] = []
                    if let id = t["tool_id"], !id.isNull { call.append(("id", id)) }
                    call.append(("type", .string("function")))
                    call.append(
                        (
                            "function",
                            .object(
                                JSONObject([("name", .string(name)), ("arguments", t["tool_arguments"] ?? .string(""))])
                            )
                        ))
                    return .object(JSONObject(call))
                }
                if !calls.isEmpty {
                    return .object(JSONObject([("role", .string("assistant")), ("tool_calls", .array(calls))]))
                }
            }
            if o.count == 1, let member = o.members.first, let role = role(member.key) {
                return roleMessage(role, member.value).map { .object($0) }
            }
        }
        return parsed
    }

    /// The text of an MCP text content item (`{"type": "text", "text": …, "annotations", "meta"}`),
    /// JSON text parsed; other values as they are.
    static func unwrappedText(_ value: JSONValue) -> JSONValue {
        guard case .object(let o) = value, o["type"]?.stringValue == "text", case .string(let text)? = o["text"],
            o.members.allSatisfy({ ["type", "text", "annotations", "meta"].contains($0.key) })
        else { return value }
        return loose(.string(text))
    }

    /// A value whose text is JSON (an object or array) parsed; anything else as written.
    static func loose(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value, let parsed = OTelEmbeddedJSON.parse(text, scalars: false) { return parsed }
        return value
    }
}
