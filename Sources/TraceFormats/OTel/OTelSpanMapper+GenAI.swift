import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the OpenTelemetry GenAI semantic conventions, current and deprecated: the
    /// operation name, models, messages (`gen_ai.input.messages`/`output.messages`,
    /// `gen_ai.system_instructions`, the older `gen_ai.prompt`/`gen_ai.completion` attributes
    /// and content events), tokens, tool calls, retrieval, evaluation results and `error.type`.
    static func applyGenAI(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        let operation = OTelAttributes.text(a["gen_ai.operation.name"])
        if let operation {
            consumed.insert("gen_ai.operation.name")
            if let kind = genAIKind(operation) {
                span.kind = kind
                span.kindName = kind.rawValue
            } else {
                span.kindName = operation
            }
        }

        // Model: the response model names what actually ran.
        if span.model == nil {
            let response = OTelAttributes.text(a["gen_ai.response.model"])
            let request = OTelAttributes.text(a["gen_ai.request.model"])
            if let model = response ?? request {
                span.model = model
                if response != nil { consumed.insert("gen_ai.response.model") }
                if request == model { consumed.insert("gen_ai.request.model") }
            }
        }

        // Messages from attributes.
        var input: [JSONValue] = []
        var system: [JSONValue] = []
        if let value = a["gen_ai.system_instructions"] {
            consumed.insert("gen_ai.system_instructions")
            system = systemMessages(value)
        }
        if let value = a["gen_ai.input.messages"], let list = OTelAttributes.messages(value, defaultRole: "user") {
            consumed.insert("gen_ai.input.messages")
            input += list
        } else if let value = a["gen_ai.prompt"], let list = OTelAttributes.messages(value, defaultRole: "user") {
            consumed.insert("gen_ai.prompt")
            input += list
        }
        var output: [JSONValue] = []
        if let value = a["gen_ai.output.messages"], let list = OTelAttributes.messages(value, defaultRole: "assistant")
        {
            consumed.insert("gen_ai.output.messages")
            output += list
        } else if let value = a["gen_ai.completion"],
            let list = OTelAttributes.messages(value, defaultRole: "assistant")
        {
            consumed.insert("gen_ai.completion")
            output += list
        }

        // Messages from content events, when the attributes have none.
        var mappedEvents: Set<Int> = []
        let attributeInput = !input.isEmpty
        let attributeOutput = !output.isEmpty
        for (index, event) in span.events.enumerated() {
            let e = event.attributes
            switch event.name {
            case "gen_ai.client.inference.operation.details":
                var used = false
                if system.isEmpty, let value = e["gen_ai.system_instructions"] {
                    system = systemMessages(value)
                    used = true
                }
                if !attributeInput {
                    if let value = e["gen_ai.input.messages"],
                        let list = OTelAttributes.messages(value, defaultRole: "user")
                    {
                        input += list
                        used = true
                    }
                }
                if !attributeOutput, let value = e["gen_ai.output.messages"],
                    let list = OTelAttributes.messages(value, defaultRole: "assistant")
                {
                    output += list
                    used = true
                }
                if used { mappedEvents.insert(index) }
            case "gen_ai.content.prompt":
                if !attributeInput, let value = e["gen_ai.prompt"],
                    let list = OTelAttributes.messages(value, defaultRole: "user")
                {
                    input += list
                    mappedEvents.insert(index)
                }
            case "gen_ai.content.completion":
                if !attributeOutput, let value = e["gen_ai.completion"],
                    let list = OTelAttributes.messages(value, defaultRole: "assistant")
                {
                    output += list
                    mappedEvents.insert(index)
                }
            case "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message":
                guard !attributeInput, let body = eventBody(e) else { continue }
                let role = String(event.name.dropFirst("gen_ai.".count).dropLast(".message".count))
                input += OTelAttributes.normalizedMessage(body, defaultRole: role).map(JSONValue.object)
                mappedEvents.insert(index)
            case "gen_ai.choice":
                guard !attributeOutput, let body = eventBody(e) else { continue }
                output += OTelAttributes.normalizedMessage(body, defaultRole: "assistant").map(JSONValue.object)
                // strands' event-loop cycle: the tool results that answered the calls.
                if case .string(let text)? = e["tool.result"], let blocks = OTelAttributes.contentBlocks(text) {
                    let results = JSONObject([("role", .string("tool")), ("content", .array(blocks))])
                    output += OTelAttributes.normalizedMessage(results, defaultRole: "tool").map(JSONValue.object)
                }
                mappedEvents.insert(index)
            case "gen_ai.evaluation.result":
                if let score = evaluationScore(e, prefix: "gen_ai.evaluation") { span.scores.append(score) }
            case "gen_ai.client.operation.exception":
                let type = OTelAttributes.text(e["exception.type"]) ?? OTelAttributes.text(e["error.type"])
                let message = OTelAttributes.text(e["exception.message"])
                var error = span.error ?? SpanError(message: message ?? type ?? "exception")
                if error.type == nil { error.type = type }
                if error.stack == nil { error.stack = OTelAttributes.text(e["exception.stacktrace"]) }
                if error.message == "error", let message { error.message = message }
                span.error = error
            default:
                break
            }
        }
        if !mappedEvents.isEmpty {
            span.events = span.events.enumerated().filter { !mappedEvents.contains($0.offset) }.map(\.element)
        }
        input = system + input
        if span.kind == .tool, system.isEmpty, let arguments = Self.onlyContent(input, role: "tool") {
            // strands' tool spans: the call's arguments in a `gen_ai.tool.message` event, its
            // result in a `gen_ai.choice` event.
            if span.input == nil { span.input = OTelAttributes.structured(arguments) }
            input = []
        }
        if span.kind == .tool, let result = Self.onlyContent(output, role: nil) {
            if span.output == nil { span.output = OTelAttributes.structured(result) }
            output = []
        }
        if span.kind == .agent, output.count == 1, let answer = Self.onlyContent(output, role: "assistant"),
            case .string(let text) = answer
        {
            // An agent's final answer: its text, as the run's output.
            if span.output == nil {
                span.output = .string(text.trimmingTrailingNewlines())
                if let reason = output[0]["finish_reason"] { span.metadata.members.append(("finish_reason", reason)) }
            }
            output = []
        }
        if span.input == nil, !input.isEmpty { span.input = .object(JSONObject([("messages", .array(input))])) }
        if span.output == nil, !output.isEmpty { span.output = output.count == 1 ? output[0] : .array(output) }

        // Tool calls. The tool's name stays in the metadata; a span named only for the
        // operation gets it in its name.
        if span.kind == .tool, let tool = OTelAttributes.text(a["gen_ai.tool.name"]),
            span.name.isEmpty || span.name == "execute_tool"
        {
            span.name = "execute_tool \(tool)"
        }
        if span.input == nil, let value = a["gen_ai.tool.call.arguments"] {
            consumed.insert("gen_ai.tool.call.arguments")
            span.input = OTelAttributes.structured(value)
        }
        if span.output == nil, let value = a["gen_ai.tool.call.result"] {
            consumed.insert("gen_ai.tool.call.result")
            span.output = OTelAttributes.structured(value)
        }

        // Retrieval.
        if span.input == nil, let query = a["gen_ai.retrieval.query.text"] {
            consumed.insert("gen_ai.retrieval.query.text")
            span.input = .object(JSONObject([("query", query)]))
        }
        if span.output == nil, let value = a["gen_ai.retrieval.documents"],
            case .array(let docs) = OTelAttributes.structured(value)
        {
            consumed.insert("gen_ai.retrieval.documents")
            span.output = .object(JSONObject([("documents", .array(docs.map(OTelAttributes.document)))]))
        }

        // Plain `input`/`output` attributes beside GenAI ones (as in openinference-genai fixtures).
        if operation != nil {
            if span.input == nil, let value = a["input"] {
                consumed.insert("input")
                span.input =
                    span.kind == .llm
                    ? (OTelAttributes.chatInput(value) ?? OTelAttributes.structured(value))
                    : OTelAttributes.structured(value)
            }
            if span.output == nil, let value = a["output"] {
                consumed.insert("output")
                span.output =
                    span.kind == .llm
                    ? (OTelAttributes.chatOutput(value) ?? OTelAttributes.structured(value))
                    : OTelAttributes.structured(value)
            }
        }

        // Tokens and cost.
        fillUsage(
            &span, a, &consumed, input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"],
            output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"],
            total: ["gen_ai.usage.total_tokens"],
            cost: ["gen_ai.usage.cost"])

        // Without an operation name, a span that names a model and counts tokens or carries
        // messages is a model call (ADK's `call_llm` spans, for one), unless a vocabulary
        // with its own kind attribute describes it.
        if operation == nil, span.kind == .span,
            a["gen_ai.request.model"] != nil || a["gen_ai.response.model"] != nil,
            !span.usage.isEmpty || !input.isEmpty || !output.isEmpty,
            !Self.kindAttributes.contains(where: { a[$0] != nil })
        {
            span.kind = .llm
            span.kindName = SpanKind.llm.rawValue
        }

        // An evaluation recorded on the span itself.
        if let score = evaluationScore(a, prefix: "gen_ai.evaluation") {
            span.scores.append(score)
            for key in ["name", "score.value", "score.label"] { consumed.insert("gen_ai.evaluation." + key) }
        }

        // Tool definitions are JSON text: shown as JSON in the metadata.
        if let value = a["gen_ai.tool.definitions"], case .string = value {
            let parsed = OTelAttributes.structured(value)
            if case .array = parsed {
                consumed.insert("gen_ai.tool.definitions")
                span.metadata.members.append(("gen_ai.tool.definitions", parsed))
            }
        }

        // `error.type` is set only when the operation failed.
        if let type = OTelAttributes.text(a["error.type"]) {
            consumed.insert("error.type")
            if span.error == nil {
                span.error = SpanError(type: type, message: type)
            } else if span.error?.type == nil {
                span.error?.type = type
            }
        }
    }

    /// The content of `messages` when they are one message (of `role`, when given) with
    /// content and nothing else: no tool calls.
    static func onlyContent(_ messages: [JSONValue], role: String?) -> JSONValue? {
        guard messages.count == 1, case .object(let m) = messages[0], m["tool_calls"] == nil, let content = m["content"]
        else { return nil }
        if let role, m["role"]?.stringValue != role { return nil }
        if case .string(let s) = content, s.isEmpty { return nil }
        return content
    }

    /// Attributes of other vocabularies that name a span's kind themselves.
    static let kindAttributes = [
        "openinference.span.kind", "traceloop.span.kind", "llm.request.type", "langfuse.observation.type",
        "ai.operationId",
        "span.type", "logfire.span_type",
    ]

    /// The kind for a `gen_ai.operation.name`.
    static func genAIKind(_ operation: String) -> SpanKind? {
        switch operation.lowercased() {
        case "chat", "text_completion", "generate_content", "completion", "call_llm": .llm
        case "embeddings", "embedding": .embedding
        case "retrieval", "retrieve": .retrieval
        case "execute_tool": .tool
        case "invoke_agent", "create_agent": .agent
        case "invoke_workflow": .task
        default: nil
        }
    }

    /// System instructions (parts, JSON text of parts, or plain text) as one leading system message.
    private static func systemMessages(_ value: JSONValue) -> [JSONValue] {
        let parsed = OTelAttributes.structured(value)
        switch parsed {
        case .array(let items)
        where items.contains(where: { $0.objectValue.map(OTelAttributes.isMessageLike) ?? false }):
            return OTelAttributes.messages(parsed, defaultRole: "system") ?? []
        case .array(let items):
            return OTelAttributes.normalizedMessage(
                JSONObject([("role", .string("system")), ("parts", .array(items))]), defaultRole: "system"
            ).map(JSONValue.object)
        case .string(let s) where !s.isEmpty:
            return [.object(JSONObject([("role", .string("system")), ("content", .string(s))]))]
        case .object(let o):
            return OTelAttributes.normalizedMessage(o, defaultRole: "system").map(JSONValue.object)
        default:
            return []
        }
    }

    /// The message body of a deprecated GenAI content event: its attributes, or a JSON body
    /// attribute holding them.
    private static func eventBody(_ attributes: JSONObject) -> JSONObject? {
        for key in ["body", "event.body", "gen_ai.event.content"] {
            if let value = attributes[key], case .object(let o) = OTelAttributes.structured(value) { return o }
        }
        let expanded = OTelAttributes.expanded(.object(attributes))
        guard case .object(let o) = expanded else { return nil }
        if o["content"] != nil || o["tool_calls"] != nil || o["message"] != nil || o["role"] != nil { return o }
        return nil
    }

    /// A score from `<prefix>.name`, `<prefix>.score.value` and `<prefix>.score.label`.
    static func evaluationScore(_ attributes: JSONObject, prefix: String) -> Score? {
        guard let (value, text) = OTelAttributes.score(attributes[prefix + ".score.value"]) else { return nil }
        let name = OTelAttributes.text(attributes[prefix + ".name"]) ?? "evaluation"
        let label = OTelAttributes.text(attributes[prefix + ".score.label"])
        return Score(name: name, value: value, text: label.map { "\(text) (\($0))" } ?? text)
    }

    /// Fills the usage fields still unset from the first present key of each list, marking the
    /// keys used as consumed.
    static func fillUsage(
        _ span: inout Span, _ a: JSONObject, _ consumed: inout Set<String>,
        input: [String] = [], output: [String] = [], total: [String] = [], cost: [String] = []
    ) {
        func first(_ keys: [String]) -> (key: String, value: JSONValue)? {
            for key in keys { if let v = a[key], !v.isNull { return (key, v) } }
            return nil
        }
        if span.usage.inputTokens == nil, let (key, v) = first(input), let n = OTelAttributes.int(v) {
            span.usage.inputTokens = n
            consumed.insert(key)
        }
        if span.usage.outputTokens == nil, let (key, v) = first(output), let n = OTelAttributes.int(v) {
            span.usage.outputTokens = n
            consumed.insert(key)
        }
        if span.usage.totalTokens == nil, let (key, v) = first(total), let n = OTelAttributes.int(v) {
            span.usage.totalTokens = n
            consumed.insert(key)
        }
        if span.usage.cost == nil, let (key, v) = first(cost), let d = OTelAttributes.double(v) {
            span.usage.cost = d
            consumed.insert(key)
        }
    }

    /// Sets the kind unless a convention of higher precedence already did.
    static func setKindIfUnset(_ span: inout Span, _ kind: SpanKind, name: String? = nil) {
        guard span.kind == .span else { return }
        span.kind = kind
        span.kindName = kind == .span ? (name ?? span.kindName) : kind.rawValue
    }
}

extension String {
    /// The text without the line breaks at its end.
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
