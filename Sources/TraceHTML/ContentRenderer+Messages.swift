import TraceJSON
import TraceModel

/// Chat messages: recognised in a value and shown by role; a message already shown becomes a stub linking to it.
extension ContentRenderer {
    /// The messages in `value` and, for a `{"messages": …}` object, its other members.
    static func chatMessages(in value: JSONValue, role: Role) -> ([JSONObject], JSONObject?)? {
        switch value {
        case .array(let items):
            return messageList(items).map { ($0, nil) }
        case .object(let o):
            if case .array(let items)? = o["messages"], let messages = messageList(items) {
                return (messages, JSONObject(o.members.filter { $0.key != "messages" }))
            }
            if case .array(let choices)? = o["choices"] {
                var messages: [JSONObject] = []
                for choice in choices {
                    guard case .object(let m)? = choice["message"] ?? choice["delta"], isMessage(m) else { return nil }
                    messages.append(m)
                }
                if messages.isEmpty { return nil }
                return (messages, JSONObject(o.members.filter { $0.key != "choices" }))
            }
            if isMessage(o) { return ([o], nil) }
            return nil
        default:
            return nil
        }
    }

    private static func messageList(_ items: [JSONValue]) -> [JSONObject]? {
        guard !items.isEmpty else { return nil }
        var messages: [JSONObject] = []
        messages.reserveCapacity(items.count)
        for item in items {
            guard case .object(let o) = item, isMessage(o) else { return nil }
            messages.append(o)
        }
        return messages
    }

    private static func isMessage(_ o: JSONObject) -> Bool {
        guard case .string? = o["role"] else { return false }
        return o["content"] != nil || o["tool_calls"] != nil || o["function_call"] != nil || o["parts"] != nil
    }

    /// Renders messages. A message already shown in full on this page is shown as a stub that
    /// names its role, previews its text and links to the full rendering; a leading run of such
    /// stubs (the chat history a model call repeats) is folded.
    mutating func renderMessages(_ messages: [JSONObject], collapseHistory: Bool, into out: inout HTMLBuffer) {
        let keys = messages.map(ContentKey.init)
        var repeated = 0
        while repeated < messages.count, shownMessages[keys[repeated]] != nil { repeated += 1 }
        out.raw("<div class=\"messages\">")
        let fold = repeated >= 2 || (repeated >= 1 && repeated < messages.count && collapseHistory)
        if fold {
            out.raw("<details class=\"history\"><summary>")
            out.int(repeated)
            out.raw(repeated == 1 ? " earlier message" : " earlier messages")
            out.raw(", shown in full above</summary>")
        }
        for (i, message) in messages.enumerated() {
            if let anchor = shownMessages[keys[i]] {
                if let cached = stubHTML[anchor] {
                    out.raw(bytes: cached)
                } else {
                    var stub = HTMLBuffer(capacity: 256)
                    renderStub(message, anchor: anchor, into: &stub)
                    stubHTML[anchor] = stub.bytes
                    out.raw(bytes: stub.bytes)
                }
            } else {
                let anchor = shownMessages.count + 1
                shownMessages[keys[i]] = anchor
                renderMessage(message, anchor: anchor, into: &out)
            }
            if fold && i == repeated - 1 { out.raw("</details>") }
        }
        out.raw("</div>")
    }

    /// A one-line stand-in for a message shown in full elsewhere on the page.
    private func renderStub(_ m: JSONObject, anchor: Int, into out: inout HTMLBuffer) {
        let role = m["role"]?.stringValue ?? "message"
        out.raw("<div class=\"msg msg-repeat role-")
        out.raw(Self.roleClass(role))
        out.raw("\"><span class=\"msg-role\">")
        out.text(role)
        out.raw("</span> <a class=\"msg-ref-link\" href=\"#m-")
        out.int(anchor)
        out.raw("\">")
        out.text(Self.preview(Self.messageText(m), characters: 160))
        out.raw("</a></div>")
    }

    /// The text of a message for previews: its content, or the names of the tools it calls.
    static func messageText(_ m: JSONObject) -> String {
        switch m["content"] ?? m["parts"] {
        case .string(let s)? where !s.isEmpty: return s
        case .array(let parts)?:
            let texts = parts.compactMap { ($0["text"] ?? $0["content"])?.stringValue ?? $0.stringValue }
            if !texts.isEmpty { return texts.joined(separator: " ") }
        default: break
        }
        if case .array(let calls)? = m["tool_calls"] {
            let names = calls.compactMap { $0["function"]?["name"]?.stringValue ?? $0["name"]?.stringValue }
            return "calls " + names.joined(separator: ", ")
        }
        return "(no text)"
    }

    private mutating func renderMessage(_ m: JSONObject, anchor: Int, into out: inout HTMLBuffer) {
        let role = m["role"]?.stringValue ?? "message"
        out.raw("<div class=\"msg role-")
        out.raw(Self.roleClass(role))
        out.raw("\" id=\"m-")
        out.int(anchor)
        out.raw("\"><div class=\"msg-role\">")
        out.text(role)
        if let name = m["name"]?.stringValue {
            out.raw(" <span class=\"msg-name\">")
            out.text(name)
            out.raw("</span>")
        }
        if let id = m["tool_call_id"]?.stringValue {
            toolResultLabel(id, into: &out)
        }
        out.raw("</div>")
        let content = m["content"] ?? m["parts"]
        switch content {
        case nil, .null?:
            break
        case .string(let text)?:
            out.raw("<div class=\"msg-body\">")
            textField(text, markdown: true, into: &out)
            out.raw("</div>")
        case .array(let parts)?:
            out.raw("<div class=\"msg-body\">")
            for part in parts { renderPart(part, into: &out) }
            out.raw("</div>")
        case let other?:
            out.raw("<div class=\"msg-body\">")
            json(other, into: &out)
            out.raw("</div>")
        }
        if case .array(let calls)? = m["tool_calls"] {
            for call in calls { renderToolCall(call, into: &out) }
        }
        if let call = m["function_call"], case .object = call {
            renderToolCall(.object(JSONObject([("function", call)])), into: &out)
        }
        out.raw("</div>")
    }

    private mutating func renderPart(_ part: JSONValue, into out: inout HTMLBuffer) {
        switch part {
        case .string(let text):
            textField(text, markdown: true, into: &out)
        case .object(let o):
            let type = o["type"]?.stringValue ?? ""
            if let text = (o["text"] ?? o["content"])?.stringValue,
                type == "text" || type == "input_text" || type == "output_text" || type == "reasoning" || type.isEmpty
            {
                textField(text, markdown: true, into: &out)
            } else if type == "tool_call" || type == "tool_use" || type == "function_call" {
                renderToolCall(part, into: &out)
            } else {
                out.raw("<div class=\"part\"><span class=\"part-type\">")
                out.text(type.isEmpty ? "part" : type)
                out.raw("</span>")
                json(part, into: &out)
                out.raw("</div>")
            }
        default:
            json(part, into: &out)
        }
    }

    private mutating func renderToolCall(_ call: JSONValue, into out: inout HTMLBuffer) {
        let function = call["function"]
        let name = function?["name"]?.stringValue ?? call["name"]?.stringValue ?? "tool call"
        let arguments = function?["arguments"] ?? call["arguments"] ?? call["input"] ?? call["args"]
        let callID = call["id"]?.stringValue
        out.raw("<div class=\"tool-call\"")
        if let callID, claimElementID(ToolCallIndex.elementID("call-", callID)) {
            out.attribute("id", ToolCallIndex.elementID("call-", callID))
        }
        out.raw("><span class=\"tool-name\">")
        out.text(name)
        out.raw("</span>")
        if let id = callID {
            out.raw("<span class=\"tool-id\">")
            out.text(id)
            out.raw(" ")
            toolCallLinks(id, into: &out)
            out.raw("</span>")
        }
        switch arguments {
        case nil, .null?:
            break
        case .string(let text)?:
            // OpenAI-style arguments are JSON inside a string: show them parsed when they parse.
            let parsed = JSONStreamParser.parse(Array(text.utf8))
            if parsed.errors.isEmpty, parsed.records.count == 1 {
                json(parsed.records[0].value, into: &out)
            } else {
                plainText(text, into: &out)
            }
        case let value?:
            json(value, into: &out)
        }
        out.raw("</div>")
    }

    static func roleClass(_ role: String) -> String {
        switch role.lowercased() {
        case "system", "developer": "system"
        case "user", "human": "user"
        case "assistant", "ai", "model": "assistant"
        case "tool", "function", "ipython": "tool"
        default: "other"
        }
    }
}
