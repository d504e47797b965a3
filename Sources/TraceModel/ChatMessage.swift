public import TraceJSON

/// One message of a chat with a model, in any format's shape, read once when its span is
/// decoded.
public struct ChatMessage: Sendable, Equatable {
    /// The author's role as written: `system`, `user`, `assistant`, `tool`, or another.
    public var role: String
    /// The author's name, when recorded (a tool's or a participant's).
    public var name: String?
    /// What the message says.
    public var content: MessageContent
    /// The tools the message calls (`tool_calls`, or a legacy `function_call`), in written
    /// order.
    public var toolCalls: [ToolCall]
    /// The call this message answers, for a tool result message.
    public var toolCallID: String?
    /// The message as recorded. Two messages are the same message when these are equal: a page
    /// shows each once and links its repeats to it.
    public var recorded: JSONObject

    /// Creates a message.
    public init(
        role: String, name: String? = nil, content: MessageContent, toolCalls: [ToolCall] = [],
        toolCallID: String? = nil, recorded: JSONObject
    ) {
        self.role = role
        self.name = name
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.recorded = recorded
    }

    /// The message's text for previews: its content's text, or the names of the tools it
    /// calls; `nil` when it has neither.
    public var previewText: String? {
        switch content {
        case .text(let s) where !s.isEmpty:
            return s
        case .parts(let parts):
            let texts = parts.compactMap(\.previewText)
            if !texts.isEmpty { return texts.joined(separator: " ") }
        default:
            break
        }
        if !toolCalls.isEmpty {
            return "calls " + toolCalls.compactMap(\.name).joined(separator: ", ")
        }
        return nil
    }
}

/// What a message says.
public enum MessageContent: Sendable, Equatable {
    /// No content recorded (a message that only calls tools).
    case none
    /// One text, Markdown where the writer is a model or a person.
    case text(String)
    /// A list of parts: texts, images, tool calls and results, reasoning.
    case parts([MessagePart])
    /// Content of another shape, shown as recorded.
    case value(JSONValue)
}

/// One part of a message's content.
public enum MessagePart: Sendable, Equatable {
    /// Text.
    case text(String)
    /// A model's reasoning or its summary.
    case reasoning(String)
    /// An image, by URL or inline data.
    case image(ImageReference)
    /// A call of a tool made inside the content (Anthropic `tool_use`).
    case toolCall(ToolCall)
    /// A tool's result carried inside the content (Anthropic `tool_result`).
    case toolResult(ToolResult)
    /// A part of another type, shown as recorded.
    case other(type: String, value: JSONValue)
    /// A list item that is not a part object at all, shown as recorded.
    case value(JSONValue)

    /// The part's text for previews.
    public var previewText: String? {
        switch self {
        case .text(let s), .reasoning(let s): s
        case .image(let image): image.recorded.previewText
        case .toolCall: nil
        case .toolResult(let result): result.recorded.previewText
        case .other(_, let value): (value["text"] ?? value["content"])?.stringValue
        case .value(let value): value.stringValue
        }
    }
}

extension JSONObject {
    fileprivate var previewText: String? { (self["text"] ?? self["content"])?.stringValue }
}

/// A model's call of a tool.
public struct ToolCall: Sendable, Equatable {
    /// The call's id, which the result names.
    public var id: String?
    /// The tool's name.
    public var name: String?
    /// The arguments as recorded: often JSON text inside a string.
    public var arguments: JSONValue?

    /// Creates a tool call.
    public init(id: String? = nil, name: String? = nil, arguments: JSONValue? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A tool's result given back to a model inside a message's content.
public struct ToolResult: Sendable, Equatable {
    /// The id of the call it answers.
    public var callID: String?
    /// Whether the tool reported an error.
    public var isError: Bool
    /// The part as recorded, shown whole.
    public var recorded: JSONObject

    /// Creates a tool result.
    public init(callID: String?, isError: Bool = false, recorded: JSONObject) {
        self.callID = callID
        self.isError = isError
        self.recorded = recorded
    }
}

/// An image in a message: a URL (which a report never loads) or inline data.
public struct ImageReference: Sendable, Equatable {
    /// The image's URL or `data:` URL, when recorded as one.
    public var url: String?
    /// The media type, when recorded.
    public var mediaType: String?
    /// The part as recorded, shown whole.
    public var recorded: JSONObject

    /// Creates an image reference.
    public init(url: String?, mediaType: String? = nil, recorded: JSONObject) {
        self.url = url
        self.mediaType = mediaType
        self.recorded = recorded
    }
}

/// A document a retrieval or memory step returned.
public struct RetrievedDocument: Sendable, Equatable {
    /// The document's id (`id` or `document_id`).
    public var id: String?
    /// Its relevance score, as written.
    public var score: JSONNumber?
    /// Its text.
    public var text: String
    /// Its other fields (metadata and anything else recorded).
    public var otherFields: JSONObject

    /// Creates a document.
    public init(id: String? = nil, score: JSONNumber? = nil, text: String, otherFields: JSONObject = JSONObject()) {
        self.id = id
        self.score = score
        self.text = text
        self.otherFields = otherFields
    }
}
