import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Vercel AI SDK's `ai.*` attributes: the operation (`ai.operationId`), model,
    /// prompt (`ai.prompt`, `ai.prompt.messages`), response (`ai.response.text`,
    /// `ai.response.toolCalls`, `ai.response.object`), tool calls (`ai.toolCall.*`), embeddings
    /// and tokens (`ai.usage.*`, v4 and v5+ names).
    ///
    /// The outer spans of a call (`ai.generateText`, `ai.streamText`…) repeat the token counts
    /// of the provider calls inside them, so only the provider calls (`….doGenerate`,
    /// `….doStream`, `….doEmbed`) count tokens; the outer spans keep their counts in the
    /// metadata.
    static func applyVercelAI(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        let operationText =
            OTelAttributes.text(a["ai.operationId"])
            ?? OTelAttributes.text(a["operation.name"]).flatMap { name in
                name.hasPrefix("ai.") ? name.split(separator: " ").first.map(String.init) : nil
            }
        guard let operation = operationText else { return }
        consumed.insert("ai.operationId")
        let isProviderCall =
            operation.hasSuffix(".doGenerate") || operation.hasSuffix(".doStream") || operation.hasSuffix(".doEmbed")
        let isEmbedding = operation.hasPrefix("ai.embed")
        switch operation {
        case "ai.toolCall": setKindIfUnset(&span, .tool)
        case _ where isEmbedding: setKindIfUnset(&span, isProviderCall ? .embedding : .task)
        case _ where isProviderCall: setKindIfUnset(&span, .llm)
        case "ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject": setKindIfUnset(&span, .agent)
        default: break
        }

        if span.model == nil {
            let response = OTelAttributes.text(a["ai.response.model"])
            let requested = OTelAttributes.text(a["ai.model.id"])
            if let model = response ?? requested {
                span.model = model
                if response != nil { consumed.insert("ai.response.model") }
                if requested == model { consumed.insert("ai.model.id") }
            }
        }

        // Prompt.
        if let value = a["ai.prompt.messages"] {
            consumed.insert("ai.prompt.messages")
            if span.input == nil, let input = OTelAttributes.chatInput(value) { span.input = input }
        }
        if let value = a["ai.prompt"] {
            consumed.insert("ai.prompt")
            if span.input == nil { span.input = promptInput(value) }
        }

        // Response.
        let text = a["ai.response.text"]
        let toolCalls = a["ai.response.toolCalls"].map(OTelAttributes.structured)
        if text != nil || toolCalls != nil {
            if text != nil { consumed.insert("ai.response.text") }
            if toolCalls != nil { consumed.insert("ai.response.toolCalls") }
            if span.output == nil {
                var members: [(key: String, value: JSONValue)] = [("role", .string("assistant"))]
                if let text, case .string(let s) = text, !s.isEmpty { members.append(("content", text)) }
                if case .array(let calls)? = toolCalls, !calls.isEmpty {
                    let normalized = calls.compactMap { call -> JSONValue? in
                        guard case .object(let c) = OTelAttributes.structured(call) else { return nil }
                        return OTelAttributes.toolCall(
                            id: c["toolCallId"] ?? c["id"],
                            name: c["toolName"] ?? c["name"],
                            arguments: c["input"] ?? c["args"] ?? c["arguments"]
                        )
                    }
                    if !normalized.isEmpty { members.append(("tool_calls", .array(normalized))) }
                }
                if members.count == 1 { members.append(("content", .string(""))) }
                if let reason = a["ai.response.finishReason"] {
                    members.append(("finish_reason", reason))
                    consumed.insert("ai.response.finishReason")
                }
                span.output = .object(JSONObject(members))
            }
        }
        if let value = a["ai.response.object"] {
            consumed.insert("ai.response.object")
            if span.output == nil { span.output = OTelAttributes.structured(value) }
        }

        // Tool calls (`args`/`result` up to v4, `input`/`output` after).
        if let name = OTelAttributes.text(a["ai.toolCall.name"]) {
            consumed.insert("ai.toolCall.name")
            if span.name.isEmpty || span.name == "ai.toolCall" { span.name = name }
        }
        for key in ["ai.toolCall.args", "ai.toolCall.input"] {
            guard let value = a[key] else { continue }
            consumed.insert(key)
            if span.input == nil { span.input = OTelAttributes.structured(value) }
        }
        for key in ["ai.toolCall.result", "ai.toolCall.output"] {
            guard let value = a[key] else { continue }
            consumed.insert(key)
            if span.output == nil { span.output = OTelAttributes.unwrappedResult(OTelAttributes.structured(value)) }
        }

        // Embeddings: the values in, a summary of the vectors out.
        for key in ["ai.value", "ai.values"] {
            guard let value = a[key] else { continue }
            consumed.insert(key)
            if span.input == nil {
                switch value {
                case .array(let items): span.input = .array(items.map(OTelAttributes.parsedAny))
                default: span.input = OTelAttributes.parsedAny(value)
                }
            }
        }
        for key in ["ai.embedding", "ai.embeddings"] {
            guard let value = a[key] else { continue }
            consumed.insert(key)
            if span.output == nil {
                let vectors: [JSONValue] = key == "ai.embedding" ? [value] : (value.arrayValue ?? [value])
                let first = OTelAttributes.structured(vectors.first ?? .null).arrayValue?.count ?? 0
                span.output = .string(
                    "\(vectors.count) embedding\(vectors.count == 1 ? "" : "s") of \(first) dimensions")
            }
        }

        // Tokens, on provider calls only.
        if isProviderCall {
            if isEmbedding {
                fillUsage(&span, a, &consumed, input: ["ai.usage.tokens"])
            } else {
                fillUsage(
                    &span, a, &consumed, input: ["ai.usage.inputTokens", "ai.usage.promptTokens"],
                    output: ["ai.usage.outputTokens", "ai.usage.completionTokens"], total: ["ai.usage.totalTokens"]
                )
            }
        }
    }

    /// The normalized input for an `ai.prompt` attribute: `{"system"?, "prompt"?, "messages"?}`
    /// as JSON text.
    private static func promptInput(_ value: JSONValue) -> JSONValue {
        let parsed = OTelAttributes.structured(value)
        guard case .object(let o) = parsed else {
            return OTelAttributes.chatInput(parsed) ?? parsed
        }
        var list: [JSONValue] = []
        if let system = OTelAttributes.text(o["system"]) {
            list.append(.object(JSONObject([("role", .string("system")), ("content", .string(system))])))
        }
        if let prompt = o["prompt"] {
            list += OTelAttributes.messages(prompt, defaultRole: "user") ?? []
        }
        if let messages = o["messages"] {
            list += OTelAttributes.messages(messages, defaultRole: "user") ?? []
        }
        guard !list.isEmpty else { return parsed }
        var members: [(key: String, value: JSONValue)] = [("messages", .array(list))]
        members += o.members.filter { !["system", "prompt", "messages"].contains($0.key) }
        return .object(JSONObject(members))
    }
}
