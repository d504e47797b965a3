import TraceJSON
import TraceModel

extension InspectDecoder {
    /// Token counts of an Inspect `ModelUsage` object (`input_tokens`, `output_tokens`,
    /// `total_tokens`, and `total_cost` when recorded).
    static func usage(_ value: JSONValue?) -> Usage {
        guard case .object(let u)? = value else { return Usage() }
        func int(_ key: String) -> Int64? { u[key]?.numberValue?.int64 }
        return Usage(
            inputTokens: int("input_tokens"),
            outputTokens: int("output_tokens"),
            totalTokens: int("total_tokens"),
            cost: u["total_cost"]?.numberValue?.double
        )
    }

    /// The scores of one scorer's result: a number, a boolean, a letter grade (`C` = 1, `I` = 0,
    /// `P` = 0.5, `N` = 0), a numeric string, `yes`/`no`/`true`/`false`, or an object of such
    /// values (one score per member, named `scorer/member`). Lists and other text give no score.
    static func scores(named name: String, result: JSONValue) -> [Score] {
        let comment = result["explanation"]?.stringValue
        let value = result.objectValue != nil && result["value"] != nil ? result["value"]! : result
        if case .object(let members) = value {
            return members.members.compactMap { member in
                scalarScore(member.value).map {
                    Score(name: "\(name)/\(member.key)", value: $0.value, text: $0.text, comment: comment)
                }
            }
        }
        guard let scalar = scalarScore(value) else { return [] }
        return [Score(name: name, value: scalar.value, text: scalar.text, comment: comment)]
    }

    /// A numeric value and its text for one score value, following Inspect's `value_to_float`.
    static func scalarScore(_ value: JSONValue) -> (value: Double, text: String)? {
        switch value {
        case .number(let n):
            return (n.double, n.text)
        case .bool(let b):
            return (b ? 1 : 0, b ? "true" : "false")
        case .string(let s):
            switch s.trimmingSpaces().lowercased() {
            case "c", "yes", "true": return (1, s)
            case "i", "n", "no", "false": return (0, s)
            case "p": return (0.5, s)
            default:
                if let d = Double(s.trimmingSpaces()), d.isFinite { return (d, s) }
                return nil
            }
        default:
            return nil
        }
    }

    /// An Inspect chat message in the normalized shape: `role`, `content` (a string, or text,
    /// reasoning and other parts), `tool_calls` as `{id, type, function: {name, arguments}}`,
    /// `tool_call_id`, the tool's `name`, and a tool message's `error`.
    static func message(_ value: JSONValue) -> JSONValue {
        guard case .object(let m) = value else {
            if case .string = value { return .object(JSONObject([("role", .string("user")), ("content", value)])) }
            return value
        }
        var out = JSONObject()
        out.members.append(("role", .string(m["role"]?.stringValue ?? "user")))
        out.members.append(("content", content(m["content"])))
        if case .array(let calls)? = m["tool_calls"], !calls.isEmpty {
            out.members.append(("tool_calls", .array(calls.map(toolCall))))
        }
        if let id = m["tool_call_id"], !id.isNull { out.members.append(("tool_call_id", id)) }
        if let function = m["function"]?.stringValue { out.members.append(("name", .string(function))) }
        if let error = m["error"], !error.isNull { out.members.append(("error", error)) }
        return .object(out)
    }

    /// Message content: a string as is; content parts with text, reasoning and images in the
    /// normalized part shape, other parts as recorded.
    static func content(_ value: JSONValue?) -> JSONValue {
        switch value {
        case nil, .null?:
            return .string("")
        case .array(let parts)?:
            return .array(
                parts.map { part -> JSONValue in
                    guard case .object(let p) = part else { return part }
                    switch p["type"]?.stringValue {
                    case "text"?:
                        return .object(JSONObject([("type", .string("text")), ("text", p["text"] ?? .string(""))]))
                    case "reasoning"?:
                        let text = p["reasoning"] ?? p["summary"] ?? .string("")
                        return .object(JSONObject([("type", .string("reasoning")), ("text", text)]))
                    default:
                        return part
                    }
                }
            )
        case let other?:
            return other
        }
    }

    /// An Inspect tool call (`{id, function, arguments, type}`) in the normalized shape.
    static func toolCall(_ value: JSONValue) -> JSONValue {
        guard case .object(let c) = value else { return value }
        // Already normalized (some logs record provider-shaped calls).
        if case .object? = c["function"] { return value }
        var out = JSONObject()
        if let id = c["id"] { out.members.append(("id", id)) }
        out.members.append(("type", .string("function")))
        let name = c["function"]?.stringValue ?? c["name"]?.stringValue ?? "tool"
        out.members.append(
            (
                "function",
                .object(JSONObject([("name", .string(name)), ("arguments", c["arguments"] ?? .object(JSONObject()))]))
            ))
        return .object(out)
    }

    /// Replaces `attachment://<hash>` and `tc://<hash>` strings with the text they name.
    struct Attachments {
        var texts: [String: String] = [:]

        init(_ sample: JSONObject) {
            for source in [sample["attachments"], sample["transcript"]?["content"]] {
                guard case .object(let o)? = source else { continue }
                for member in o.members {
                    if let text = member.value.stringValue { texts[member.key] = text }
                }
            }
        }

        /// `value` with references resolved, to a depth of 64 (references sit near the top of
        /// messages and events; deeper values are returned as recorded).
        func resolve(_ value: JSONValue, depth: Int = 0) -> JSONValue {
            if texts.isEmpty { return value }
            switch value {
            case .string(let s):
                return .string(resolve(s))
            case .array(let items):
                guard depth < 64 else { return value }
                return .array(items.map { resolve($0, depth: depth + 1) })
            case .object(let o):
                guard depth < 64 else { return value }
                return .object(JSONObject(o.members.map { ($0.key, resolve($0.value, depth: depth + 1)) }))
            default:
                return value
            }
        }

        func resolve(_ s: String) -> String {
            for prefix in ["attachment://", "tc://"] where s.hasPrefix(prefix) {
                if let text = texts[String(s.dropFirst(prefix.count))] { return text }
            }
            return s
        }
    }
}
