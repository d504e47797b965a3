import TraceJSON

/// One chat message in any of the known shapes, and the roles its writers use.
extension ChatMessages {
    /// The normalized form of one message in any of the known shapes, or `nil`.
    static func message(_ value: JSONValue) -> JSONObject? {
        guard case .object(let o) = value else { return nil }
        if let lc = langChainClass(o) {
            guard let role = langChainRole(className: lc, kwargs: o["kwargs"]?.objectValue) else { return nil }
            return langChainMessage(o["kwargs"]?.objectValue ?? JSONObject(), role: role)
        }
        if let role = o["role"]?.stringValue {
            if o["type"]?.stringValue == "message" || o["content"] != nil || o["tool_calls"] != nil
                || o["function_call"] != nil || o["tool_call_id"] != nil || o["refusal"] != nil
            {
                return openAIMessage(o, role: role)
            }
            return nil
        }
        guard let type = o["type"]?.stringValue else { return nil }
        switch type {
        case "function_call", "custom_tool_call":
            var call = JSONObject()
            if let id = (o["call_id"] ?? o["id"])?.stringValue { call.members.append(("id", .string(id))) }
            call.members.append(("type", .string("function")))
            var function = JSONObject([("name", o["name"] ?? .string("tool"))])
            function.members.append(("arguments", o["arguments"] ?? o["input"] ?? .string("")))
            call.members.append(("function", .object(function)))
            return JSONObject([
                ("role", .string("assistant")), ("content", .null), ("tool_calls", .array([.object(call)])),
            ])
        case "function_call_output", "custom_tool_call_output":
            var m = JSONObject([("role", .string("tool"))])
            if let id = o["call_id"]?.stringValue { m.members.append(("tool_call_id", .string(id))) }
            m.members.append(("content", contentValue(o["output"] ?? .string(""))))
            return m
        case "reasoning":
            var texts: [JSONValue] = []
            for part in o["summary"]?.arrayValue ?? [] {
                if let text = part["text"]?.stringValue { texts.append(.object(textPart(text, type: "reasoning"))) }
            }
            for part in o["content"]?.arrayValue ?? [] {
                if let text = part["text"]?.stringValue { texts.append(.object(textPart(text, type: "reasoning"))) }
            }
            guard !texts.isEmpty else { return nil }
            return JSONObject([("role", .string("assistant")), ("content", .array(texts))])
        default:
            // LangChain `message.dict()` / `messages_to_dict` shapes.
            guard let role = langChainRole(type: type, data: o["data"]?.objectValue) else { return nil }
            if case .object(let data)? = o["data"] { return langChainMessage(data, role: role) }
            guard o["content"] != nil else { return nil }
            return langChainMessage(o, role: role)
        }
    }

    /// A message with a role and content.
    static func message(role: String, content: JSONValue) -> JSONObject {
        JSONObject([("role", .string(role)), ("content", content)])
    }

    /// An OpenAI Chat Completions (or Responses API `message`) message, normalized.
    private static func openAIMessage(_ o: JSONObject, role: String) -> JSONObject {
        var m = JSONObject([("role", .string(normalizedRole(role)))])
        var content = o["content"].map(contentValue) ?? .null
        if content.isNull, case .string(let refusal)? = o["refusal"] { content = .string(refusal) }
        var calls: [JSONValue] = []
        if case .array(let items)? = o["tool_calls"] { calls = items.compactMap(toolCall) }
        if calls.isEmpty, case .object(let fc)? = o["function_call"] {
            calls = [.object(JSONObject([("type", .string("function")), ("function", .object(fc))]))]
        }
        if content.isNull && calls.isEmpty { content = .string("") }
        m.members.append(("content", content))
        if case .string(let name)? = o["name"] { m.members.append(("name", .string(name))) }
        if !calls.isEmpty { m.members.append(("tool_calls", .array(calls))) }
        if case .string(let id)? = o["tool_call_id"] { m.members.append(("tool_call_id", .string(id))) }
        let handled: Set<String> = [
            "role", "content", "name", "tool_calls", "function_call", "tool_call_id", "refusal", "type", "id", "status",
        ]
        for member in o.members where !handled.contains(member.key) && !isEmpty(member.value) {
            m.members.append(member)
        }
        if case .string(let refusal)? = o["refusal"], content != .string(refusal) {
            m.members.append(("refusal", .string(refusal)))
        }
        return m
    }

    /// A LangChain message's fields (`kwargs` of a serialized message, or a dict message),
    /// normalized.
    private static func langChainMessage(_ k: JSONObject, role: String) -> JSONObject {
        var m = JSONObject([("role", .string(role))])
        var calls: [JSONValue] = []
        if case .array(let items)? = k["tool_calls"] { calls = items.compactMap(toolCall) }
        if calls.isEmpty, case .array(let items)? = k["additional_kwargs"]?["tool_calls"] {
            calls = items.compactMap(toolCall)
        }
        if calls.isEmpty, case .object(let fc)? = k["additional_kwargs"]?["function_call"] {
            calls = [.object(JSONObject([("type", .string("function")), ("function", .object(fc))]))]
        }
        var content = k["content"].map(contentValue) ?? .string("")
        if content.isNull { content = .string("") }
        m.members.append(("content", content))
        if case .string(let name)? = k["name"] { m.members.append(("name", .string(name))) }
        if !calls.isEmpty { m.members.append(("tool_calls", .array(calls))) }
        if case .string(let id)? = k["tool_call_id"] { m.members.append(("tool_call_id", .string(id))) }
        if case .array(let invalid)? = k["invalid_tool_calls"], !invalid.isEmpty {
            m.members.append(("invalid_tool_calls", .array(invalid)))
        }
        return m
    }

    /// A tool call in the normalized shape `{"id", "type": "function", "function": {"name",
    /// "arguments"}}`, from OpenAI, LangChain (`name`/`args`) or Anthropic (`name`/`input`) calls.
    static func toolCall(_ value: JSONValue) -> JSONValue? {
        guard case .object(let c) = value else { return nil }
        var call = JSONObject()
        if case .string(let id)? = c["id"] ?? c["call_id"] { call.members.append(("id", .string(id))) }
        call.members.append(("type", .string("function")))
        if case .object(let f)? = c["function"] {
            var function = JSONObject([("name", f["name"] ?? .string("tool"))])
            function.members.append(("arguments", f["arguments"] ?? .string("")))
            call.members.append(("function", .object(function)))
            return .object(call)
        }
        guard let name = c["name"]?.stringValue else { return nil }
        var function = JSONObject([("name", .string(name))])
        function.members.append(("arguments", c["args"] ?? c["arguments"] ?? c["input"] ?? .object(JSONObject())))
        call.members.append(("function", .object(function)))
        return .object(call)
    }

    /// Content as a string or a list of parts, with Responses API text parts renamed to `text`.
    private static func contentValue(_ value: JSONValue) -> JSONValue {
        guard case .array(let parts) = value else { return value }
        return .array(
            parts.map { part in
                switch part {
                case .string(let text):
                    return .object(textPart(text, type: "text"))
                case .object(let p):
                    let type = p["type"]?.stringValue ?? ""
                    if type == "input_text" || type == "output_text", case .string(let text)? = p["text"] {
                        return .object(textPart(text, type: "text"))
                    }
                    if type == "refusal", case .string(let text)? = p["refusal"] {
                        return .object(textPart(text, type: "text"))
                    }
                    return part
                default:
                    return part
                }
            }
        )
    }

    private static func textPart(_ text: String, type: String) -> JSONObject {
        JSONObject([("type", .string(type)), ("text", .string(text))])
    }

    static func single(_ messages: [JSONValue]) -> JSONValue {
        messages.count == 1 ? messages[0] : .array(messages)
    }

    // MARK: - Roles

    private static func normalizedRole(_ role: String) -> String {
        switch role.lowercased() {
        case "developer": "system"
        case "function": "tool"
        case "human": "user"
        case "ai", "model": "assistant"
        default: role
        }
    }

    /// The class name of a serialized LangChain object (`{"lc": 1, "type": "constructor", "id":
    /// [..., "HumanMessage"]}`).
    static func langChainClass(_ o: JSONObject) -> String? {
        guard o["lc"] != nil, o["type"]?.stringValue == "constructor", case .array(let path)? = o["id"] else {
            return nil
        }
        return path.last?.stringValue
    }

    static func isLangChainMessage(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value, let lc = langChainClass(o) else { return false }
        return lc.hasSuffix("Message") || lc.hasSuffix("MessageChunk")
    }

    private static func langChainRole(className: String, kwargs: JSONObject?) -> String? {
        var name = Substring(className)
        if name.hasSuffix("Chunk") { name = name.dropLast(5) }
        switch name {
        case "HumanMessage": return "user"
        case "AIMessage": return "assistant"
        case "SystemMessage": return "system"
        case "ToolMessage", "FunctionMessage": return "tool"
        case "ChatMessage": return kwargs?["role"]?.stringValue.map(normalizedRole) ?? "user"
        default: return nil
        }
    }

    private static func langChainRole(type: String, data: JSONObject?) -> String? {
        switch type {
        case "human", "HumanMessage", "HumanMessageChunk": return "user"
        case "ai", "AIMessage", "AIMessageChunk": return "assistant"
        case "system", "SystemMessage", "SystemMessageChunk": return "system"
        case "tool", "function", "ToolMessage", "FunctionMessage": return "tool"
        case "chat", "ChatMessage": return data?["role"]?.stringValue.map(normalizedRole) ?? "user"
        default: return nil
        }
    }
}
