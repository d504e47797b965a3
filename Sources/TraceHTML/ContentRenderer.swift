import TraceJSON
import TraceMarkdown
import TraceModel

/// Renders span inputs and outputs: chat messages by role with Markdown content, tool calls,
/// retrieval documents, and any other JSON pretty-printed.
///
/// One renderer serves one page. It renders each distinct message once and reuses the HTML
/// for every repeat, since agent traces repeat the whole chat history in every model call.
struct ContentRenderer {
    /// Text longer than this is folded behind a preview; it is never cut.
    static let foldCharacters = 4000
    /// Texts longer than this (in UTF-8 bytes) are shown as written instead of as Markdown.
    static let markdownByteLimit = 1 << 20
    /// Pretty JSON with more lines than this is folded.
    static let foldLines = 40

    /// The anchor number of each message already shown in full on this page.
    private var shownMessages: [ContentKey: Int] = [:]
    /// Rendered Markdown, shared by every page of a report when the report renderer sets it.
    var markdownCache = MarkdownCache()
    private var stubHTML: [Int: [UInt8]] = [:]
    /// The page's tool calls, results and tool spans, for links between them.
    var toolCalls = ToolCallIndex()
    /// Element ids already written on this page.
    private var elementIDs: Set<String> = []

    /// Whether `id` is still free on this page; it is taken if so.
    mutating func claimElementID(_ id: String) -> Bool {
        elementIDs.insert(id).inserted
    }

    /// Whether the value renders as something richer than JSON.
    enum Role {
        case input
        case output
    }

    // MARK: - Entry point

    /// Renders an input or output value of a span of `kind`.
    mutating func render(_ value: JSONValue, as role: Role, kind: SpanKind, into out: inout HTMLBuffer) {
        if let (messages, rest) = Self.chatMessages(in: value, role: role) {
            renderMessages(messages, collapseHistory: role == .input && kind == .llm, into: &out)
            if let rest, !rest.isEmpty {
                out.raw("<div class=\"io-extra\"><div class=\"io-extra-title\">Other fields</div>")
                json(.object(rest), into: &out)
                out.raw("</div>")
            }
            return
        }
        if let documents = Self.documents(in: value, kind: kind) {
            renderDocuments(documents, into: &out)
            return
        }
        if case .string(let text) = value {
            textField(
                text, markdown: kind == .llm || kind == .agent || kind == .reasoning || kind == .handoff, into: &out)
            return
        }
        jsonField(value, into: &out)
    }

    /// Renders a text value on its own (a run's input or output in the header): strings as
    /// Markdown, anything else as ``render(_:as:kind:into:)`` does.
    mutating func renderText(_ value: JSONValue, kind: SpanKind, into out: inout HTMLBuffer) {
        render(value, as: .output, kind: kind, into: &out)
    }

    // MARK: - Chat messages

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
    private mutating func renderMessages(_ messages: [JSONObject], collapseHistory: Bool, into out: inout HTMLBuffer) {
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

    // MARK: - Retrieval documents

    static func documents(in value: JSONValue, kind: SpanKind) -> [JSONObject]? {
        var items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o):
            guard case .array(let a)? = o["documents"] ?? o["docs"] ?? o["results"] else { return nil }
            items = a
        default: return nil
        }
        guard !items.isEmpty, kind == .retrieval || kind == .memory || kind == .embedding || value["documents"] != nil
        else { return nil }
        var docs: [JSONObject] = []
        for item in items {
            guard case .object(let o) = item else { return nil }
            guard documentText(o) != nil else { return nil }
            docs.append(o)
        }
        return docs
    }

    private static func documentText(_ o: JSONObject) -> String? {
        (o["content"] ?? o["page_content"] ?? o["text"] ?? o["document"])?.stringValue
    }

    private mutating func renderDocuments(_ docs: [JSONObject], into out: inout HTMLBuffer) {
        out.raw("<div class=\"docs\">")
        for doc in docs {
            out.raw("<div class=\"doc\"><div class=\"doc-head\">")
            if let id = (doc["id"] ?? doc["document_id"])?.scalarText {
                out.raw("<span class=\"doc-id\">")
                out.text(id)
                out.raw("</span>")
            }
            if let score = (doc["score"] ?? doc["relevance_score"])?.numberValue {
                out.raw("<span class=\"doc-score\">score ")
                out.text(Formatting.score(score.double, text: score.text))
                out.raw("</span>")
            }
            out.raw("</div><div class=\"doc-body\">")
            textField(Self.documentText(doc) ?? "", markdown: true, into: &out)
            out.raw("</div>")
            let rest = JSONObject(
                doc.members.filter {
                    !["id", "document_id", "score", "relevance_score", "content", "page_content", "text", "document"]
                        .contains($0.key)
                })
            if !rest.isEmpty {
                out.raw("<div class=\"doc-meta\">")
                json(.object(rest), into: &out)
                out.raw("</div>")
            }
            out.raw("</div>")
        }
        out.raw("</div>")
    }

    // MARK: - Leaves

    /// Markdown rendered by cmark (raw HTML off, unsafe links dropped), each distinct text once
    /// per report.
    mutating func markdown(_ text: String, into out: inout HTMLBuffer) {
        // cmark's memory grows far faster than the text on very long lines: past 1 MiB, as written.
        guard text.utf8.count <= Self.markdownByteLimit else { return plainText(text, into: &out) }
        let long = text.utf8.count > Self.foldCharacters
        if long { openFold(text, into: &out) }
        // Table-free stretches go through cmark (or its plain-text fast path) once per report.
        out.raw(bytes: PipeTables.html(fromMarkdown: text, cache: markdownCache))
        if long { out.raw("</details>") }
    }

    /// Text shown as written, wrapped, folded when long.
    func plainText(_ text: String, into out: inout HTMLBuffer) {
        let long = text.utf8.count > Self.foldCharacters
        if long { openFold(text, into: &out) }
        out.raw("<pre class=\"text\">")
        out.text(text)
        out.raw("</pre>")
        if long { out.raw("</details>") }
    }

    /// A text over ``markdownByteLimit``, folded behind a preview that gives its size in bytes,
    /// shown in full as written.
    func longText(_ text: String, into out: inout HTMLBuffer) {
        var text = text
        text.withUTF8 { utf8 in
            out.raw("<details class=\"fold\"><summary>")
            out.text(Self.preview(bytes: utf8, characters: 200))
            out.raw(" <span class=\"fold-size\">(")
            out.raw(Formatting.count(Int64(utf8.count)))
            out.raw(" bytes, shown as written)</span></summary><pre class=\"text\">")
            out.reserveAdditional(utf8.count + utf8.count / 16 + 64)
            out.appendEscaped(utf8)
            out.raw("</pre></details>")
        }
    }

    /// Pretty JSON, folded when long.
    func json(_ value: JSONValue, into out: inout HTMLBuffer) {
        let text = JSONText.bytes(value, pretty: true)
        var lines = 1
        for byte in text where byte == 0x0A { lines += 1 }
        let long = lines > Self.foldLines || text.count > Self.foldCharacters
        if long {
            out.raw("<details class=\"fold\"><summary><code>")
            out.text(Self.preview(bytes: text, characters: 120))
            out.raw("</code> <span class=\"fold-size\">(")
            out.raw(Formatting.count(Int64(lines)))
            out.raw(" lines)</span></summary>")
        }
        out.raw("<pre class=\"json\">")
        text.withUnsafeBufferPointer { out.appendEscaped($0) }
        out.raw("</pre>")
        if long { out.raw("</details>") }
    }

    private func openFold(_ text: String, into out: inout HTMLBuffer) {
        out.raw("<details class=\"fold\"><summary>")
        out.text(Self.preview(text, characters: 200))
        out.raw(" <span class=\"fold-size\">(")
        out.raw(Formatting.count(Int64(text.unicodeScalars.count)))
        out.raw(" characters)</span></summary>")
    }

    /// The first `characters` characters on one line, with an ellipsis when longer.
    static func preview(_ text: String, characters: Int) -> String {
        var text = text
        return text.withUTF8 { preview(bytes: $0, characters: characters) }
    }

    /// The first `characters` Unicode scalars of UTF-8 text on one line, runs of whitespace
    /// folded into one space, with an ellipsis when longer. Reads only what it shows.
    static func preview(bytes: some Collection<UInt8>, characters: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(characters + 8)
        var scalars = 0
        var pendingSpace = false
        var truncated = false
        for byte in bytes {
            let isContinuation = byte & 0xC0 == 0x80
            if !isContinuation {
                if scalars >= characters {
                    truncated = true
                    break
                }
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace {
                    out.append(0x20)
                    scalars += 1
                    pendingSpace = false
                }
                scalars += 1
            }
            out.append(byte)
        }
        var result = String(decoding: out, as: UTF8.self)
        if truncated { result += "…" }
        return result
    }
}

extension JSONValue {
    /// A string or number as text, for ids that may be written either way.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n.text
        default: nil
        }
    }
}
