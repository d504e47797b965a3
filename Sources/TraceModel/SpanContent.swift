public import TraceJSON

/// A span's input or output: the value as recorded, and what it holds, read once when the
/// span is decoded.
///
/// Every adapter writes a span's input and output in the native format's shape (see
/// `docs/trace-format.md`, "Messages, tool calls and documents"); this is the one place that
/// reads that shape. Later stages use ``form`` and never look for a message in JSON again.
public struct SpanContent: Sendable, Equatable {
    /// The value as recorded (after the adapter's normalization).
    public let value: JSONValue
    /// What the value holds.
    public let form: Form

    /// What a span's input or output holds.
    public enum Form: Sendable, Equatable {
        /// Chat messages, with the other members of the object that held them (request
        /// parameters, a completion's id and finish reason); `nil` when the messages were the
        /// whole value.
        case chat([ChatMessage], otherFields: JSONObject?)
        /// Retrieved documents.
        case documents([RetrievedDocument])
        /// One text.
        case text(String)
        /// Any other value, shown as recorded.
        case json
    }

    /// Reads `value`, the input or output of a span of `kind`.
    ///
    /// Documents are recognised in the output of retrieval, memory and embedding steps, or in
    /// any `{"documents": […]}` object.
    public init(_ value: JSONValue, kind: SpanKind) {
        self.value = value
        if let chat = ContentReader.chat(in: value) {
            form = .chat(chat.messages, otherFields: chat.otherFields)
        } else if let documents = ContentReader.documents(in: value, kind: kind) {
            form = .documents(documents)
        } else if case .string(let text) = value {
            form = .text(text)
        } else {
            form = .json
        }
    }

    /// The chat messages, if the value holds any.
    public var messages: [ChatMessage]? {
        if case .chat(let messages, _) = form { return messages }
        return nil
    }
}

/// The native format's reading of messages, tool calls and documents.
///
/// Every function is shallow (a fixed number of levels), so deep input cannot exhaust the
/// stack.
enum ContentReader {
    /// The messages in `value` and, for a `{"messages": …}` or `{"choices": …}` object, its
    /// other members.
    static func chat(in value: JSONValue) -> (messages: [ChatMessage], otherFields: JSONObject?)? {
        switch value {
        case .array(let items):
            return messageList(items).map { ($0, nil) }
        case .object(let o):
            if case .array(let items)? = o["messages"], let messages = messageList(items) {
                return (messages, JSONObject(o.members.filter { $0.key != "messages" }))
            }
            if case .array(let choices)? = o["choices"] {
                var messages: [ChatMessage] = []
                for choice in choices {
                    guard case .object(let m)? = choice["message"] ?? choice["delta"], isMessage(m) else { return nil }
                    messages.append(message(m))
                }
                if messages.isEmpty { return nil }
                return (messages, JSONObject(o.members.filter { $0.key != "choices" }))
            }
            if isMessage(o) { return ([message(o)], nil) }
            return nil
        default:
            return nil
        }
    }

    private static func messageList(_ items: [JSONValue]) -> [ChatMessage]? {
        guard !items.isEmpty else { return nil }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for item in items {
            guard case .object(let o) = item, isMessage(o) else { return nil }
            messages.append(message(o))
        }
        return messages
    }

    /// Whether `o` is a message: a string `role` and content, parts or tool calls.
    private static func isMessage(_ o: JSONObject) -> Bool {
        guard case .string? = o["role"] else { return false }
        return o["content"] != nil || o["tool_calls"] != nil || o["function_call"] != nil || o["parts"] != nil
    }

    private static func message(_ m: JSONObject) -> ChatMessage {
        let content: MessageContent
        switch m["content"] ?? m["parts"] {
        case nil, .null?: content = .none
        case .string(let text)?: content = .text(text)
        case .array(let parts)?: content = .parts(parts.map(part))
        case let other?: content = .value(other)
        }
        var calls: [ToolCall] = []
        if case .array(let items)? = m["tool_calls"] { calls = items.map(toolCall) }
        if let call = m["function_call"], case .object = call {
            calls.append(toolCall(.object(JSONObject([("function", call)]))))
        }
        return ChatMessage(
            role: m["role"]?.stringValue ?? "message", name: m["name"]?.stringValue, content: content,
            toolCalls: calls, toolCallID: m["tool_call_id"]?.stringValue, recorded: m)
    }

    private static func part(_ part: JSONValue) -> MessagePart {
        switch part {
        case .string(let text):
            return .text(text)
        case .object(let o):
            let type = o["type"]?.stringValue ?? ""
            if let text = (o["text"] ?? o["content"])?.stringValue,
                type == "text" || type == "input_text" || type == "output_text" || type == "reasoning" || type.isEmpty
            {
                return type == "reasoning" ? .reasoning(text) : .text(text)
            }
            switch type {
            case "tool_call", "tool_use", "function_call":
                return .toolCall(toolCall(part))
            case "tool_result", "function_call_output":
                let id = (o["tool_use_id"] ?? o["call_id"] ?? o["tool_call_id"])?.stringValue
                return .toolResult(ToolResult(callID: id, isError: o["is_error"] == .bool(true), recorded: o))
            case "image", "image_url", "input_image":
                let url = (o["image_url"]?["url"] ?? o["image_url"] ?? o["url"] ?? o["source"]?["url"])?.stringValue
                let mediaType = (o["source"]?["media_type"] ?? o["media_type"] ?? o["mime_type"])?.stringValue
                return .image(ImageReference(url: url, mediaType: mediaType, recorded: o))
            default:
                return .other(type: type, value: part)
            }
        default:
            return .value(part)
        }
    }

    /// A tool call in the OpenAI shape (`{"id", "function": {"name", "arguments"}}`) or with
    /// `name` and `arguments`, `input` or `args` beside the id.
    static func toolCall(_ call: JSONValue) -> ToolCall {
        let function = call["function"]
        return ToolCall(
            id: call["id"]?.stringValue,
            name: function?["name"]?.stringValue ?? call["name"]?.stringValue,
            arguments: function?["arguments"] ?? call["arguments"] ?? call["input"] ?? call["args"])
    }

    /// The documents in `value`: a list, or the `documents`, `docs` or `results` of an object,
    /// each an object with a text.
    static func documents(in value: JSONValue, kind: SpanKind) -> [RetrievedDocument]? {
        let items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o):
            guard case .array(let a)? = o["documents"] ?? o["docs"] ?? o["results"] else { return nil }
            items = a
        default: return nil
        }
        guard !items.isEmpty, kind == .retrieval || kind == .memory || kind == .embedding || value["documents"] != nil
        else { return nil }
        var documents: [RetrievedDocument] = []
        documents.reserveCapacity(items.count)
        for item in items {
            guard case .object(let d) = item,
                let text = (d["content"] ?? d["page_content"] ?? d["text"] ?? d["document"])?.stringValue
            else { return nil }
            let id: String? =
                switch d["id"] ?? d["document_id"] {
                case .string(let s)?: s
                case .number(let n)?: n.text
                default: nil
                }
            documents.append(
                RetrievedDocument(
                    id: id, score: (d["score"] ?? d["relevance_score"])?.numberValue, text: text,
                    otherFields: JSONObject(d.members.filter { !documentKeys.contains($0.key) })))
        }
        return documents
    }

    private static let documentKeys: Set<String> = [
        "id", "document_id", "score", "relevance_score", "content", "page_content", "text", "document",
    ]
}
