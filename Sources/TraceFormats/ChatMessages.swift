import TraceJSON

/// Normalizes the chat message shapes agent platforms record (OpenAI Chat Completions, the
/// OpenAI Responses API, LangChain's serialized and dict messages) into the normalized message
/// shape: `{"role", "content", "name"?, "tool_calls"?, "tool_call_id"?}`.
///
/// Every function is shallow (a fixed number of levels), so deep input cannot exhaust the stack,
/// and a value that is not recognized is returned unchanged.
enum ChatMessages {
    // MARK: - Model call input and output

    /// A model call's input as `{"messages": [...], <request parameters>…}`, or `value` unchanged
    /// when it holds no recognizable messages.
    ///
    /// - Parameters:
    ///   - value: The recorded input: a message list, a LangChain batch of message lists, a
    ///     request object with `messages` (or `input`/`instructions`, or `prompts`), or a prompt.
    ///   - parameters: Request parameters to show beside the messages; null members are dropped.
    static func input(_ value: JSONValue, parameters: JSONObject = JSONObject()) -> JSONValue {
        var extras = JSONObject()
        var list: [JSONValue]? = nil
        switch value {
        case .string(let text):
            list = [.object(message(role: "user", content: .string(text)))]
        case .array(let items):
            list = messageList(items) ?? batchMessageList(items)
        case .object(let o):
            if let lc = langChainClass(o), lc == "ChatPromptValue" || lc == "StringPromptValue" {
                list = promptValueMessages(o)
            } else if case .array(let items)? = o["messages"] {
                list = messageList(items) ?? batchMessageList(items)
                if list != nil {
                    var prefix: [JSONValue] = []
                    if case .string(let system)? = o["system"] {
                        prefix.append(.object(message(role: "system", content: .string(system))))
                    }
                    list = prefix + list!
                    extras = dropping(o, ["messages", "system"])
                }
            } else if o["input"] != nil, o["model"] != nil || o["instructions"] != nil {
                var prefix: [JSONValue] = []
                if case .string(let instructions)? = o["instructions"] {
                    prefix.append(.object(message(role: "system", content: .string(instructions))))
                }
                switch o["input"] {
                case .string(let text)?:
                    list = prefix + [.object(message(role: "user", content: .string(text)))]
                case .array(let items)?:
                    if let messages = messageList(items) { list = prefix + messages }
                default: break
                }
                if list != nil { extras = dropping(o, ["input", "instructions"]) }
            } else if case .array(let prompts)? = o["prompts"], !prompts.isEmpty,
                prompts.allSatisfy({ $0.stringValue != nil })
            {
                list = prompts.map { .object(message(role: "user", content: $0)) }
                extras = dropping(o, ["prompts"])
            } else if let single = message(value) {
                list = [.object(single)]
            }
        default:
            break
        }
        guard let list else { return value }
        var result = JSONObject([("messages", .array(list))])
        for member in extras.members + parameters.members where !isEmpty(member.value) {
            if result[member.key] == nil { result.members.append(member) }
        }
        return .object(result)
    }

    /// A model call's output as one assistant message (or an array of them), with the members of
    /// a completion object that are not messages (`id`, `model`, `finish_reason`, `usage`…) apart;
    /// `value` unchanged, with no details, when it holds no recognizable message.
    static func output(_ value: JSONValue) -> (output: JSONValue, details: JSONObject) {
        switch value {
        case .array(let items):
            if let choices = choiceMessages(items) { return (single(choices.messages), choices.details) }
            if let messages = messageList(items) { return (single(messages), JSONObject()) }
            if let batch = batchMessageList(items) { return (single(batch), JSONObject()) }
            return (value, JSONObject())
        case .object(let o):
            if case .array(let choices)? = o["choices"], let found = choiceMessages(choices) {
                var details = dropping(o, ["choices"])
                details.members.append(contentsOf: found.details.members)
                return (single(found.messages), details)
            }
            if case .array(let generations)? = o["generations"], let found = generationMessages(generations) {
                return (single(found), dropping(o, ["generations"]))
            }
            if case .array(let items)? = o["output"], o["object"]?.stringValue == "response" || o["status"] != nil,
                let messages = messageList(items)
            {
                return (single(messages), dropping(o, ["output"]))
            }
            if let lc = langChainClass(o), lc == "ChatPromptValue" {
                let messages = promptValueMessages(o) ?? []
                return messages.isEmpty ? (value, JSONObject()) : (single(messages), JSONObject())
            }
            if case .array(let items)? = o["messages"], let messages = messageList(items) {
                return (single(messages), dropping(o, ["messages"]))
            }
            if let m = message(value) { return (.object(m), JSONObject()) }
            return (value, JSONObject())
        default:
            return (value, JSONObject())
        }
    }

    /// `value` with LangChain serialized messages and prompt values (recorded as the input or
    /// output of any step) replaced by normalized messages; other values unchanged.
    static func normalizeLangChain(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            guard let lc = langChainClass(o) else {
                if o["lc"] == nil, case .array(let items)? = o["messages"], items.contains(where: isLangChainMessage),
                    let messages = messageList(items)
                {
                    var result = o
                    if let i = result.members.lastIndex(where: { $0.key == "messages" }) {
                        result.members[i].value = .array(messages)
                    }
                    return .object(result)
                }
                return value
            }
            if lc == "ChatPromptValue" || lc == "StringPromptValue" {
                if let messages = promptValueMessages(o) {
                    return .object(JSONObject([("messages", .array(messages))]))
                }
                return value
            }
            if let m = message(value) { return .object(m) }
            return value
        case .array(let items):
            guard items.contains(where: isLangChainMessage) else {
                if let first = items.first, case .array(let inner) = first, inner.contains(where: isLangChainMessage),
                    let batch = batchMessageList(items)
                {
                    return .object(JSONObject([("messages", .array(batch))]))
                }
                return value
            }
            if let messages = messageList(items) { return .object(JSONObject([("messages", .array(messages))])) }
            return value
        default:
            return value
        }
    }

    // MARK: - Message lists

    /// Normalized messages for `items`, or `nil` unless every item is a message (or a Responses
    /// API item) and at least one is a real message.
    static func messageList(_ items: [JSONValue]) -> [JSONValue]? {
        guard !items.isEmpty else { return nil }
        var result: [JSONValue] = []
        result.reserveCapacity(items.count)
        var sawMessage = false
        for item in items {
            if let m = message(item) {
                result.append(.object(m))
                sawMessage = true
            } else if case .object(let o) = item, o["type"]?.stringValue != nil, o["role"] == nil {
                // Another Responses API item (web search call, computer call…): shown as a part.
                result.append(.object(message(role: "assistant", content: .array([item]))))
            } else {
                return nil
            }
        }
        return sawMessage ? result : nil
    }

    /// The messages of a LangChain batch (`[[message, …], …]`), concatenated; `nil` otherwise.
    static func batchMessageList(_ items: [JSONValue]) -> [JSONValue]? {
        guard !items.isEmpty else { return nil }
        var result: [JSONValue] = []
        for item in items {
            guard case .array(let inner) = item, let messages = messageList(inner) else { return nil }
            result.append(contentsOf: messages)
        }
        return result
    }

    /// The messages of Chat Completions `choices`, with a single choice's `finish_reason`.
    private static func choiceMessages(_ choices: [JSONValue]) -> (messages: [JSONValue], details: JSONObject)? {
        guard !choices.isEmpty else { return nil }
        var messages: [JSONValue] = []
        var details = JSONObject()
        for choice in choices {
            guard case .object(let c) = choice else { return nil }
            if let m = c["message"].flatMap(message) {
                messages.append(.object(m))
            } else if case .string(let text)? = c["text"] {
                messages.append(.object(message(role: "assistant", content: .string(text))))
            } else {
                return nil
            }
            if choices.count == 1, let reason = c["finish_reason"] {
                // Streaming wrappers may record the whole final chunk here.
                let text = reason.stringValue ?? reason["finish_reason"]?.stringValue
                if let text { details.members.append(("finish_reason", .string(text))) }
            }
        }
        return (messages, details)
    }

    /// The messages of LangChain `generations` (`[[{"text", "message"}…]…]`).
    private static func generationMessages(_ generations: [JSONValue]) -> [JSONValue]? {
        var messages: [JSONValue] = []
        for batch in generations {
            let items: [JSONValue] = batch.arrayValue ?? [batch]
            for item in items {
                guard case .object(let g) = item else { return nil }
                if let m = g["message"].flatMap(message) {
                    messages.append(.object(m))
                } else if case .string(let text)? = g["text"] {
                    messages.append(.object(message(role: "assistant", content: .string(text))))
                } else {
                    return nil
                }
            }
        }
        return messages.isEmpty ? nil : messages
    }

    /// The messages of a serialized LangChain `ChatPromptValue` or `StringPromptValue`.
    private static func promptValueMessages(_ o: JSONObject) -> [JSONValue]? {
        let kwargs = o["kwargs"]?.objectValue ?? JSONObject()
        if case .array(let items)? = kwargs["messages"] { return messageList(items) }
        if case .string(let text)? = kwargs["text"] { return [.object(message(role: "user", content: .string(text)))] }
        return nil
    }

    // MARK: - One message

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

    private static func single(_ messages: [JSONValue]) -> JSONValue {
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

    private static func isLangChainMessage(_ value: JSONValue) -> Bool {
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

    // MARK: - Helpers

    /// `o` without the keys in `keys` and without null or empty members.
    static func dropping(_ o: JSONObject, _ keys: Set<String>) -> JSONObject {
        JSONObject(o.members.filter { !keys.contains($0.key) && !isEmpty($0.value) })
    }

    /// The value of JSON text, or `nil` when `text` is not exactly one JSON value.
    static func parsedJSON(_ text: String) -> JSONValue? {
        let parsed = JSONStreamParser.parse(Array(text.utf8))
        guard parsed.errors.isEmpty, parsed.records.count == 1 else { return nil }
        return parsed.records[0].value
    }

    /// Whether `value` is null, an empty array or an empty object.
    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .array(let a): a.isEmpty
        case .object(let o): o.isEmpty
        default: false
        }
    }
}

/// Normalizes retrieved documents (LangChain `Document`s, `{"documents": [...]}` lists) into
/// `{"documents": [{"id", "content", "score", "metadata"}]}`.
enum RetrievedDocuments {
    /// The normalized documents in `value`, or `nil` when it holds none.
    static func normalize(_ value: JSONValue) -> JSONValue? {
        let items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o):
            guard case .array(let a)? = o["documents"] ?? o["output"] else { return nil }
            items = a
        default: return nil
        }
        guard !items.isEmpty else { return nil }
        var documents: [JSONValue] = []
        for item in items {
            guard case .object(var d) = item else { return nil }
            if ChatMessages.langChainClass(d) == "Document", case .object(let k)? = d["kwargs"] { d = k }
            guard let content = d["page_content"] ?? d["pageContent"] ?? d["content"] ?? d["text"] else { return nil }
            let metadata = d["metadata"]?.objectValue ?? JSONObject()
            var doc = JSONObject()
            if let id = d["id"] ?? metadata["id"], !id.isNull { doc.members.append(("id", id)) }
            doc.members.append(("content", content))
            if let score = d["score"] ?? metadata["score"] ?? metadata["relevance_score"], case .number = score {
                doc.members.append(("score", score))
            }
            if !metadata.isEmpty { doc.members.append(("metadata", .object(metadata))) }
            documents.append(.object(doc))
        }
        return .object(JSONObject([("documents", .array(documents))]))
    }
}
