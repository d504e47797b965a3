import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// What agent frameworks record beside the shared conventions:
    ///
    /// - pydantic-ai (`Agent.instrument_all()`): the agent run span's `pydantic_ai.all_messages`
    ///   (JSON text of the conversation, GenAI parts) is its input, as messages, and
    ///   `final_result` (text, or JSON text for structured output) its output.
    /// - smolagents through OpenInference: tool spans are named after the tool's class
    ///   (`SimpleTool`, `FinalAnswerTool`); the tool's own `tool.name` names the span, and the
    ///   keyword arguments of `input.value` (`{"args": [], "kwargs": {…}}`) are its input.
    static func applyAgentFrameworks(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        if let value = a["pydantic_ai.all_messages"], let list = OTelAttributes.messages(value, defaultRole: "user") {
            consumed.insert("pydantic_ai.all_messages")
            var conversation = list
            if let value = a["final_result"] {
                consumed.insert("final_result")
                let result = OTelAttributes.structured(value)
                span.output = result
                // The last message repeats the final answer: it stays out of the input.
                if case .object(let last)? = conversation.last, last["role"]?.stringValue == "assistant",
                    last["tool_calls"] == nil
                {
                    conversation.removeLast()
                }
            }
            span.input = .object(JSONObject([("messages", .array(conversation))]))
        } else if span.output == nil, let value = a["final_result"],
            OTelAttributes.text(a["gen_ai.operation.name"]) == "invoke_agent"
        {
            consumed.insert("final_result")
            span.output = OTelAttributes.structured(value)
        }

        if span.kind == .tool, let tool = OTelAttributes.text(a["tool.name"]), span.name != tool {
            span.metadata.members.append(("otel.span_name", .string(span.name)))
            span.name = tool
            if case .object(let call)? = span.input, case .object(let kwargs)? = call["kwargs"],
                call["args"]?.arrayValue?.isEmpty ?? true
            {
                span.input = .object(kwargs)
            }
        }
    }
}
