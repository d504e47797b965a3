import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the any-agent conventions (mozilla-ai/any-agent), which extend GenAI with
    /// non-standard keys:
    ///
    /// - `gen_ai.operation.name` = `call_llm` (a model call), `execute_tool`, `invoke_agent`.
    /// - `gen_ai.tool.args`: a tool call's arguments as JSON text → the tool span's input.
    /// - `gen_ai.output` with `gen_ai.output.type` (`json` or `text`): a tool's result, or a
    ///   model's reply; a reply that is a list of `{"tool.name", "tool.args"}` is the model's tool
    ///   calls.
    /// - `gen_ai.usage.input_cost` + `gen_ai.usage.output_cost` (USD) → cost.
    static func applyAnyAgent(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let attributes = record.attributes
        let operation = attributes["gen_ai.operation.name"]?.stringValue
        let hasOwnKeys =
            attributes["gen_ai.tool.args"] != nil || attributes["gen_ai.output"] != nil
            || attributes["gen_ai.usage.input_cost"] != nil || attributes["gen_ai.usage.output_cost"] != nil
            || operation == "call_llm"
        guard hasOwnKeys else { return }

        if span.kind == .span {
            switch operation {
            case "call_llm"?: span.kind = .llm
            case "execute_tool"?: span.kind = .tool
            case "invoke_agent"?: span.kind = .agent
            default: break
            }
            if span.kind != .span {
                span.kindName = span.kind.rawValue
                consumed.insert("gen_ai.operation.name")
            }
        }

        if case .string(let args)? = attributes["gen_ai.tool.args"] {
            if span.input == nil { span.input = OTelEmbeddedJSON.parse(args, scalars: false) ?? .string(args) }
            consumed.insert("gen_ai.tool.args")
        }

        if let output = attributes["gen_ai.output"] {
            let type = attributes["gen_ai.output.type"]?.stringValue
            if span.output == nil {
                span.output = AnyAgentConvention.output(output, type: type, modelCall: span.kind == .llm)
            }
            consumed.insert("gen_ai.output")
            if type != nil { consumed.insert("gen_ai.output.type") }
        }

        let inputCost = attributes["gen_ai.usage.input_cost"]?.numberValue?.double
        let outputCost = attributes["gen_ai.usage.output_cost"]?.numberValue?.double
        if inputCost != nil || outputCost != nil {
            if span.usage.cost == nil {
                let cost = (inputCost ?? 0) + (outputCost ?? 0)
                if cost.isFinite { span.usage.cost = cost }
            }
            consumed.insert("gen_ai.usage.input_cost")
            consumed.insert("gen_ai.usage.output_cost")
        }
    }
}

/// The pieces of the any-agent convention.
enum AnyAgentConvention {
    /// The span output for `gen_ai.output`: a model call's reply as an assistant message (its
    /// tool calls as `tool_calls`), or a tool's result (JSON text parsed when the type is json).
    static func output(_ value: JSONValue, type: String?, modelCall: Bool) -> JSONValue {
        guard case .string(let text) = value else { return value }
        let parsed = type == "json" ? OTelEmbeddedJSON.parse(text, scalars: true) : nil
        guard modelCall else { return parsed ?? value }
        if case .array(let items)? = parsed, !items.isEmpty {
            var calls: [JSONValue] = []
            for item in items {
                guard case .object(let o) = item, case .string(let name)? = o["tool.name"] else {
                    calls = []
                    break
                }
                let function = JSONObject([("name", .string(name)), ("arguments", o["tool.args"] ?? .string(""))])
                var call: [(key: String, value: JSONValue)] = []
                if let id = o["tool.call.id"] ?? o["id"], !id.isNull { call.append(("id", id)) }
                call.append(("type", .string("function")))
                call.append(("function", .object(function)))
                calls.append(.object(JSONObject(call)))
            }
            if !calls.isEmpty {
                return .object(JSONObject([("role", .string("assistant")), ("tool_calls", .array(calls))]))
            }
        }
        return .object(JSONObject([("role", .string("assistant")), ("content", .string(text))]))
    }
}
