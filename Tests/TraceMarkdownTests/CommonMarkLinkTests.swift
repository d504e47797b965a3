import Testing
import TraceMarkdown

@Suite("CommonMark links and images")
struct CommonMarkLinkTests {
    static let rel = #"rel="noopener noreferrer nofollow""#

    @Test(
        "Links with an unsafe scheme keep their text and lose the link",
        arguments: [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](javascript\\:alert(1))",
            "[x](javascript&colon;alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](jav&#x41;script:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](java&#x0A;script:alert(1))",
            "[x](java&#13;script:alert(1))",
            "[x](&#x01;javascript:alert(1))",
            "[x](<\u{01}javascript:alert(1)>)",
            "[x](< javascript:alert(1)>)",
            "[x](<\tjavascript:alert(1)>)",
            "[x](&#32;javascript:alert(1))",
            "[x](javascript:alert(1) \"title\")",
            "[x](vbscript:msgbox(1))",
            "[x](VBScript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](data:image/png;base64,iVBORw0KGgo=)",
            "[x](file:///etc/passwd)",
            "[x](FILE://host/share)",
            "[x](ftp://example.com/x)",
            "[x](blob:https://example.com/uuid)",
            "[x](view-source:https://example.com)",
            "[x](intent://scan/#Intent;scheme=zxing;end)",
            "[x](//evil.example.com/path)",
            #"[x](<\\\\evil.example.com\share>)"#,
            "[x](/\\evil.example.com)",
            "[x][ref]\n\n[ref]: javascript:alert(1)",
            "[x]\n\n[x]: data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
            "<javascript:alert(1)>",
            "<vbscript:msgbox(1)>",
            "<file:///etc/passwd>",
        ]
    )
    func unsafeSchemesAreDropped(markdown: String) {
        let html = CommonMark.html(from: markdown)
        #expect(!html.contains("<a"), "\(html)")
        #expect(!html.contains("href"), "\(html)")
        #expect(!html.contains("<script"), "\(html)")
        #expect(html.hasPrefix("<p>"), "\(html)")
    }

    @Test("An unsafe link keeps its formatted text")
    func unsafeLinkKeepsText() {
        #expect(
            CommonMark.html(from: "see [the **docs**](javascript:alert(1)) now")
                == "<p>see the <strong>docs</strong> now</p>\n"
        )
        #expect(CommonMark.html(from: "<javascript:alert(1)>") == "<p>javascript:alert(1)</p>\n")
    }

    @Test("An https link is kept with rel attributes")
    func httpsLinkKept() {
        #expect(
            CommonMark.html(from: "[docs](https://example.com/a?b=1&c=2)")
                == "<p><a href=\"https://example.com/a?b=1&amp;c=2\" \(Self.rel)>docs</a></p>\n"
        )
    }

    @Test("Link titles and URLs are escaped like cmark does")
    func linkEscaping() {
        #expect(
            CommonMark.html(from: #"[a *b*](<https://e.com/a b"c\<é'> "it's <\"&>")"#)
                == #"<p><a href="https://e.com/a%20b%22c%3C%C3%A9&#x27;" title="it's &lt;&quot;&amp;&gt;" "#
                + Self.rel + #">a <em>b</em></a></p>"# + "\n"
        )
    }

    @Test(
        "Allowed destinations keep their href",
        arguments: [
            ("[x](http://example.com)", "http://example.com"),
            ("[x](HTTPS://EXAMPLE.COM/Path)", "HTTPS://EXAMPLE.COM/Path"),
            ("[x](mailto:someone@example.com)", "mailto:someone@example.com"),
            ("<someone@example.com>", "mailto:someone@example.com"),
            ("<https://example.com/auto>", "https://example.com/auto"),
            ("[x](#section-2)", "#section-2"),
            ("[x](relative/file.md)", "relative/file.md"),
            ("[x](./a:b)", "./a:b"),
            ("[x](/absolute/path)", "/absolute/path"),
            ("[x](?query=1)", "?query=1"),
            ("[x](<  https://example.com/trimmed  >)", "https://example.com/trimmed"),
            ("[x](ht&#x09;tps://example.com/tab)", "https://example.com/tab"),
            ("[x][r]\n\n[r]: https://example.com/ref", "https://example.com/ref"),
            ("[x]()", ""),
        ]
    )
    func allowedDestinations(markdown: String, href: String) {
        let html = CommonMark.html(from: markdown)
        #expect(html.contains("<a href=\"\(href)\" \(Self.rel)>"), "\(html)")
        #expect(html.contains("</a>"))
    }

    @Test("A remote image is turned into text")
    func remoteImageBecomesText() {
        #expect(
            CommonMark.html(from: "![diagram](https://example.com/d.png)")
                == "<p>diagram (https://example.com/d.png)</p>\n"
        )
        #expect(CommonMark.html(from: "![](http://example.com/e.png)") == "<p>http://example.com/e.png</p>\n")
        #expect(
            CommonMark.html(from: "![a *b* `c`\nd](//example.com/p.png \"title\")")
                == "<p>a b c d (//example.com/p.png)</p>\n"
        )
        #expect(
            CommonMark.html(from: "![x][img]\n\n[img]: https://example.com/ref.png")
                == "<p>x (https://example.com/ref.png)</p>\n"
        )
        #expect(
            CommonMark.html(from: "![<b>\"q\"</b>](https://example.com/x.png?a=1&b=2)")
                == "<p>&lt;b&gt;&quot;q&quot;&lt;/b&gt; (https://example.com/x.png?a=1&amp;b=2)</p>\n"
        )
    }

    @Test(
        "Images that are not embeddable data URLs never become img",
        arguments: [
            "![x](https://example.com/a.png)",
            "![x](http://example.com/a.gif)",
            "![x](//example.com/a.png)",
            "![x](a.png)",
            "![x](/abs/a.png)",
            "![x](file:///etc/passwd)",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
            "![x](data:image/png,notbase64)",
            "![x](data:image/png;base64,)",
            "![x](data:image/png;base64,AAAA?x=https://example.com)",
            "![x](<data:image/png;base64,AA AA>)",
            "![x](&#32;data:image/png;base64,AAAA)",
            "![x](data:image/png;base64,AA&#x09;AA)",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "![x](data:image/pngx;base64,AAAA)",
            "[![badge](https://img.example.com/b.svg)](https://ci.example.com)",
            "![outer ![inner](https://example.com/i.png)](https://example.com/o.png)",
            "![see [here](javascript:alert(1))](https://example.com/p.png)",
        ]
    )
    func nonEmbeddableImages(markdown: String) {
        let html = CommonMark.html(from: markdown)
        #expect(!html.contains("<img"), "\(html)")
        #expect(!html.contains("src="), "\(html)")
        #expect(!html.contains("javascript:alert(1)\""), "\(html)")
    }

    @Test("A data image is kept")
    func dataImageKept() {
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        #expect(
            CommonMark.html(from: "![pixel](data:image/png;base64,\(png) \"t\")")
                == "<p><img src=\"data:image/png;base64,\(png)\" alt=\"pixel\" title=\"t\" /></p>\n"
        )
        for type in ["gif", "jpeg", "webp", "PNG"] {
            #expect(CommonMark.html(from: "![a](data:image/\(type);base64,R0lG+/=)").contains("<img src="))
        }
    }

    @Test("An image inside a link becomes text inside the link")
    func imageInsideLink() {
        #expect(
            CommonMark.html(from: "[![build](https://img.example.com/b.svg)](https://ci.example.com)")
                == "<p><a href=\"https://ci.example.com\" \(Self.rel)>build (https://img.example.com/b.svg)</a></p>\n"
        )
    }

    @Test("Links inside a data image's alt text stay plain text")
    func linkInsideDataImage() {
        #expect(
            CommonMark.html(from: "![see [here](javascript:alert(1))](data:image/gif;base64,R0lGOD==)")
                == "<p><img src=\"data:image/gif;base64,R0lGOD==\" alt=\"see here\" /></p>\n"
        )
    }

    @Test("Every href and src in a varied corpus is allowed")
    func corpusOnlyHasAllowedURLs() {
        for markdown in ChatCorpus.documents(count: 120) {
            let html = CommonMark.html(from: markdown)
            for href in html.attributeValues(named: "href") {
                let lower = href.lowercased()
                #expect(
                    lower.hasPrefix("https://") || lower.hasPrefix("mailto:") || lower.hasPrefix("#")
                        || lower.hasPrefix("docs/"),
                    "\(href)"
                )
            }
            for src in html.attributeValues(named: "src") {
                #expect(src.hasPrefix("data:image/png;base64,"), "\(src)")
            }
            #expect(html.occurrences(of: "<a ") == html.occurrences(of: Self.rel))
        }
    }
}

extension String {
    /// The values of every `name="…"` attribute, in order.
    fileprivate func attributeValues(named name: String) -> [String] {
        split(separator: " \(name)=\"", omittingEmptySubsequences: false).dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    fileprivate func occurrences(of needle: String) -> Int {
        split(separator: needle, omittingEmptySubsequences: false).count - 1
    }
}
