import TraceJSON
import TraceModel

/// Chat messages, shown by role; a message already shown becomes a stub linking to it.
extension ContentRenderer {
    /// Renders messages. A message already shown in full on this page is shown as a stub that
    /// names its role, previews its text and links to the full rendering; a leading run of such
    /// stubs (the chat history a model call repeats) is folded.
    mutating func renderMessages(_ messages: [ChatMessage], collapseHistory: Bool, into out: inout HTMLBuffer) {
        let keys = messages.map { ContentKey($0.recorded) }
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
    private func renderStub(_ m: ChatMessage, anchor: Int, into out: inout HTMLBuffer) {
        out.raw("<div class=\"msg msg-repeat role-")
        out.raw(Self.roleClass(m.role))
        out.raw("\"><span class=\"msg-role\">")
        out.text(m.role)
        out.raw("</span> <a class=\"msg-ref-link\" href=\"#m-")
        out.int(anchor)
        out.raw("\">")
        out.text(Self.preview(m.previewText ?? "(no text)", characters: 160))
        out.raw("</a></div>")
    }

    private mutating func renderMessage(_ m: ChatMessage, anchor: Int, into out: inout HTMLBuffer) {
        out.raw("<div class=\"msg role-")
        out.raw(Self.roleClass(m.role))
        out.raw("\" id=\"m-")
        out.int(anchor)
        out.raw("\"><div class=\"msg-role\">")
        out.text(m.role)
        if let name = m.name {
            out.raw(" <span class=\"msg-name\">")
            out.text(name)
            out.raw("</span>")
        }
        if let id = m.toolCallID {
            toolResultLabel(id, into: &out)
        }
        out.raw("</div>")
        switch m.content {
        case .none:
            break
        case .text(let text):
            out.raw("<div class=\"msg-body\">")
            textField(text, markdown: true, into: &out)
            out.raw("</div>")
        case .parts(let parts):
            out.raw("<div class=\"msg-body\">")
            for part in parts { renderPart(part, into: &out) }
            out.raw("</div>")
        case .value(let other):
            out.raw("<div class=\"msg-body\">")
            json(other, into: &out)
            out.raw("</div>")
        }
        for call in m.toolCalls { renderToolCall(call, into: &out) }
        out.raw("</div>")
    }

    private mutating func renderPart(_ part: MessagePart, into out: inout HTMLBuffer) {
        switch part {
        case .text(let text), .reasoning(let text):
            textField(text, markdown: true, into: &out)
        case .toolCall(let call):
            renderToolCall(call, into: &out)
        case .image(let image):
            recordedPart(type: image.recorded["type"]?.stringValue ?? "", .object(image.recorded), into: &out)
        case .toolResult(let result):
            recordedPart(type: result.recorded["type"]?.stringValue ?? "", .object(result.recorded), into: &out)
        case .other(let type, let value):
            recordedPart(type: type, value, into: &out)
        case .value(let value):
            json(value, into: &out)
        }
    }

    /// A part shown as recorded, under its type.
    private func recordedPart(type: String, _ value: JSONValue, into out: inout HTMLBuffer) {
        out.raw("<div class=\"part\"><span class=\"part-type\">")
        out.text(type.isEmpty ? "part" : type)
        out.raw("</span>")
        json(value, into: &out)
        out.raw("</div>")
    }

    private mutating func renderToolCall(_ call: ToolCall, into out: inout HTMLBuffer) {
        out.raw("<div class=\"tool-call\"")
        if let callID = call.id, claimElementID(ToolCallIndex.elementID("call-", callID)) {
            out.attribute("id", ToolCallIndex.elementID("call-", callID))
        }
        out.raw("><span class=\"tool-name\">")
        out.text(call.name ?? "tool call")
        out.raw("</span>")
        if let id = call.id {
            out.raw("<span class=\"tool-id\">")
            out.text(id)
            out.raw(" ")
            toolCallLinks(id, into: &out)
            out.raw("</span>")
        }
        switch call.arguments {
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
