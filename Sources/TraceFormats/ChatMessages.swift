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
