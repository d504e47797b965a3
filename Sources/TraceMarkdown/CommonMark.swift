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
            render(UnsafeRawBufferPointer(utf8), flags: options.cmarkFlags) { html in
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
    private static func renderValidating(_ buffer: UnsafeBufferPointer<UInt8>, options: CommonMarkOptions) -> [UInt8] {
        let isValid = String(validating: buffer, as: UTF8.self) != nil
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
