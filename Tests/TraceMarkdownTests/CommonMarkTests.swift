import Testing
import TraceMarkdown

@Suite("CommonMark rendering")
struct CommonMarkTests {
    @Test("Emphasis renders as strong and em")
    func emphasis() {
        #expect(CommonMark.html(from: "*em* and **strong**") == "<p><em>em</em> and <strong>strong</strong></p>\n")
        #expect(CommonMark.html(from: "_em_ and __strong__") == "<p><em>em</em> and <strong>strong</strong></p>\n")
    }

    @Test("Code blocks and code spans are escaped")
    func codeIsEscaped() {
        let markdown = """
            ```swift
            let tag = "<b>&amp;</b>"
            ```

            Inline `<script>alert(1)</script>` too.
            """
        #expect(
            CommonMark.html(from: markdown) == """
                <pre><code class="language-swift">let tag = &quot;&lt;b&gt;&amp;amp;&lt;/b&gt;&quot;
                </code></pre>
                <p>Inline <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> too.</p>

                """
        )
    }

    @Test("A fence info string cannot break out of the class attribute")
    func fenceInfoIsEscaped() {
        let html = CommonMark.html(from: "```x\"><script>alert(1)</script>\ncode\n```\n")
        let escapedInfo = "x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        #expect(html == "<pre><code class=\"language-\(escapedInfo)\">code\n</code></pre>\n")
    }

    @Test(
        "Raw HTML is inert",
        arguments: [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "text <img src=\"https://example.com/p.png\" onerror=\"alert(1)\"> text",
            "<iframe src=\"https://example.com\"></iframe>",
            "<a href=\"javascript:alert(1)\">click</a>",
            "<div onclick=\"alert(1)\">\n\n*still markdown*\n\n</div>",
            "<style>body{background:url(https://example.com/x)}</style>",
            "<!-- comment --><svg onload=alert(1)>",
            "<link rel=stylesheet href=https://example.com/x.css>",
        ]
    )
    func rawHTMLIsInert(markdown: String) {
        let html = CommonMark.html(from: markdown)
        #expect(html.contains("<!-- raw HTML omitted -->"))
        for forbidden in [
            "<script", "<img", "<iframe", "<a ", "<div", "<style", "<svg", "<link", "onerror", "onload", "onclick",
        ] {
            #expect(!html.contains(forbidden), "\(forbidden) in \(html)")
        }
    }

    @Test("Inline raw HTML becomes a placeholder and the text around it stays")
    func inlineRawHTMLPlaceholder() {
        #expect(
            CommonMark.html(from: "a <img src=x onerror=alert(1)> b")
                == "<p>a <!-- raw HTML omitted --> b</p>\n"
        )
        #expect(CommonMark.html(from: "<script>alert(1)</script>") == "<!-- raw HTML omitted -->\n")
    }

    @Test("No option combination lets raw HTML or source positions through")
    func optionsNeverUnsafe() {
        let every = CommonMarkOptions(rawValue: .max)
        let html = CommonMark.html(from: "# Title\n\n<script>alert(1)</script>\n\n<b>x</b>", options: every)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("data-sourcepos"))
        #expect(html.hasPrefix("<h1>Title</h1>\n"))
    }

    @Test("Options change rendering")
    func options() {
        #expect(CommonMark.html(from: "a\nb") == "<p>a\nb</p>\n")
        #expect(CommonMark.html(from: "a\nb", options: .hardBreaks) == "<p>a<br />\nb</p>\n")
        #expect(CommonMark.html(from: "a\nb", options: .noBreaks) == "<p>a b</p>\n")
        #expect(
            CommonMark.html(from: "\"hi\" -- there", options: .smart) == "<p>\u{201C}hi\u{201D} \u{2013} there</p>\n")
        #expect(CommonMarkOptions.default == [])
    }

    @Test("Empty and blank input render as nothing")
    func emptyInput() {
        #expect(CommonMark.html(from: "") == "")
        #expect(CommonMark.html(from: "   \n\n\t\n") == "")
        #expect(CommonMark.html(fromUTF8: [UInt8]()) == [])
        #expect(CommonMark.html(fromUTF8: ArraySlice<UInt8>()) == [])
    }

    @Test(
        "Invalid-looking input renders without crashing and stays escaped",
        arguments: [
            "**unclosed bold",
            "[link](",
            "[link](<unterminated",
            "![image](",
            "<<<>>>&&&\"\"\"'''",
            "`unbalanced ``code",
            "&#0; &#xFFFFFF; &bogus; &#x110000;",
            "\u{0}\u{1}\u{7F} control characters",
            "* * *\n- - -\n___",
            "> > > > nested\n> quote",
            "1) one\n2. two\n- three",
            "\\",
            "```\nunterminated fence",
        ]
    )
    func invalidLookingInput(markdown: String) {
        let html = CommonMark.html(from: markdown)
        #expect(!html.contains("<script"))
        #expect(!html.contains("\u{0}"))
        #expect(html == CommonMark.html(from: markdown))
    }

    @Test("Pathological nesting renders in bounded time")
    func pathologicalInput() {
        let inputs = [
            String(repeating: ">", count: 5_000) + " deep",
            String(repeating: "[", count: 20_000) + "x" + String(repeating: "](https://example.com)", count: 20_000),
            String(repeating: "*a ", count: 20_000),
            String(repeating: "- ", count: 2_000) + "item",
            String(repeating: "![", count: 10_000) + "x"
                + String(repeating: "](https://example.com/p.png)", count: 10_000),
        ]
        for input in inputs {
            let html = CommonMark.html(from: input)
            #expect(!html.isEmpty)
            #expect(!html.contains("<img"))
        }
    }

    @Test("Invalid UTF-8 bytes become U+FFFD")
    func invalidUTF8() {
        let html = CommonMark.html(fromUTF8: [0x41, 0xFF, 0xFE, 0x42, 0xC3])
        #expect(String(validating: html, as: UTF8.self) == "<p>A\u{FFFD}\u{FFFD}B\u{FFFD}</p>\n")
    }

    @Test("The byte API matches the String API for every kind of collection")
    func byteAPIMatchesStringAPI() {
        for markdown in ChatCorpus.documents(count: 40) + ["", "é ü 日本語 🙂 **bold**"] {
            let expected = Array(CommonMark.html(from: markdown).utf8)
            let bytes = Array(markdown.utf8)
            #expect(CommonMark.html(fromUTF8: bytes) == expected)
            #expect(CommonMark.html(fromUTF8: bytes[...]) == expected)
            #expect(CommonMark.html(fromUTF8: markdown.utf8) == expected)
            #expect(bytes.withUnsafeBytes { CommonMark.html(fromUTF8: $0) } == expected)
            // Not contiguous: exercises the copying fallback.
            #expect(CommonMark.html(fromUTF8: bytes.lazy.map { $0 }) == expected)
        }
    }

    @Test("Version is libcmark 0.x")
    func version() {
        #expect(!CommonMark.version.isEmpty)
        #expect(CommonMark.version.hasPrefix("0."))
    }
}
