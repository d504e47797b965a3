import Foundation
import Testing
import TraceMarkdown
import TraceModel

@testable import TraceHTML

@Suite("Report rendering")
struct ReportRendererTests {
    @Test("Examples render as their goldens", arguments: ["refund-agent", "multi-agent-handoff", "eval-set"])
    func goldens(name: String) throws {
        let (runs, _) = try analyze(files: [example(name)])
        try assertGolden(ReportRenderer().render(runs), named: name)
    }

    @Test("The goldens were recorded with this libcmark")
    func cmarkVersion() throws {
        let recorded = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/TraceHTMLTests/Golden/CMARK_VERSION"),
            encoding: .utf8)
        #expect(
            recorded.trimmingCharacters(in: .whitespacesAndNewlines) == CommonMark.version,
            "goldens were recorded with libcmark \(recorded); this is \(CommonMark.version): re-record goldens with RECORD_GOLDEN=1 swift test"
        )
    }

    @Test("The refund page shows six spans, rendered Markdown, the stale document, scores and label")
    func refundStory() throws {
        let (runs, diagnostics) = try analyze(files: [example("refund-agent")])
        #expect(diagnostics.isEmpty)
        let files = ReportRenderer().render(runs)
        #expect(files.map(\.relativePath) == ["index.html", "runs/refund-7c1e2a9b4f.html"])
        let page = files[1].text
        let tree = String(
            page[
                page.range(of: "<div class=\"tree\">")!
                    .lowerBound..<page.range(of: "<section class=\"details\"")!.lowerBound])
        #expect(count("data-span-id=", in: tree) == 6)
        #expect(count("<article class=\"span-detail\"", in: page) == 6)
        for kind in ["agent", "llm", "tool", "retrieval", "state"] {
            #expect(tree.contains("data-kind=\"\(kind)\""))
        }
        #expect(page.contains("<strong>Alpine 2 hiking boots</strong>"))
        #expect(page.contains("Refund policy v2"))
        #expect(page.contains("superseded"))
        #expect(page.contains("data-score=\"correctness\""))
        #expect(page.contains("<li class=\"label\">stale policy retrieval</li>"))
        let index = files[0].text
        #expect(index.contains("data-run-id=\"refund-7c1e2a9b4f\""))
        #expect(index.contains("stale policy retrieval"))
        #expect(index.contains("data-key=\"score:correctness\""))
    }

    @Test("Rendering is deterministic and independent of parallelism")
    func determinism() throws {
        let files = ["refund-agent", "multi-agent-handoff", "eval-set"].map(example)
        let (runs, _) = try analyze(files: files)
        let one = ReportRenderer(options: ReportOptions(parallelism: 1)).render(runs)
        let two = ReportRenderer(options: ReportOptions(parallelism: 2)).render(runs)
        let again = ReportRenderer(options: ReportOptions(parallelism: 4)).render(
            try analyze(files: files, jobs: 2).runs)
        #expect(one == two)
        #expect(one == again)
    }

    @Test("Untrusted content is escaped and never runs or loads")
    func hostileContent() throws {
        let hostile = #"""
            {"trace_id":"x\"><script>alert(1)</script>","span_id":"a' onmouseover='alert(1)","name":"<img src=x onerror=alert(1)>","kind":"llm\"><b>","start_time":0,"end_time":1,"input":{"messages":[{"role":"user\" onclick=\"x","content":"<script>alert(2)</script> [click](javascript:alert(3)) ![pic](https://evil.example/p.png) <iframe src=https://evil.example></iframe>"}]},"output":"</pre><script>alert(4)</script>","labels":["<b>label</b>"],"scores":{"<i>s</i>":1},"metadata":{"</script>":"&lt;already&gt;"}}
            {"trace_id":"x\"><script>alert(1)</script>","span_id":"table","parent_id":"a' onmouseover='alert(1)","name":"answer","kind":"llm","start_time":0,"end_time":1,"output":"| <script>alert(5)</script> | [x](javascript:alert(6)) |\n|---|---|\n| <img src=x onerror=alert(7)> | <b>cell</b> \" onclick=\"alert(8) |"}
            """#
        let files = ReportRenderer().render(analyze(text: hostile))
        for file in files {
            let html = file.text
            #expect(count("<script", in: html) == 1, "only the report's own script in \(file.relativePath)")
            // Attribute values are always double-quoted with quotes escaped inside, so with the values
            // removed, what remains of each tag is its names alone.
            let tags = html.replacingOccurrences(of: #""[^"]*""#, with: "\"\"", options: .regularExpression)
            #expect(
                tags.range(of: #"<[a-zA-Z][^<>]*\son[a-z]+\s*="#, options: .regularExpression) == nil,
                "an event handler attribute in \(file.relativePath)")
            #expect(
                html.range(
                    of: #"<[a-zA-Z][^<>]*(src|href)\s*=\s*["']?\s*javascript:"#,
                    options: [.regularExpression, .caseInsensitive]) == nil)
            #expect(!html.contains("<iframe"))
            #expect(!html.contains("src=\"https://"))
            #expect(!html.contains("<b>"))
            #expect(!html.contains("<i>s</i>"))
        }
        let page = files.first { $0.relativePath.hasPrefix("runs/") }!
        #expect(page.text.contains("<table>"), "the table in the output is rendered, its cells escaped")
        #expect(page.text.contains("<td>&lt;img src=x onerror=alert(7)&gt;</td>"))
        #expect(page.relativePath.hasPrefix("runs/x_script_alert_1_script_-"))
        #expect(page.text.contains("&amp;lt;already&amp;gt;"), "text that looks like an entity is escaped again")
        #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test("Pages are self-contained: CSP allows only the inline style and script, nothing is fetched")
    func selfContained() throws {
        let (runs, _) = try analyze(files: [example("multi-agent-handoff")])
        for file in ReportRenderer().render(runs) {
            let html = file.text
            let css = PageShell.css
            let js = PageShell.js
            #expect(html.contains("<style>\(css)</style>"))
            #expect(html.contains("<script>\(js)</script>"))
            let cspLine =
                html.split(separator: "\n").first { $0.contains("Content-Security-Policy") }.map(String.init) ?? ""
            #expect(!cspLine.contains("&#39;"), "the policy is written unescaped")
            #expect(cspLine.contains("default-src 'none'"))
            #expect(cspLine.contains("script-src 'sha256-\(SHA256.base64Digest(of: js))'"))
            #expect(cspLine.contains("style-src-elem 'sha256-\(SHA256.base64Digest(of: css))'"))
            for pattern in ["src=\"http", "src='http", "url(http", "@import", "<link ", "src=\"//"] {
                #expect(!html.contains(pattern), "\(file.relativePath) contains \(pattern)")
            }
            #expect(html.hasSuffix("</html>\n"))
            #expect(!html.contains("\r"))
        }
    }

    @Test("A 20,000-deep chain renders every span, nesting stays within the browser's limit")
    func deepChain() {
        let n = 20_000
        var text = ""
        for i in 0..<n {
            let parent = i == 0 ? "null" : "\"s\(i - 1)\""
            text +=
                #"{"trace_id":"deep","span_id":"s\#(i)","parent_id":\#(parent),"name":"step \#(i)","kind":"task","start_time":\#(i),"end_time":\#(2 * n - i)}"#
                + "\n"
        }
        let runs = analyze(text: text)
        // The fully rendered page (runs this large get a data page; its preview nests the same way).
        var renderer = RunPageRenderer(run: runs[0], fileName: "deep")
        var body = HTMLBuffer()
        renderer.body(into: &body)
        let page = body.string
        let tree = String(
            page[
                page.range(of: "<div class=\"tree\">")!
                    .lowerBound..<page.range(of: "<section class=\"details\"")!.lowerBound])
        #expect(count("data-span-id=", in: tree) == n)
        #expect(count("<article class=\"span-detail\"", in: page) == n)
        #expect(count("<details class=\"node\"", in: tree) == RunPageRenderer.nestingLimit)
        #expect(tree.contains("data-span-id=\"s19999\" data-kind=\"task\" data-depth=\"19999\""))
        let events =
            (offsets(of: "<details", in: tree).map { ($0, 1) } + offsets(of: "</details>", in: tree).map { ($0, -1) })
            .sorted { $0.0 < $1.0 }
        var depth = 0
        var maxDepth = 0
        for (_, step) in events {
            depth += step
            maxDepth = max(maxDepth, depth)
        }
        #expect(depth == 0)
        #expect(maxDepth <= RunPageRenderer.nestingLimit)
    }

    @Test("Each distinct message is rendered once; repeats fold into stubs that link to it")
    func history() {
        var lines: [String] = []
        var messages: [String] = [#"{"role":"system","content":"You are **helpful**."}"#]
        for turn in 0..<3 {
            messages.append(#"{"role":"user","content":"question \#(turn)"}"#)
            lines.append(
                #"{"trace_id":"h","span_id":"l\#(turn)","name":"call","kind":"llm","start_time":\#(turn),"end_time":\#(turn + 1),"input":{"messages":[\#(messages.joined(separator: ","))]},"output":{"role":"assistant","content":"answer \#(turn)"}}"#
            )
            messages.append(#"{"role":"assistant","content":"answer \#(turn)"}"#)
        }
        let fullPage = ReportRenderer().render(analyze(text: lines.joined(separator: "\n"))).first {
            $0.relativePath.hasPrefix("runs/")
        }!.text
        // The header shows the run's first question and its last answer once more, at a glance.
        let page = String(fullPage[fullPage.range(of: "<main")!.lowerBound...])
        #expect(count("<details class=\"history\">", in: page) == 2)
        #expect(page.contains("<summary>3 earlier messages, shown in full above</summary>"))
        #expect(count("You are <strong>helpful</strong>.", in: page) == 1)
        #expect(count("<p>question 0</p>", in: page) == 1)
        #expect(count("<p>answer 0</p>", in: page) == 1, "the output message of call 0 is the history of call 1")
        #expect(count("href=\"#m-1\"", in: page) == 2, "the system prompt is linked from the two later calls")
        for anchor in 1...5 { #expect(count("id=\"m-\(anchor)\"", in: page) == 1) }
    }

    @Test("Long values are folded, never cut")
    func folding() {
        let long = String(repeating: "word ", count: 2000) + "THE-END"
        let text = #"{"trace_id":"f","span_id":"a","name":"n","kind":"tool","start_time":0,"output":"\#(long)"}"#
        let page = ReportRenderer().render(analyze(text: text)).first { $0.relativePath.hasPrefix("runs/") }!.text
        #expect(page.contains("<details class=\"fold\">"))
        #expect(page.contains("THE-END"))
        #expect(page.contains("(10,007 characters)"))
    }
}

@Suite("HTML building blocks")
struct BuildingBlockTests {
    @Test("Escaping covers the five special characters and NUL")
    func escaping() {
        #expect(htmlEscaped("a&b<c>d\"e'f\u{0}g") == "a&amp;b&lt;c&gt;d&quot;e&#39;f\u{FFFD}g")
        #expect(htmlEscaped("&amp;") == "&amp;amp;")
        #expect(htmlEscaped("plain ünïcödé 🙂") == "plain ünïcödé 🙂")
    }

    @Test("SHA-256 matches the FIPS test vectors")
    func sha256() {
        #expect(
            SHA256.hexDigest(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hexDigest(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(SHA256.base64(Array("hello".utf8)) == "aGVsbG8=")
    }

    @Test("Durations, counts, costs and scores are formatted without locale")
    func formatting() {
        #expect(Formatting.duration(850_000) == "850 µs")
        #expect(Formatting.duration(1_234_567) == "1.23 ms")
        #expect(Formatting.duration(12_345_678) == "12.3 ms")
        #expect(Formatting.duration(123_456_789) == "123 ms")
        #expect(Formatting.duration(1_234_000_000) == "1.23 s")
        #expect(Formatting.duration(125_000_000_000) == "2 m 05 s")
        #expect(Formatting.duration(3_720_000_000_000) == "1 h 02 m")
        #expect(Formatting.count(1_234_567) == "1,234,567")
        #expect(Formatting.count(12) == "12")
        #expect(Formatting.cost(1.234567) == "$1.23")
        #expect(Formatting.cost(0.0123) == "$0.0123")
        #expect(Formatting.cost(0.000045) == "$0.000045")
        #expect(Formatting.score(0.8, text: "0.8") == "0.80")
        #expect(Formatting.score(42, text: "42") == "42")
        #expect(Formatting.scoreClass(0.9) == "s-good")
        #expect(Formatting.scoreClass(0.6) == "s-mid")
        #expect(Formatting.scoreClass(0.1) == "s-bad")
    }

    @Test("Run file names are safe, unique and stable")
    func naming() {
        let stems = Naming.runFileStems(["abc-123", "../etc/passwd", "Run", "run", "ünï", ""])
        #expect(stems[0] == "abc-123")
        #expect(
            stems[1].hasPrefix("_etc_passwd-") || stems[1].hasPrefix("__etc_passwd-")
                || stems[1].hasPrefix("_._etc_passwd-"))
        #expect(!stems[1].contains("/") && !stems[1].contains(".."))
        #expect(stems[2] != stems[3] && stems[2].lowercased() != stems[3].lowercased())
        #expect(Set(stems).count == stems.count)
        #expect(stems == Naming.runFileStems(["abc-123", "../etc/passwd", "Run", "run", "ünï", ""]))
        let anchors = Naming.spanAnchors(["a", "a b", "a_b", "a"])
        #expect(Set(anchors).count == 4)
    }

    @Test("Tick marks use round steps")
    func ticks() {
        #expect(
            RunPageRenderer.ticks(length: 5_750_000_000).map(\.0) == [
                0, 1_000_000_000, 2_000_000_000, 3_000_000_000, 4_000_000_000, 5_000_000_000,
            ])
        #expect(RunPageRenderer.percent(1, of: 3) == "33.333")
        #expect(RunPageRenderer.percent(5, of: 5) == "100")
    }
}

@Suite("Embedded assets")
struct EmbeddedAssetsTests {
    @Test("EmbeddedAssets+Generated.swift is up to date with templates/ and assets/")
    func freshness() throws {
        var files: [(path: String, contents: [UInt8])] = []
        for folder in ["templates", "assets"] {
            let dir = repositoryRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where !name.hasPrefix(".") {
                files.append(("\(folder)/\(name)", [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))))
            }
        }
        let expected = try EmbeddedAssetsSource.generate(files: files)
        let committed = try String(
            contentsOf: repositoryRoot.appendingPathComponent(
                "Sources/TraceHTML/Generated/EmbeddedAssets+Generated.swift"), encoding: .utf8)
        #expect(
            committed == expected,
            "EmbeddedAssets+Generated.swift is out of date. Run `swift run generate-embedded-assets`")
        for file in files {
            #expect(
                EmbeddedAssets.files.first { $0.path == file.path }.map { Array($0.contents.utf8) } == file.contents,
                "embedded bytes of \(file.path) differ from the file")
        }
    }

    @Test("Assets cannot close their own elements")
    func assetSanity() {
        #expect(!PageShell.js.contains("</script"))
        #expect(!PageShell.js.contains("<!--"))
        #expect(!PageShell.css.contains("</style"))
        #expect(!PageShell.js.contains("fetch("))
        #expect(!PageShell.js.contains("XMLHttpRequest"))
        #expect(!PageShell.js.contains("eval("))
    }

    @Test("The generator picks enough # delimiters and rejects CR and BOM")
    func generator() throws {
        let source = try EmbeddedAssetsSource.generate(files: [("a.txt", Array("x \"# y \\#( z\n".utf8))])
        #expect(source.contains("##\"\"\"\nx \"# y \\#( z\n\n\"\"\"##"))
        #expect(throws: EmbeddedAssetsSource.Failure.self) {
            try EmbeddedAssetsSource.generate(files: [("b", [0x61, 0x0D, 0x0A])])
        }
        #expect(throws: EmbeddedAssetsSource.Failure.self) {
            try EmbeddedAssetsSource.generate(files: [("c", [0xEF, 0xBB, 0xBF, 0x61])])
        }
    }
}
