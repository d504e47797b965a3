import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Langfuse SDK (v3 and later) attributes: `langfuse.observation.type`,
    /// `…input`/`…output` (JSON text), `…model.name`, `…usage_details` and `…cost_details`
    /// (JSON text), and `…level`/`…status_message` for errors.
    static func applyLangfuse(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        let prefix = "langfuse.observation."
        if let type = OTelAttributes.text(a[prefix + "type"]) {
            consumed.insert(prefix + "type")
            switch type.lowercased() {
            case "generation": setKindIfUnset(&span, .llm)
            case "agent": setKindIfUnset(&span, .agent)
            case "tool": setKindIfUnset(&span, .tool)
            case "chain": setKindIfUnset(&span, .task)
            case "retriever": setKindIfUnset(&span, .retrieval)
            case "evaluator": setKindIfUnset(&span, .eval)
            case "embedding": setKindIfUnset(&span, .embedding)
            case "guardrail": setKindIfUnset(&span, .guardrail)
            default: setKindIfUnset(&span, .span, name: type.lowercased())
            }
        }

        if let model = OTelAttributes.text(a[prefix + "model.name"]) {
            consumed.insert(prefix + "model.name")
            if span.model == nil { span.model = model }
        }
        if let value = a[prefix + "model.parameters"], case .object = OTelAttributes.structured(value) {
            consumed.insert(prefix + "model.parameters")
            span.metadata.members.append((prefix + "model.parameters", OTelAttributes.structured(value)))
        }

        if let value = a[prefix + "input"] {
            consumed.insert(prefix + "input")
            if span.input == nil {
                let parsed = OTelAttributes.structured(value)
                span.input = span.kind == .llm ? (OTelAttributes.chatInput(parsed) ?? parsed) : parsed
            }
        }
        if let value = a[prefix + "output"] {
            consumed.insert(prefix + "output")
            if span.output == nil {
                let parsed = OTelAttributes.structured(value)
                switch span.kind {
                case .llm:
                    span.output = OTelAttributes.chatOutput(parsed) ?? parsed
                case .retrieval:
                    if case .array(let docs) = parsed, docs.allSatisfy({ $0.objectValue != nil }) {
                        span.output = .object(JSONObject([("documents", .array(docs.map(OTelAttributes.document)))]))
                    } else {
                        span.output = parsed
                    }
                default:
                    span.output = parsed
                }
            }
        }

        // Usage and cost details are JSON text objects of numbers.
        if let value = a[prefix + "usage_details"], case .object(let usage) = OTelAttributes.structured(value) {
            consumed.insert(prefix + "usage_details")
            var ignored: Set<String> = []
            fillUsage(
                &span, usage, &ignored, input: ["input", "prompt_tokens", "input_tokens"],
                output: ["output", "completion_tokens", "output_tokens"], total: ["total", "total_tokens"]
            )
            let rest = JSONObject(usage.members.filter { !ignored.contains($0.key) })
            if !rest.isEmpty { span.metadata.members.append((prefix + "usage_details", .object(rest))) }
        }
        if let value = a[prefix + "cost_details"], case .object(let cost) = OTelAttributes.structured(value) {
            consumed.insert(prefix + "cost_details")
            if span.usage.cost == nil {
                if let total = OTelAttributes.double(cost["total"]) {
                    span.usage.cost = total
                } else {
                    let parts = cost.members.compactMap { OTelAttributes.double($0.value) }
                    if !parts.isEmpty { span.usage.cost = parts.reduce(0, +) }
                }
            }
            span.metadata.members.append((prefix + "cost_details", .object(cost)))
        }

        // An ERROR level marks a failed observation; the status message explains it.
        if OTelAttributes.text(a[prefix + "level"])?.uppercased() == "ERROR" {
            consumed.insert(prefix + "level")
            let message = OTelAttributes.text(a[prefix + "status_message"])
            if message != nil { consumed.insert(prefix + "status_message") }
            if span.error == nil {
                span.error = SpanError(message: message ?? "error")
            } else if let message, span.error?.message == "error" {
                span.error?.message = message
            }
        } else if let message = OTelAttributes.text(a[prefix + "status_message"]), span.error?.message == message {
            consumed.insert(prefix + "status_message")
        }
    }
}
