internal import CCmark

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Renders untrusted CommonMark to HTML that is safe to inline in an offline report.
///
/// Every call parses with libcmark, rewrites the node tree, renders it and frees it
/// before returning; no cmark pointer outlives the call. The output is safe in
/// these ways, whatever the input:
///
/// - Raw HTML is never passed through: it becomes `<!-- raw HTML omitted -->`.
/// - A link keeps its `href` only for `http`, `https`, `mailto` and scheme-less URLs
///   (fragments, relative paths; not `//host`); any other link is rendered as its
///   text alone. Kept links carry `rel="noopener noreferrer nofollow"`.
/// - An image is an `<img>` only for inline `data:image/{png,gif,jpeg,webp};base64,`
///   sources. Any other image becomes text, `alt (url)`, so opening the report
///   fetches nothing.
///
/// The output is a pure function of the input bytes, the options and ``version``.
/// Calls may run on several threads at once: libcmark 0.30 keeps its parser, tree and
/// render buffer per call, and its only writable globals are the default allocator
/// (a `calloc`/`realloc`/`free` table it never changes) and a one-byte empty-string
/// sentinel it never writes.
public enum CommonMark {
    /// The libcmark version in use, such as `0.30.2`.
    public static var version: String {
        String(cString: cmark_version_string())
    }

    /// Renders untrusted Markdown to safe HTML.
    ///
    /// - Parameters:
    ///   - markdown: CommonMark text, typically a chat message or tool output.
    ///   - options: Rendering options; raw HTML and source positions are never enabled.
    /// - Returns: An HTML fragment, empty for empty input.
    public static func html(from markdown: String, options: CommonMarkOptions = .default) -> String {
        var markdown = markdown
        return markdown.withUTF8 { utf8 in
            if let plain = PlainText.html(utf8, options: options) { return String(decoding: plain, as: UTF8.self) }
            return render(UnsafeRawBufferPointer(utf8), flags: options.cmarkFlags) { html in
                String(decoding: html, as: UTF8.self)
            }
        }
    }

    /// Renders untrusted Markdown given as UTF-8 bytes to safe HTML bytes.
    ///
    /// Contiguous inputs (`[UInt8]`, `ArraySlice<UInt8>`, `UnsafeRawBufferPointer`,
    /// `Data`, …) are parsed in place; the only copy is the one out of cmark's render
    /// buffer into the returned array. Invalid UTF-8 is replaced with U+FFFD, so the
    /// output is always valid UTF-8 (``CommonMarkOptions/validateUTF8`` is implied), and
    /// valid input gives the same bytes as ``html(from:options:)``.
    ///
    /// - Parameters:
    ///   - bytes: CommonMark text as UTF-8.
    ///   - options: Rendering options; raw HTML and source positions are never enabled.
    /// - Returns: The HTML fragment as UTF-8, empty for empty input.
    public static func html(
        fromUTF8 bytes: some Collection<UInt8>,
        options: CommonMarkOptions = .default
    ) -> [UInt8] {
        if let html = bytes.withContiguousStorageIfAvailable({ buffer in
            renderValidating(buffer, options: options)
        }) {
            return html
        }
        return Array(bytes).withUnsafeBufferPointer { buffer in
            renderValidating(buffer, options: options)
        }
    }

    /// Renders UTF-8 that may be invalid, asking cmark to repair it only when needed.
    ///
    /// Validating in Swift is cheap next to parsing, and it means valid input renders with
    /// exactly the flags, and so to exactly the bytes, of ``html(from:options:)``.
    ///
    /// Valid text with no Markdown syntax at all skips cmark: see ``PlainText``.
    static func renderValidating(
        _ buffer: UnsafeBufferPointer<UInt8>, options: CommonMarkOptions, plainTextFastPath: Bool = true
    ) -> [UInt8] {
        let isValid = String(validating: buffer, as: UTF8.self) != nil
        if isValid, plainTextFastPath, let plain = PlainText.html(buffer, options: options) { return plain }
        let flags = (isValid ? options : options.union(.validateUTF8)).cmarkFlags
        return render(UnsafeRawBufferPointer(buffer), flags: flags) { Array($0) }
    }

    /// Parses `input`, makes links and images safe, renders HTML and hands it to `body`.
    ///
    /// The buffer passed to `body` is only valid during the call.
    private static func render<Result>(
        _ input: UnsafeRawBufferPointer,
        flags: Int32,
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        let document: OpaquePointer
        if let base = input.baseAddress, input.count > 0 {
            guard let parsed = cmark_parse_document(base.assumingMemoryBound(to: CChar.self), input.count, flags)
            else { fatalError("cmark_parse_document returned NULL") }
            document = parsed
        } else {
            guard let parsed = cmark_parse_document("", 0, flags) else {
                fatalError("cmark_parse_document returned NULL")
            }
            document = parsed
        }
        defer { cmark_node_free(document) }

        // Collect first, rewrite after: cmark forbids changing the tree under a live iterator.
        // Links and images inside an image are skipped: cmark renders an image's children
        // only as plain alt text, and an image that is replaced takes them with it.
        var links: [OpaquePointer] = []
        var images: [OpaquePointer] = []
        do {
            guard let iterator = cmark_iter_new(document) else { fatalError("cmark_iter_new returned NULL") }
            defer { cmark_iter_free(iterator) }
            var imageDepth = 0
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if type == CMARK_NODE_IMAGE {
                    if event == CMARK_EVENT_ENTER {
                        if imageDepth == 0 { images.append(node) }
                        imageDepth += 1
                    } else {
                        imageDepth -= 1
                    }
                } else if type == CMARK_NODE_LINK, event == CMARK_EVENT_ENTER, imageDepth == 0 {
                    links.append(node)
                }
            }
        }

        for image in images {
            let source = bytes(cmark_node_get_url(image))
            if URLPolicy.isEmbeddableImageSource(source) { continue }

            // The alt text as cmark would write it into `alt`: literal text, breaks as spaces.
            var text: [UInt8] = []
            do {
                guard let iterator = cmark_iter_new(image) else { fatalError("cmark_iter_new returned NULL") }
                defer { cmark_iter_free(iterator) }
                while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                    guard let node = cmark_iter_get_node(iterator) else { continue }
                    let type = cmark_node_get_type(node)
                    if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE {
                        text.append(contentsOf: bytes(cmark_node_get_literal(node)))
                    } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                        text.append(UInt8(ascii: " "))
                    }
                }
            }
            if text.isEmpty {
                text = source
            } else if !source.isEmpty {
                text.append(contentsOf: " (".utf8)
                text.append(contentsOf: source)
                text.append(UInt8(ascii: ")"))
            }

            guard let replacement = cmark_node_new(CMARK_NODE_TEXT) else { fatalError("cmark_node_new returned NULL") }
            let didSet = withNULTerminated(text) { cmark_node_set_literal(replacement, $0) }
            precondition(didSet == 1, "cmark refused a text literal")
            precondition(cmark_node_replace(image, replacement) == 1, "cmark refused to replace an image")
            cmark_node_free(image)
        }

        for link in links {
            let destination = URLPolicy.normalizedDestination(bytes(cmark_node_get_url(link)))
            if URLPolicy.isAllowedLinkDestination(destination) {
                // Re-emit the link through a custom inline node so it can carry `rel`.
                let openingTag = LinkMarkup.openingTag(href: destination, title: bytes(cmark_node_get_title(link)))
                guard let anchor = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else {
                    fatalError("cmark_node_new returned NULL")
                }
                let didSetEnter = withNULTerminated(openingTag) { cmark_node_set_on_enter(anchor, $0) }
                let didSetExit = cmark_node_set_on_exit(anchor, LinkMarkup.closingTag)
                precondition(didSetEnter == 1 && didSetExit == 1, "cmark refused custom inline markup")
                while let child = cmark_node_first_child(link) {
                    precondition(cmark_node_append_child(anchor, child) == 1, "cmark refused to move a link child")
                }
                precondition(cmark_node_replace(link, anchor) == 1, "cmark refused to replace a link")
            } else {
                // Keep the link text, drop the link.
                while let child = cmark_node_first_child(link) {
                    precondition(cmark_node_insert_before(link, child) == 1, "cmark refused to move a link child")
                }
            }
            cmark_node_free(link)
        }

        guard let html = cmark_render_html(document, flags) else { fatalError("cmark_render_html returned NULL") }
        defer { free(html) }
        return body(
            UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html)))
    }

    /// Copies a NUL-terminated string owned by cmark; `NULL` becomes empty.
    private static func bytes(_ string: UnsafePointer<CChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeRawBufferPointer(start: string, count: strlen(string)))
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string.
    private static func withNULTerminated<Result>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result
    {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            UnsafeRawPointer(buffer.baseAddress!).withMemoryRebound(to: CChar.self, capacity: buffer.count, body)
        }
    }
}

extension CommonMarkOptions {
    /// The `CMARK_OPT_*` flags for these options.
    ///
    /// Never includes `CMARK_OPT_UNSAFE` or `CMARK_OPT_SOURCEPOS`, whatever the raw value.
    fileprivate var cmarkFlags: Int32 {
        var flags = CMARK_OPT_DEFAULT
        if contains(.smart) { flags |= CMARK_OPT_SMART }
        if contains(.hardBreaks) { flags |= CMARK_OPT_HARDBREAKS }
        if contains(.noBreaks) { flags |= CMARK_OPT_NOBREAKS }
        if contains(.validateUTF8) { flags |= CMARK_OPT_VALIDATE_UTF8 }
        return flags
    }
}

/// The fast path for text with no Markdown syntax in it: most prompts, replies and tool text.
///
/// Such text is only paragraphs of lines, so its HTML is known without parsing: each run of
/// non-empty lines becomes `<p>…</p>\n`, lines joined by the soft break, with `"` and `>`
/// escaped as cmark escapes them. ``html(_:options:)`` takes the path only when the text is
/// made of bytes that can neither start nor change any CommonMark construct, and answers `nil`
/// otherwise. The rules are deliberately stricter than CommonMark needs:
///
/// - Never anywhere: ASCII control bytes other than `\n` (so no tab, CR, NUL, form feed),
///   DEL, C1 controls (U+0080–U+009F) and U+FEFF (cmark drops a leading byte order mark);
///   the emphasis, code, link, escape and raw-HTML characters `*` `_` `` ` `` `~` `[` `]`
///   `\` `&` `<`; and `|`, which a table syntax would use.
/// - Never at the start of a line: a space (indentation, code blocks), `>` `#` `-` `+` `=`
///   (block quotes, headings, lists, thematic breaks, setext underlines), and digits followed
///   by `.` or `)` (ordered lists).
/// - Never at the end of a line or of the text: a space (cmark trims it, and two make a hard
///   break).
/// - Never with ``CommonMarkOptions/smart``, which rewrites quotes and dashes.
///
/// The input must be valid UTF-8. The differential tests in `TraceMarkdownTests` compare this
/// path with cmark over many generated and sampled strings.
enum PlainText {
    /// What a byte may do: 0 never appears, 1 anywhere, 2 anywhere but at a line's start, 3 a
    /// digit (at a line's start only when the digits are not followed by `.` or `)`).
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = 1 }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = 1 }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = 3 }
        for b in 0x80...0xFF { table[b] = 1 }
        for c in "!\"$%'(),./:;?@^{}" { table[Int(c.asciiValue!)] = 1 }
        for c in " >#-+=" { table[Int(c.asciiValue!)] = 2 }
        return table
    }()

    /// The HTML cmark would write for `text`, or `nil` when the text may hold Markdown syntax.
    static func html(_ text: UnsafeBufferPointer<UInt8>, options: CommonMarkOptions) -> [UInt8]? {
        guard !options.contains(.smart), let base = text.baseAddress else { return text.isEmpty ? [] : nil }
        let n = text.count
        // Check every rule first: most text that fails, fails early.
        var escapes = 0
        var lineStart = true
        var i = 0
        while i < n {
            let byte = base[i]
            if byte == 0x0A {
                if i > 0, base[i - 1] == 0x20 { return nil }
                lineStart = true
                i += 1
                continue
            }
            let kind = classes[Int(byte)]
            if kind == 0 { return nil }
            if lineStart {
                if kind == 2 { return nil }
                if kind == 3 {
                    var j = i
                    while j < n, base[j] >= 0x30, base[j] <= 0x39 { j += 1 }
                    if j < n, base[j] == UInt8(ascii: ".") || base[j] == UInt8(ascii: ")") { return nil }
                }
                lineStart = false
            }
            if byte >= 0x80 {
                // U+0080–U+009F are C2 80–C2 9F; U+FEFF is EF BB BF.
                if byte == 0xC2, i + 1 < n, base[i + 1] < 0xA0 { return nil }
                if byte == 0xEF, i + 2 < n, base[i + 1] == 0xBB, base[i + 2] == 0xBF { return nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ">") {
                escapes += 1
            }
            i += 1
        }
        if n > 0, base[n - 1] == 0x20 { return nil }

        let softBreak: StaticString =
            options.contains(.hardBreaks) ? "<br />\n" : options.contains(.noBreaks) ? " " : "\n"
        var out: [UInt8] = []
        out.reserveCapacity(n + escapes * 5 + 16)
        var inParagraph = false
        var pendingBreak = false
        i = 0
        while i < n {
            let byte = base[i]
            if byte == 0x0A {
                if i > 0, base[i - 1] == 0x0A, inParagraph {
                    out.append(contentsOf: "</p>\n".utf8)
                    inParagraph = false
                    pendingBreak = false
                } else if inParagraph {
                    pendingBreak = true
                }
                i += 1
                continue
            }
            if !inParagraph {
                out.append(contentsOf: "<p>".utf8)
                inParagraph = true
            } else if pendingBreak {
                softBreak.withUTF8Buffer { out.append(contentsOf: $0) }
                pendingBreak = false
            }
            // Copy the rest of the line, escaping as cmark does.
            var j = i
            while j < n, base[j] != 0x0A {
                let b = base[j]
                if b == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<j]))
                    out.append(contentsOf: "&quot;".utf8)
                    i = j + 1
                } else if b == UInt8(ascii: ">") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<j]))
                    out.append(contentsOf: "&gt;".utf8)
                    i = j + 1
                }
                j += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<j]))
            i = j
        }
        if inParagraph { out.append(contentsOf: "</p>\n".utf8) }
        return out
    }
}
