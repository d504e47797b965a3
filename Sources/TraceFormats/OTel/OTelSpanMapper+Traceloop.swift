import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the OpenLLMetry (Traceloop) conventions: `traceloop.span.kind` and
    /// `llm.request.type`, `traceloop.entity.input`/`output`, the indexed prompt and completion
    /// attributes (`gen_ai.prompt.0.role`, `gen_ai.completion.0.tool_calls.0.name`…) and
    /// `llm.usage.total_tokens`.
    static func applyTraceloop(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        if let kindText = OTelAttributes.text(a["traceloop.span.kind"]) {
            consumed.insert("traceloop.span.kind")
            switch kindText.lowercased() {
            case "workflow", "task": setKindIfUnset(&span, .task)
            case "agent": setKindIfUnset(&span, .agent)
            case "tool": setKindIfUnset(&span, .tool)
            default: setKindIfUnset(&span, .span, name: kindText.lowercased())
            }
        }
        if let requestType = OTelAttributes.text(a["llm.request.type"]) {
            consumed.insert("llm.request.type")
            switch requestType.lowercased() {
            case "chat", "completion": setKindIfUnset(&span, .llm)
            case "embedding": setKindIfUnset(&span, .embedding)
            case "rerank": setKindIfUnset(&span, .retrieval)
            default: break
            }
        }

        // Indexed prompts and completions.
        let prompts = OTelAttributes.tree(a, prefix: "gen_ai.prompt", includeExact: false, consumed: &consumed)
        let completions = OTelAttributes.tree(a, prefix: "gen_ai.completion", includeExact: false, consumed: &consumed)
        if span.input == nil, let prompts, let list = OTelAttributes.messages(prompts, defaultRole: "user") {
            span.input = .object(JSONObject([("messages", .array(list))]))
            setKindIfUnset(&span, .llm)
        }
        if span.output == nil, let completions,
            let list = OTelAttributes.messages(completions, defaultRole: "assistant")
        {
            span.output = list.count == 1 ? list[0] : .array(list)
            setKindIfUnset(&span, .llm)
        }

        // Entity input and output: JSON text (often `{"args": […], "kwargs": {…}}`).
        if let value = a["traceloop.entity.input"] {
            consumed.insert("traceloop.entity.input")
            if span.input == nil { span.input = OTelAttributes.parsedAny(value) }
        }
        if let value = a["traceloop.entity.output"] {
            consumed.insert("traceloop.entity.output")
            if span.output == nil { span.output = OTelAttributes.parsedAny(value) }
        }

        if span.model == nil {
            for key in ["llm.response.model", "llm.request.model"] {
                if let model = OTelAttributes.text(a[key]) {
                    span.model = model
                    consumed.insert(key)
                    break
                }
            }
        }
        fillUsage(
            &span, a, &consumed, input: ["llm.usage.prompt_tokens"], output: ["llm.usage.completion_tokens"],
            total: ["llm.usage.total_tokens"]
        )
    }
}
