import TraceJSON
import TraceModel

/// Helpers shared by the OTel-shaped decoders and the semantic conventions: reading numbers
/// and JSON text out of attribute values, turning flattened keys
/// (`llm.input_messages.0.message.role`) back into arrays and objects, unwrapping OTLP
/// `AnyValue`s, and normalizing chat messages written in the many shapes instrumentations use.
///
/// Everything here works with explicit stacks, so deeply nested input cannot overflow a
/// thread's stack.
enum OTelAttributes {
    // MARK: - Scalars

    /// A string attribute, or the text of a number or boolean.
    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n.text
        case .bool(let b)?: b ? "true" : "false"
        default: nil
        }
    }

    /// A non-empty string attribute.
    static func text(_ value: JSONValue?) -> String? {
        guard case .string(let s)? = value, !s.isEmpty else { return nil }
        return s
    }

    /// A whole number written as a JSON number or as decimal text (`"42"`, `"42.0"`).
    static func int(_ value: JSONValue?) -> Int64? {
        switch value {
        case .number(let n)?:
            return n.int64
        case .string(let s)?:
            let t = s.trimmingSpaces()
            if let v = Int64(t) { return v }
            if let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
            return nil
        default:
            return nil
        }
    }

    /// A number written as a JSON number or as decimal text.
    static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let n)?:
            let d = n.double
            return d.isNaN ? nil : d
        case .string(let s)?:
            guard let d = Double(s.trimmingSpaces()), d.isFinite else { return nil }
            return d
        default:
            return nil
        }
    }

    /// A score value as written, with its display text.
    static func score(_ value: JSONValue?) -> (value: Double, text: String)? {
        switch value {
        case .number(let n)?:
            let d = n.double
            return d.isNaN ? nil : (d, n.text)
        case .string(let s)?:
            guard let d = Double(s.trimmingSpaces()), d.isFinite else { return nil }
            return (d, s)
        case .bool(let b)?:
            return (b ? 1 : 0, b ? "true" : "false")
        default:
            return nil
        }
    }

    // MARK: - JSON inside strings

    /// The single JSON value `text` holds, or `nil` when it is not exactly one JSON value.
    static func parseJSON(_ text: String) -> JSONValue? {
        let parsed = JSONStreamParser.parse(text)
        guard parsed.errors.isEmpty, parsed.records.count == 1 else { return nil }
        return parsed.records[0].value
    }

    /// `value` with JSON text that holds an object or array parsed; other values as they are.
    static func structured(_ value: JSONValue) -> JSONValue {
        guard case .string(let s) = value, let first = s.utf8.first(where: { !isSpace($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return value }
        return parseJSON(s) ?? value
    }

    /// `value` parsed as JSON when it is a string holding any JSON value (a quoted string, a
    /// number…); other values as they are.
    static func parsedAny(_ value: JSONValue) -> JSONValue {
        guard case .string(let s) = value else { return value }
        return parseJSON(s) ?? value
    }

    /// The value of an `input.value`-style attribute read with its MIME type: JSON text is
    /// parsed when the type says JSON, or when no type is given and the text is an object or array.
    static func valueWithMimeType(_ value: JSONValue, mimeType: String?) -> JSONValue {
        if let mimeType, mimeType.lowercased().contains("json") {
            return parsedAny(value)
        }
        if let mimeType, mimeType.lowercased().hasPrefix("text/") { return value }
        return structured(value)
    }

    /// Text for a tool result or other content value: strings as they are, anything else as a
    /// fenced JSON block, so message content is always Markdown text.
    static func contentText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: return "```json\n" + JSONWriter.write(value, pretty: true) + "\n```"
        }
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    // MARK: - Flattened keys

    /// The attributes under `prefix` as one value: flattened keys (`prefix.0.message.role`) and
    /// nested values (`prefix: [{"message.role": …}]`) both become nested arrays and objects
    /// (`[{"message": {"role": …}}]`). Path components that are whole numbers become array
    /// indices. Every key read is added to `consumed`.
    ///
    /// - Parameter includeExact: Whether an attribute named exactly `prefix` is part of the value.
    static func tree(
        _ attributes: JSONObject, prefix: String, includeExact: Bool = true, consumed: inout Set<String>
    ) -> JSONValue? {
        let dotted = prefix + "."
        var leaves: [(path: [Substring], value: JSONValue)] = []
        for member in attributes.members {
            let key = member.key
            var rest: [Substring]
            if key == prefix {
                guard includeExact else { continue }
                rest = []
            } else if key.hasPrefix(dotted) {
                rest = key.dropFirst(dotted.count).split(separator: ".", omittingEmptySubsequences: false)
            } else {
                continue
            }
            consumed.insert(key)
            flatten(member.value, at: rest, into: &leaves)
        }
        guard !leaves.isEmpty else { return nil }
        return build(leaves)
    }

    /// Expands dotted member names inside a value (`{"message.role": "user"}` becomes
    /// `{"message": {"role": "user"}}`).
    static func expanded(_ value: JSONValue) -> JSONValue {
        var leaves: [(path: [Substring], value: JSONValue)] = []
        flatten(value, at: [], into: &leaves)
        return build(leaves)
    }

    /// Appends the scalar leaves of `value` with their paths below `base`. Empty containers are
    /// leaves. Dotted member names are split into path components.
    private static func flatten(
        _ value: JSONValue, at base: [Substring], into leaves: inout [(path: [Substring], value: JSONValue)]
    ) {
        var stack: [(path: [Substring], value: JSONValue)] = [(base, value)]
        while let (path, value) = stack.popLast() {
            switch value {
            case .array(let items) where !items.isEmpty:
                for (i, item) in items.enumerated().reversed() {
                    stack.append((path + [Substring(String(i))], item))
                }
            case .object(let o) where !o.isEmpty:
                for member in o.members.reversed() {
                    let parts = member.key.split(separator: ".", omittingEmptySubsequences: false)
                    stack.append((path + parts, member.value))
                }
            default:
                leaves.append((path, value))
            }
        }
    }

    /// Builds nested arrays and objects from leaves with paths. Nodes whose keys are all whole
    /// numbers become arrays ordered by index.
    private static func build(_ leaves: [(path: [Substring], value: JSONValue)]) -> JSONValue {
        struct Node {
            var leaf: JSONValue?
            var keys: [Substring] = []
            var children: [Int] = []
            var index: [Substring: Int] = [:]
        }
        var nodes = [Node(leaf: nil)]
        for (path, value) in leaves {
            var current = 0
            for component in path {
                if let next = nodes[current].index[component] {
                    current = next
                } else {
                    let next = nodes.count
                    nodes.append(Node(leaf: nil))
                    nodes[current].index[component] = next
                    nodes[current].keys.append(component)
                    nodes[current].children.append(next)
                    current = next
                }
            }
            // A later value for the same path wins, as with repeated attribute keys.
            nodes[current].leaf = value
        }
        // Children always have larger indices than their parents: build from the end.
        var values = [JSONValue](repeating: .null, count: nodes.count)
        for i in nodes.indices.reversed() {
            let node = nodes[i]
            if node.children.isEmpty {
                values[i] = node.leaf ?? .null
                continue
            }
            let numeric = node.keys.compactMap { k -> Int? in
                guard k.count <= 9, k.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return Int(k)
            }
            if numeric.count == node.keys.count && node.leaf == nil {
                let order = node.children.indices.sorted { numeric[$0] < numeric[$1] }
                values[i] = .array(order.map { values[node.children[$0]] })
            } else {
                var members: [(key: String, value: JSONValue)] = []
                if let leaf = node.leaf, !leaf.isNull { members.append(("value", leaf)) }
                for (k, child) in zip(node.keys, node.children) {
                    members.append((String(k), values[child]))
                }
                values[i] = .object(JSONObject(members))
            }
            // Free the children's copies as we go.
            for child in node.children { values[child] = .null }
        }
        return values[0]
    }

    // MARK: - OTLP AnyValue

    /// Plain JSON for an OTLP `AnyValue` (`{"stringValue": …}`, `{"kvlistValue": {"values": […]}}`…),
    /// snake_case keys accepted: ints written as strings become numbers, `"NaN"`/`"Infinity"`
    /// doubles stay strings, bytes stay base64 text, key-value lists become objects, and an empty
    /// `{}` becomes null. A value that is not an `AnyValue` is returned as it is.
    static func plain(_ anyValue: JSONValue) -> JSONValue {
        enum Step {
            case leaf(JSONValue)
            case container(isObject: Bool, children: [(key: String, value: JSONValue)])
        }
        func step(_ v: JSONValue) -> Step {
            guard case .object(let o) = v else { return .leaf(v) }
            if o.isEmpty { return .leaf(.null) }
            if let s = o["stringValue"] ?? o["string_value"] {
                return .leaf(s)
            }
            if let b = o["boolValue"] ?? o["bool_value"] {
                if case .string(let s) = b { return .leaf(.bool(s.lowercased() == "true")) }
                return .leaf(b)
            }
            if let i = o["intValue"] ?? o["int_value"] {
                if case .string(let s) = i, Int64(s) != nil || UInt64(s) != nil {
                    return .leaf(.number(JSONNumber(text: s)))
                }
                return .leaf(i)
            }
            if let d = o["doubleValue"] ?? o["double_value"] {
                if case .string(let s) = d, let parsed = Double(s), parsed.isFinite,
                    s.utf8.allSatisfy({ isNumberByte($0) })
                {
                    return .leaf(.number(JSONNumber(text: s)))
                }
                return .leaf(d)
            }
            if let b = o["bytesValue"] ?? o["bytes_value"] { return .leaf(b) }
            if let a = o["arrayValue"] ?? o["array_value"] {
                let items = a["values"]?.arrayValue ?? []
                return .container(isObject: false, children: items.map { ("", $0) })
            }
            if let kv = o["kvlistValue"] ?? o["kvlist_value"] {
                let items = kv["values"]?.arrayValue ?? []
                return .container(isObject: true, children: items.map { (keyValueKey($0), $0["value"] ?? .null) })
            }
            return .leaf(v)
        }
        struct Frame {
            var isObject: Bool
            var children: [(key: String, value: JSONValue)]
            var next: Int
            var built: [JSONValue]
            func finish() -> JSONValue {
                if isObject {
                    return .object(JSONObject(zip(children, built).map { ($0.key, $1) }))
                }
                return .array(built)
            }
        }
        var stack: [Frame] = []
        var current = anyValue
        while true {
            var produced: JSONValue
            switch step(current) {
            case .leaf(let v):
                produced = v
            case .container(let isObject, let children):
                if children.isEmpty {
                    produced = isObject ? .object(JSONObject()) : .array([])
                } else {
                    stack.append(Frame(isObject: isObject, children: children, next: 1, built: []))
                    current = children[0].value
                    continue
                }
            }
            // Hand the finished value to its parent; finish parents that are complete.
            while true {
                guard var top = stack.popLast() else { return produced }
                top.built.append(produced)
                if top.next < top.children.count {
                    current = top.children[top.next].value
                    top.next += 1
                    stack.append(top)
                    break
                }
                produced = top.finish()
            }
        }
    }

    /// A span's, event's or resource's attributes: an OTLP key-value list or a plain object.
    static func keyValues(_ value: JSONValue?) -> JSONObject {
        switch value {
        case .array(let items)?:
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(items.count)
            for item in items {
                guard case .object = item else { continue }
                members.append((keyValueKey(item), plain(item["value"] ?? .null)))
            }
            return JSONObject(members)
        case .object(let o)?:
            return o
        default:
            return JSONObject()
        }
    }

    private static func keyValueKey(_ item: JSONValue) -> String {
        string(item["key"]) ?? ""
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }
}

// MARK: - Chat messages

extension OTelAttributes {
    /// The normalized messages in `value`: an array of messages, one message, an object with
    /// `messages` or `choices`, or JSON text holding one of these. Messages may be written in
    /// the GenAI `parts` form, the OpenAI form (`content`, `tool_calls`), the Vercel AI SDK
    /// form (`tool-call`/`tool-result` parts), the Anthropic form (`tool_use`/`tool_result`),
    /// or as OpenInference `message.*` objects. A string that is not JSON becomes one message
    /// with `defaultRole`. `nil` when `value` holds no messages.
    static func messages(_ value: JSONValue, defaultRole: String) -> [JSONValue]? {
        let value = structured(value)
        switch value {
        case .string(let s):
            return [.object(JSONObject([("role", .string(defaultRole)), ("content", .string(s))]))]
        case .array(let items):
            var result: [JSONValue] = []
            for item in items {
                switch item {
                case .object(let o):
                    guard isMessageLike(o) else { return nil }
                    result += normalizedMessage(o, defaultRole: defaultRole).map(JSONValue.object)
                case .string(let s):
                    result.append(.object(JSONObject([("role", .string(defaultRole)), ("content", .string(s))])))
                default:
                    return nil
                }
            }
            return result.isEmpty ? nil : result
        case .object(let o):
            if case .array(let items)? = o["messages"] { return messages(.array(items), defaultRole: defaultRole) }
            if case .array(let items)? = o["choices"] { return messages(.array(items), defaultRole: "assistant") }
            if isMessageLike(o) { return normalizedMessage(o, defaultRole: defaultRole).map(JSONValue.object) }
            if case .string(let text)? = o["text"] {
                // `{"text": …, "finish_reason": …}`, as deprecated GenAI completions write it.
                var members: [(key: String, value: JSONValue)] = [
                    ("role", .string(defaultRole)), ("content", .string(text)),
                ]
                if let reason = o["finish_reason"] { members.append(("finish_reason", reason)) }
                return [.object(JSONObject(members))]
            }
            return nil
        default:
            return nil
        }
    }

    /// An LLM input in the normalized shape: `{"messages": […]}` with a request's other
    /// members (model, temperature…) kept beside the messages; `nil` when `value` holds no
    /// messages.
    static func chatInput(_ value: JSONValue) -> JSONValue? {
        let value = structured(value)
        guard let list = messages(value, defaultRole: "user") else { return nil }
        var members: [(key: String, value: JSONValue)] = [("messages", .array(list))]
        if case .object(let o) = value, o["messages"] != nil {
            members += o.members.filter { $0.key != "messages" }
        }
        return .object(JSONObject(members))
    }

    /// An LLM output in the normalized shape: one message, or an array when there are several.
    /// `nil` for values holding no messages, and for whole chat-completion responses
    /// (`{"choices": …, "usage": …}`), which are shown as recorded so their other fields stay.
    static func chatOutput(_ value: JSONValue) -> JSONValue? {
        let value = structured(value)
        if case .object(let o) = value, o["choices"] != nil { return nil }
        guard let list = messages(value, defaultRole: "assistant") else { return nil }
        return list.count == 1 ? list[0] : .array(list)
    }

    /// Whether an object looks like one chat message in any supported shape.
    static func isMessageLike(_ o: JSONObject) -> Bool {
        if o["role"] != nil || o["parts"] != nil || o["tool_calls"] != nil { return true }
        if case .object(let m)? = o["message"],
            m["role"] != nil || m["content"] != nil || m["contents"] != nil || m["tool_calls"] != nil
        {
            return true
        }
        return false
    }

    /// One source message as normalized messages: usually one, but tool results written as
    /// parts of one message become one `tool` message each.
    static func normalizedMessage(_ message: JSONObject, defaultRole: String) -> [JSONObject] {
        var source = message
        var finishReason = message["finish_reason"]
        if message["role"] == nil, message["content"] == nil, message["parts"] == nil,
            case .object(let inner)? = message["message"]
        {
            // An OpenInference `message.*` object, or a `gen_ai.choice` / OpenAI choice body.
            source = inner
            finishReason = finishReason ?? inner["finish_reason"]
        } else if message["role"] == nil, message["content"] == nil, message["parts"] == nil,
            case .string(let text)? = message["message"]
        {
            // strands' `gen_ai.choice` event: `message` is the text, or JSON text of content blocks.
            source = JSONObject(message.members.filter { $0.key != "message" } + [("content", .string(text))])
        }
        let role = text(source["role"]) ?? defaultRole
        var parts: [JSONValue] = []
        var calls: [JSONValue] = []
        var responses: [(id: String?, content: JSONValue)] = []

        func addText(_ s: String) {
            guard !s.isEmpty else { return }
            parts.append(.object(JSONObject([("type", .string("text")), ("text", .string(s))])))
        }
        func addItem(_ item: JSONValue) {
            switch item {
            case .string(let s):
                if let blocks = contentBlocks(s) {
                    for block in blocks { addItem(block) }
                } else {
                    addText(s)
                }
            case .object(var o):
                if case .object(let inner)? = o["message_content"] { o = inner }
                if o["type"] == nil {
                    // Bedrock Converse blocks, as strands writes them: the block's kind is its key.
                    if case .object(let use)? = o["toolUse"] {
                        calls.append(toolCall(id: use["toolUseId"], name: use["name"], arguments: use["input"]))
                        return
                    }
                    if case .object(let result)? = o["toolResult"] {
                        responses.append((text(result["toolUseId"]), .string(blockText(result["content"] ?? .null))))
                        return
                    }
                    if case .object(let reasoning)? = o["reasoningContent"] {
                        let t = string(reasoning["reasoningText"]?["text"] ?? reasoning["text"]) ?? ""
                        if !t.isEmpty {
                            parts.append(.object(JSONObject([("type", .string("reasoning")), ("text", .string(t))])))
                        }
                        return
                    }
                    if let json = o["json"], o.count == 1 {
                        addText(contentText(json))
                        return
                    }
                    if o["cachePoint"] != nil, o.count == 1 { return }
                    for kind in ["image", "document", "video"] where o[kind] != nil && o.count == 1 {
                        parts.append(
                            .object(JSONObject([("type", .string(kind))] + (o[kind]?.objectValue?.members ?? []))))
                        return
                    }
                }
                let type = (o["type"]?.stringValue ?? (o["text"] != nil ? "text" : "")).lowercased()
                switch type {
                case "text", "input_text", "output_text":
                    addText(string(o["text"] ?? o["content"]) ?? "")
                case "reasoning", "thinking":
                    let t = string(o["content"] ?? o["text"] ?? o["thinking"] ?? o["reasoning"]) ?? ""
                    if !t.isEmpty {
                        parts.append(.object(JSONObject([("type", .string("reasoning")), ("text", .string(t))])))
                    }
                case "tool_call", "tool-call", "tool_use", "function_call":
                    calls.append(
                        toolCall(
                            id: o["call_id"] ?? o["id"] ?? o["toolCallId"],
                            name: o["name"] ?? o["toolName"],
                            arguments: o["arguments"] ?? o["input"] ?? o["args"]
                        )
                    )
                case "tool_call_response", "tool-result", "tool_result", "function_call_output":
                    let id = string(o["id"] ?? o["toolCallId"] ?? o["tool_use_id"] ?? o["call_id"])
                    let content = unwrappedResult(o["response"] ?? o["output"] ?? o["result"] ?? o["content"] ?? .null)
                    responses.append((id, content))
                default:
                    parts.append(.object(o))
                }
            case .null:
                break
            default:
                addText(string(item) ?? "")
            }
        }
        func addContent(_ value: JSONValue?) {
            switch value {
            case nil, .null?: break
            case .array(let items)?: for item in items { addItem(item) }
            case let other?: addItem(other)
            }
        }
        addContent(source["parts"])
        addContent(source["content"])
        addContent(source["contents"])
        if case .array(let items)? = source["tool_calls"] {
            for item in items {
                guard case .object(var c) = item else { continue }
                if case .object(let inner)? = c["tool_call"] { c = inner }
                let function = c["function"]
                calls.append(
                    toolCall(
                        id: c["id"] ?? c["toolCallId"],
                        name: function?["name"] ?? c["name"] ?? c["toolName"],
                        arguments: function?["arguments"] ?? c["arguments"] ?? c["args"] ?? c["input"]
                    )
                )
            }
        }
        if case .object(let f)? = source["function_call"] {
            calls.append(toolCall(id: nil, name: f["name"], arguments: f["arguments"]))
        }
        if let name = source["function_call_name"] {
            calls.append(toolCall(id: nil, name: name, arguments: source["function_call_arguments_json"]))
        }
        var toolCallID = text(source["tool_call_id"]) ?? text(source["toolCallId"])
        if toolCallID == nil, role == "tool" { toolCallID = text(source["id"]) }

        var result: [JSONObject] = []
        let hasOwnContent = !parts.isEmpty || !calls.isEmpty
        if hasOwnContent || responses.isEmpty {
            var members: [(key: String, value: JSONValue)] = [("role", .string(role))]
            if let content = normalizedContent(parts) {
                members.append(("content", content))
            } else if calls.isEmpty {
                members.append(("content", .string("")))
            }
            if let name = text(source["name"]) { members.append(("name", .string(name))) }
            if !calls.isEmpty { members.append(("tool_calls", .array(calls))) }
            if let toolCallID, responses.isEmpty { members.append(("tool_call_id", .string(toolCallID))) }
            if let finishReason, !finishReason.isNull { members.append(("finish_reason", finishReason)) }
            result.append(JSONObject(members))
        }
        for response in responses {
            var members: [(key: String, value: JSONValue)] = [
                ("role", .string("tool")), ("content", .string(contentText(response.content))),
            ]
            if let id = response.id ?? (responses.count == 1 ? toolCallID : nil) {
                members.append(("tool_call_id", .string(id)))
            }
            result.append(JSONObject(members))
        }
        return result
    }

    /// Keys that name a content block's kind in Bedrock Converse (and strands) messages.
    static let blockKeys: Set<String> = [
        "text", "toolUse", "toolResult", "reasoningContent", "image", "document", "video", "json", "cachePoint",
    ]

    /// The blocks held in `text` when it is JSON text of an array of content blocks (typed
    /// blocks such as `{"type": "text", …}`, or Bedrock blocks such as `{"text": …}` and
    /// `{"toolUse": …}`); `nil` for any other text, which stays text.
    static func contentBlocks(_ text: String) -> [JSONValue]? {
        guard let first = text.utf8.first(where: { !isSpace($0) }), first == UInt8(ascii: "["),
            case .array(let items)? = parseJSON(text), !items.isEmpty
        else { return nil }
        for item in items {
            guard case .object(let o) = item else { return nil }
            if case .string? = o["type"] { continue }
            guard o.count == 1 || o["text"] != nil, o.members.contains(where: { blockKeys.contains($0.key) }) else {
                return nil
            }
        }
        return items
    }

    /// The text of a tool result's content: text blocks joined, JSON blocks as JSON.
    static func blockText(_ value: JSONValue) -> String {
        guard case .array(let items) = value else { return contentText(unwrappedResult(value)) }
        var pieces: [String] = []
        for item in items {
            if case .string(let t)? = item["text"] {
                pieces.append(t)
            } else if let json = item["json"] {
                pieces.append(contentText(json))
            } else {
                pieces.append(contentText(item))
            }
        }
        return pieces.joined(separator: "\n")
    }

    /// Content parts as normalized content: one text as a string, otherwise the parts.
    private static func normalizedContent(_ parts: [JSONValue]) -> JSONValue? {
        if parts.isEmpty { return nil }
        if parts.count == 1, parts[0]["type"]?.stringValue == "text", let t = parts[0]["text"] { return t }
        return .array(parts)
    }

    /// A tool call in the normalized shape; arguments written as JSON text are parsed.
    static func toolCall(id: JSONValue?, name: JSONValue?, arguments: JSONValue?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let id = text(id) { members.append(("id", .string(id))) }
        members.append(("type", .string("function")))
        var function: [(key: String, value: JSONValue)] = [("name", .string(string(name) ?? ""))]
        if let arguments, !arguments.isNull { function.append(("arguments", structured(arguments))) }
        members.append(("function", .object(JSONObject(function))))
        return .object(JSONObject(members))
    }

    /// A tool result with the Vercel AI SDK's `{"type": "text"|"json", "value": …}` wrapper
    /// removed.
    static func unwrappedResult(_ value: JSONValue) -> JSONValue {
        if case .object(let o) = value, o.count == 2, o["type"]?.stringValue != nil, let inner = o["value"] {
            return inner
        }
        return value
    }

    /// A retrieved document in the normalized shape `{"id","content","score","metadata"}`, read
    /// from objects that name the text `content`, `text`, `page_content` or `document`.
    static func document(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else {
            return .object(JSONObject([("content", .string(contentText(value)))]))
        }
        if case .object(let inner)? = o["document"] { o = inner }
        var members: [(key: String, value: JSONValue)] = []
        if let id = o["id"] ?? o["document_id"], !id.isNull { members.append(("id", id)) }
        if let content = o["content"] ?? o["text"] ?? o["page_content"] ?? o["document"] {
            members.append(("content", .string(contentText(content))))
        }
        if let score = o["score"] ?? o["relevance_score"], !score.isNull {
            if case .string(let s) = score, double(score) != nil {
                members.append(("score", .number(JSONNumber(text: s.trimmingSpaces()))))
            } else {
                members.append(("score", score))
            }
        }
        if let metadata = o["metadata"], !metadata.isNull { members.append(("metadata", structured(metadata))) }
        let known: Set<String> = [
            "id", "document_id", "content", "text", "page_content", "document", "score", "relevance_score", "metadata",
        ]
        members += o.members.filter { !known.contains($0.key) }
        return .object(JSONObject(members))
    }
}
