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
    var shownMessages: [ContentKey: Int] = [:]
    /// Rendered Markdown, shared by every page of a report when the report renderer sets it.
    var markdownCache = MarkdownCache()
    var stubHTML: [Int: [UInt8]] = [:]
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

    /// Renders a span's input or output; `kind` is the span's.
    mutating func render(_ content: SpanContent, as role: Role, kind: SpanKind, into out: inout HTMLBuffer) {
        switch content.form {
        case .chat(let messages, let otherFields):
            renderMessages(messages, collapseHistory: role == .input && kind == .llm, into: &out)
            if let otherFields, !otherFields.isEmpty {
                out.raw("<div class=\"io-extra\"><div class=\"io-extra-title\">Other fields</div>")
                json(.object(otherFields), into: &out)
                out.raw("</div>")
            }
        case .documents(let documents):
            renderDocuments(documents, into: &out)
        case .text(let text):
            textField(
                text, markdown: kind == .llm || kind == .agent || kind == .reasoning || kind == .handoff, into: &out)
        case .json:
            jsonField(content.value, into: &out)
        }
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
