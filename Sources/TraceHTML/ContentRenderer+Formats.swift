import TraceJSON
import TraceMarkdown
import TraceModel

/// The form a text value is shown in, carried on its block as `data-format`.
enum TextFormat: String {
    /// A unified diff or patch: added and removed lines marked, never Markdown.
    case diff
    /// JSON, including JSON written inside a string: pretty-printed.
    case json
    /// One fenced code block: shown as code.
    case code
    /// Markdown through cmark, with pipe tables.
    case markdown
    /// Text shown as written.
    case text
}

/// Text fields in their own form. Each field is a block `<div class="tf" data-format="…">`;
/// where the rendered form differs from the text as written (Markdown, JSON from a string), the
/// text as written follows in a hidden `<pre class="tf-raw">` that the page script's toggle
/// shows, and its copy button copies.
extension ContentRenderer {
    /// The form of `text`, and its parsed value when it is JSON.
    ///
    /// - Parameter markdown: Whether prose in this place is Markdown (model and agent output).
    static func format(of text: String, markdown: Bool) -> (TextFormat, JSONValue?) {
        if isDiff(text) { return (.diff, nil) }
        if let value = embeddedJSON(text) { return (.json, value) }
        if fencedCode(text) != nil { return (.code, nil) }
        return (markdown ? .markdown : .text, nil)
    }

    /// Renders one text field in its form.
    mutating func textField(_ text: String, markdown: Bool, into out: inout HTMLBuffer) {
        if text.utf8.count > Self.markdownByteLimit {
            // Past 1 MiB the text is shown once, as written: no form is guessed (each guess reads
            // the whole text) and no second copy is kept for the raw-text toggle.
            out.raw("<div class=\"tf\" data-format=\"text\" data-long>")
            longText(text, into: &out)
            out.raw("</div>")
            return
        }
        let (format, parsed) = Self.format(of: text, markdown: markdown)
        out.raw("<div class=\"tf\" data-format=\"")
        out.raw(format.rawValue)
        out.raw("\">")
        switch format {
        case .diff:
            diff(text, into: &out)
        case .json:
            json(parsed ?? .string(text), into: &out)
        case .code:
            let (language, body) = Self.fencedCode(text) ?? (nil, text)
            out.raw("<pre class=\"code\"><code")
            if let language { out.attribute("data-language", language) }
            out.raw(">")
            out.text(body)
            out.raw("</code></pre>")
        case .markdown:
            out.raw("<div class=\"md\">")
            self.markdown(text, into: &out)
            out.raw("</div>")
        case .text:
            plainText(text, into: &out)
        }
        if format == .markdown || format == .json {
            out.raw("<pre class=\"tf-raw\" hidden>")
            out.text(text)
            out.raw("</pre>")
        }
        out.raw("</div>")
    }

    /// A JSON value that is not text (an object, an array, a number) as a field block.
    func jsonField(_ value: JSONValue, into out: inout HTMLBuffer) {
        out.raw("<div class=\"tf\" data-format=\"json\">")
        json(value, into: &out)
        out.raw("</div>")
    }

    // MARK: - Diffs

    /// Whether `text` is a unified diff: a file header (`diff --git`, or `---` then `+++`) and
    /// at least one hunk (`@@ -`).
    static func isDiff(_ text: String) -> Bool {
        // A byte search first: `String.contains` compares Characters and costs about 30 times
        // more, and a Character match implies a byte match, so this only skips texts that
        // cannot match.
        guard ByteText.contains(text, "@@ -"), text.contains("@@ -") else { return false }
        var header = false
        var previousMinus = false
        var hunk = false
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).prefix(4000) {
            if line.hasPrefix("diff --git ") { header = true }
            if previousMinus && line.hasPrefix("+++ ") { header = true }
            previousMinus = line.hasPrefix("--- ")
            if header && line.hasPrefix("@@ -") {
                hunk = true
                break
            }
        }
        return header && hunk
    }

    /// A diff with each line marked: file headers, hunk headers, added, removed and context.
    func diff(_ text: String, into out: inout HTMLBuffer) {
        let long = text.utf8.count > Self.foldCharacters * 4
        if long {
            out.raw("<details class=\"fold\" open><summary>diff <span class=\"fold-size\">(")
            out.raw(
                Formatting.count(Int64(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count))
            )
            out.raw(" lines)</span></summary>")
        }
        out.raw("<pre class=\"diff\">")
        var inHunk = false
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (n, line) in lines.enumerated() {
            let cls: StaticString
            if line.hasPrefix("diff --git ") {
                inHunk = false
                cls = "d-file"
            } else if line.hasPrefix("@@") {
                inHunk = true
                cls = "d-hunk"
            } else if !inHunk {
                cls = "d-meta"
            } else if line.hasPrefix("+") {
                cls = "d-add"
            } else if line.hasPrefix("-") {
                cls = "d-del"
            } else if line.hasPrefix("\\") {
                cls = "d-meta"
            } else {
                cls = "d-ctx"
            }
            out.raw("<span class=\"")
            out.raw(cls)
            out.raw("\">")
            out.text(String(line))
            // The line break stays inside the line's block, so copied text keeps its lines
            // and no empty line shows between blocks.
            if n + 1 < lines.count { out.raw("\n") }
            out.raw("</span>")
        }
        out.raw("</pre>")
        if long { out.raw("</details>") }
    }

    // MARK: - JSON and code inside strings

    /// The object or array `text` holds, when all of it is one JSON value.
    static func embeddedJSON(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09
        { start += 1 }
        while end > start,
            bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x09
        { end -= 1 }
        guard end - start >= 2 else { return nil }
        let open = bytes[start]
        let close = bytes[end - 1]
        guard
            (open == UInt8(ascii: "{") && close == UInt8(ascii: "}"))
                || (open == UInt8(ascii: "[") && close == UInt8(ascii: "]"))
        else { return nil }
        let parsed = JSONStreamParser.parse(Array(bytes[start..<end]))
        guard parsed.errors.isEmpty, parsed.records.count == 1 else { return nil }
        switch parsed.records[0].value {
        case .object, .array: return parsed.records[0].value
        default: return nil
        }
    }

    /// The language and body of `text` when all of it is one fenced code block.
    static func fencedCode(_ text: String) -> (language: String?, body: String)? {
        // The opening fence starts with the text's first non-whitespace Character. When that
        // starts with an ASCII byte other than a fence marker, no split into lines is needed.
        if let first = ByteText.firstNonWhitespaceByte(text), first < 0x80,
            first != UInt8(ascii: "`"), first != UInt8(ascii: "~")
        {
            return nil
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        guard lines.count >= 2, let open = lines.first, let close = lines.last else { return nil }
        let marker: Character = open.hasPrefix("```") ? "`" : open.hasPrefix("~~~") ? "~" : " "
        guard marker != " " else { return nil }
        let width = open.prefix { $0 == marker }.count
        let closeWidth = close.prefix { $0 == marker }.count
        guard closeWidth >= width, close.dropFirst(closeWidth).allSatisfy(\.isWhitespace) else { return nil }
        let inner = lines[1..<(lines.count - 1)]
        // Another fence inside means several blocks with prose between: that is Markdown.
        if inner.contains(where: { $0.hasPrefix(String(repeating: marker, count: 3)) }) { return nil }
        let info = open.dropFirst(width).split(separator: " ").first.map(String.init)
        return (info?.isEmpty == false ? info : nil, inner.joined(separator: "\n"))
    }
}
