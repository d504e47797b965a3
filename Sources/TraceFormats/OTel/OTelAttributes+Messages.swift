import TraceJSON

/// Chat messages, tool calls and retrieved documents read from attribute values in the shapes instrumentations write.
extension OTelAttributes {
    /// The normalized messages in `value`: an array of messages, one message, an object with
    /// `messages` or `choices`, or JSON text holding one of these. Messages may be written in
    /// the GenAI `parts` form, the OpenAI form (`content`, `tool_calls`), the Vercel AI SDK
    /// form (`tool-call`/`tool-result` parts), the Anthropic form (`tool_use`/`tool_result`),
    /// or as OpenInference `message.*` objects. A string that is not JSON becomes one message
    /// with `defaultRole`. `nil` when `value` holds no messages.
    static func messages(_ value: JSONValue, defaultRole: String) -> [JSONValue]? {
        let value = structured(value)
        switch value {
        case .string(let s):
            return [.object(JSONObject([("role", .string(defaultRole)), ("content", .string(s))]))]
        case .array(let items):
            var result: [JSONValue] = []
            for item in items {
                switch item {
                case .object(let o):
                    guard isMessageLike(o) else { return nil }
                    result += normalizedMessage(o, defaultRole: defaultRole).map(JSONValue.object)
                case .string(let s):
                    result.append(.object(JSONObject([("role", .string(defaultRole)), ("content", .string(s))])))
                default:
                    return nil
                }
            }
            return result.isEmpty ? nil : result
        case .object(let o):
            if case .array(let items)? = o["messages"] { return messages(.array(items), defaultRole: defaultRole) }
            if case .array(let items)? = o["choices"] { return messages(.array(items), defaultRole: "assistant") }
            if isMessageLike(o) { return normalizedMessage(o, defaultRole: defaultRole).map(JSONValue.object) }
            if case .string(let text)? = o["text"] {
                // `{"text": …, "finish_reason": …}`, as deprecated GenAI completions write it.
                var members: [(key: String, value: JSONValue)] = [
                    ("role", .string(defaultRole)), ("content", .string(text)),
                ]
                if let reason = o["finish_reason"] { members.append(("finish_reason", reason)) }
                return [.object(JSONObject(members))]
            }
            return nil
        default:
            return nil
        }
    }

    /// An LLM input in the normalized shape: `{"messages": […]}` with a request's other
    /// members (model, temperature…) kept beside the messages; `nil` when `value` holds no
    /// messages.
    static func chatInput(_ value: JSONValue) -> JSONValue? {
        let value = structured(value)
        guard let list = messages(value, defaultRole: "user") else { return nil }
        var members: [(key: String, value: JSONValue)] = [("messages", .array(list))]
        if case .object(let o) = value, o["messages"] != nil {
            members += o.members.filter { $0.key != "messages" }
        }
        return .object(JSONObject(members))
    }

    /// An LLM output in the normalized shape: one message, or an array when there are several.
    /// `nil` for values holding no messages, and for whole chat-completion responses
    /// (`{"choices": …, "usage": …}`), which are shown as recorded so their other fields stay.
    static func chatOutput(_ value: JSONValue) -> JSONValue? {
        let value = structured(value)
        if case .object(let o) = value, o["choices"] != nil { return nil }
        guard let list = messages(value, defaultRole: "assistant") else { return nil }
        return list.count == 1 ? list[0] : .array(list)
    }

    /// Whether an object looks like one chat message in any supported shape.
    static func isMessageLike(_ o: JSONObject) -> Bool {
        if o["role"] != nil || o["parts"] != nil || o["tool_calls"] != nil { return true }
        if case .object(let m)? = o["message"],
            m["role"] != nil || m["content"] != nil || m["contents"] != nil || m["tool_calls"] != nil
        {
            return true
        }
        return false
    }

    /// One source message as normalized messages: usually one, but tool results written as
    /// parts of one message become one `tool` message each.
    static func normalizedMessage(_ message: JSONObject, defaultRole: String) -> [JSONObject] {
        var source = message
        var finishReason = message["finish_reason"]
        if message["role"] == nil, message["content"] == nil, message["parts"] == nil,
            case .object(let inner)? = message["message"]
        {
            // An OpenInference `message.*` object, or a `gen_ai.choice` / OpenAI choice body.
            source = inner
            finishReason = finishReason ?? inner["finish_reason"]
        } else if message["role"] == nil, message["content"] == nil, message["parts"] == nil,
            case .string(let text)? = message["message"]
        {
            // strands' `gen_ai.choice` event: `message` is the text, or JSON text of content blocks.
            source = JSONObject(message.members.filter { $0.key != "message" } + [("content", .string(text))])
        }
        let role = text(source["role"]) ?? defaultRole
        var parts: [JSONValue] = []
        var calls: [JSONValue] = []
        var responses: [(id: String?, content: JSONValue)] = []

        func addText(_ s: String) {
            guard !s.isEmpty else { return }
            parts.append(.object(JSONObject([("type", .string("text")), ("text", .string(s))])))
        }
        func addItem(_ item: JSONValue) {
            switch item {
            case .string(let s):
                if let blocks = contentBlocks(s) {
                    for block in blocks { addItem(block) }
                } else {
                    addText(s)
                }
            case .object(var o):
                if case .object(let inner)? = o["message_content"] { o = inner }
                if o["type"] == nil {
                    // Bedrock Converse blocks, as strands writes them: the block's kind is its key.
                    if case .object(let use)? = o["toolUse"] {
                        calls.append(toolCall(id: use["toolUseId"], name: use["name"], arguments: use["input"]))
                        return
                    }
                    if case .object(let result)? = o["toolResult"] {
                        responses.append((text(result["toolUseId"]), .string(blockText(result["content"] ?? .null))))
                        return
                    }
                    if case .object(let reasoning)? = o["reasoningContent"] {
                        let t = string(reasoning["reasoningText"]?["text"] ?? reasoning["text"]) ?? ""
                        if !t.isEmpty {
                            parts.append(.object(JSONObject([("type", .string("reasoning")), ("text", .string(t))])))
                        }
                        return
                    }
                    if let json = o["json"], o.count == 1 {
                        addText(contentText(json))
                        return
                    }
                    if o["cachePoint"] != nil, o.count == 1 { return }
                    for kind in ["image", "document", "video"] where o[kind] != nil && o.count == 1 {
                        parts.append(
                            .object(JSONObject([("type", .string(kind))] + (o[kind]?.objectValue?.members ?? []))))
                        return
                    }
                }
                let type = (o["type"]?.stringValue ?? (o["text"] != nil ? "text" : "")).lowercased()
                switch type {
                case "text", "input_text", "output_text":
                    addText(string(o["text"] ?? o["content"]) ?? "")
                case "reasoning", "thinking":
                    let t = string(o["content"] ?? o["text"] ?? o["thinking"] ?? o["reasoning"]) ?? ""
                    if !t.isEmpty {
                        parts.append(.object(JSONObject([("type", .string("reasoning")), ("text", .string(t))])))
                    }
                case "tool_call", "tool-call", "tool_use", "function_call":
                    calls.append(
                        toolCall(
                            id: o["call_id"] ?? o["id"] ?? o["toolCallId"],
                            name: o["name"] ?? o["toolName"],
                            arguments: o["arguments"] ?? o["input"] ?? o["args"]
                        )
                    )
                case "tool_call_response", "tool-result", "tool_result", "function_call_output":
                    let id = string(o["id"] ?? o["toolCallId"] ?? o["tool_use_id"] ?? o["call_id"])
                    let content = unwrappedResult(o["response"] ?? o["output"] ?? o["result"] ?? o["content"] ?? .null)
                    responses.append((id, content))
                default:
                    parts.append(.object(o))
                }
            case .null:
                break
            default:
                addText(string(item) ?? "")
            }
        }
        func addContent(_ value: JSONValue?) {
            switch value {
            case nil, .null?: break
            case .array(let items)?: for item in items { addItem(item) }
            case let other?: addItem(other)
            }
        }
        addContent(source["parts"])
        addContent(source["content"])
        addContent(source["contents"])
        if case .array(let items)? = source["tool_calls"] {
            for item in items {
                guard case .object(var c) = item else { continue }
                if case .object(let inner)? = c["tool_call"] { c = inner }
                let function = c["function"]
                calls.append(
                    toolCall(
                        id: c["id"] ?? c["toolCallId"],
                        name: function?["name"] ?? c["name"] ?? c["toolName"],
                        arguments: function?["arguments"] ?? c["arguments"] ?? c["args"] ?? c["input"]
                    )
                )
            }
        }
        if case .object(let f)? = source["function_call"] {
            calls.append(toolCall(id: nil, name: f["name"], arguments: f["arguments"]))
        }
        if let name = source["function_call_name"] {
            calls.append(toolCall(id: nil, name: name, arguments: source["function_call_arguments_json"]))
        }
        var toolCallID = text(source["tool_call_id"]) ?? text(source["toolCallId"])
        if toolCallID == nil, role == "tool" { toolCallID = text(source["id"]) }

        var result: [JSONObject] = []
        let hasOwnContent = !parts.isEmpty || !calls.isEmpty
        if hasOwnContent || responses.isEmpty {
            var members: [(key: String, value: JSONValue)] = [("role", .string(role))]
            if let content = normalizedContent(parts) {
                members.append(("content", content))
            } else if calls.isEmpty {
                members.append(("content", .string("")))
            }
            if let name = text(source["name"]) { members.append(("name", .string(name))) }
            if !calls.isEmpty { members.append(("tool_calls", .array(calls))) }
            if let toolCallID, responses.isEmpty { members.append(("tool_call_id", .string(toolCallID))) }
            if let finishReason, !finishReason.isNull { members.append(("finish_reason", finishReason)) }
            result.append(JSONObject(members))
        }
        for response in responses {
            var members: [(key: String, value: JSONValue)] = [
                ("role", .string("tool")), ("content", .string(contentText(response.content))),
            ]
            if let id = response.id ?? (responses.count == 1 ? toolCallID : nil) {
                members.append(("tool_call_id", .string(id)))
            }
            result.append(JSONObject(members))
        }
        return result
    }

    /// Keys that name a content block's kind in Bedrock Converse (and strands) messages.
    static let blockKeys: Set<String> = [
        "text", "toolUse", "toolResult", "reasoningContent", "image", "document", "video", "json", "cachePoint",
    ]

    /// The blocks held in `text` when it is JSON text of an array of content blocks (typed
    /// blocks such as `{"type": "text", …}`, or Bedrock blocks such as `{"text": …}` and
    /// `{"toolUse": …}`); `nil` for any other text, which stays text.
    static func contentBlocks(_ text: String) -> [JSONValue]? {
        guard let first = text.utf8.first(where: { !isSpace($0) }), first == UInt8(ascii: "["),
            case .array(let items)? = parseJSON(text), !items.isEmpty
        else { return nil }
        for item in items {
            guard case .object(let o) = item else { return nil }
            if case .string? = o["type"] { continue }
            guard o.count == 1 || o["text"] != nil, o.members.contains(where: { blockKeys.contains($0.key) }) else {
                return nil
            }
        }
        return items
    }

    /// The text of a tool result's content: text blocks joined, JSON blocks as JSON.
    static func blockText(_ value: JSONValue) -> String {
        guard case .array(let items) = value else { return contentText(unwrappedResult(value)) }
        var pieces: [String] = []
        for item in items {
            if case .string(let t)? = item["text"] {
                pieces.append(t)
            } else if let json = item["json"] {
                pieces.append(contentText(json))
            } else {
                pieces.append(contentText(item))
            }
        }
        return pieces.joined(separator: "\n")
    }

    /// Content parts as normalized content: one text as a string, otherwise the parts.
    private static func normalizedContent(_ parts: [JSONValue]) -> JSONValue? {
        if parts.isEmpty { return nil }
        if parts.count == 1, parts[0]["type"]?.stringValue == "text", let t = parts[0]["text"] { return t }
        return .array(parts)
    }

    /// A tool call in the normalized shape; arguments written as JSON text are parsed.
    static func toolCall(id: JSONValue?, name: JSONValue?, arguments: JSONValue?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let id = text(id) { members.append(("id", .string(id))) }
        members.append(("type", .string("function")))
        var function: [(key: String, value: JSONValue)] = [("name", .string(string(name) ?? ""))]
        if let arguments, !arguments.isNull { function.append(("arguments", structured(arguments))) }
        members.append(("function", .object(JSONObject(function))))
        return .object(JSONObject(members))
    }

    /// A tool result with the Vercel AI SDK's `{"type": "text"|"json", "value": …}` wrapper
    /// removed.
    static func unwrappedResult(_ value: JSONValue) -> JSONValue {
        if case .object(let o) = value, o.count == 2, o["type"]?.stringValue != nil, let inner = o["value"] {
            return inner
        }
        return value
    }

    /// A retrieved document in the normalized shape `{"id","content","score","metadata"}`, read
    /// from objects that name the text `content`, `text`, `page_content` or `document`.
    static func document(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else {
            return .object(JSONObject([("content", .string(contentText(value)))]))
        }
        if case .object(let inner)? = o["document"] { o = inner }
        var members: [(key: String, value: JSONValue)] = []
        if let id = o["id"] ?? o["document_id"], !id.isNull { members.append(("id", id)) }
        if let content = o["content"] ?? o["text"] ?? o["page_content"] ?? o["document"] {
            members.append(("content", .string(contentText(content))))
        }
        if let score = o["score"] ?? o["relevance_score"], !score.isNull {
            if case .string(let s) = score, double(score) != nil {
                members.append(("score", .number(JSONNumber(text: s.trimmingSpaces()))))
            } else {
                members.append(("score", score))
            }
        }
        if let metadata = o["metadata"], !metadata.isNull { members.append(("metadata", structured(metadata))) }
        let known: Set<String> = [
            "id", "document_id", "content", "text", "page_content", "document", "score", "relevance_score", "metadata",
        ]
        members += o.members.filter { !known.contains($0.key) }
        return .object(JSONObject(members))
    }
}
