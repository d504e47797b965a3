import Foundation
import Testing
import TraceJSON
import TraceModel

@testable import TraceHTML

/// A run of `n` spans shaped like an agent's: steps with a model call, a tool call (every
/// seventh fails, with `payload` in its message) and a retrieval, Markdown in the answers.
func agentRunText(spans n: Int, payload: String = "") -> String {
    var lines: [String] = []
    func add(_ s: String) { if lines.count < n { lines.append(s) } }
    let q = payload.replacingOccurrences(of: "\"", with: "\\\"")
    add(
        #"{"trace_id":"big","span_id":"root","name":"agent \#(q)","kind":"agent","start_time":0,"end_time":\#(n),"input":"Fix the tests"}"#
    )
    var t = 0
    while lines.count < n {
        let s = Double(t) * 4
        add(
            #"{"trace_id":"big","span_id":"s\#(t)","parent_id":"root","name":"step \#(t)","kind":"agent","start_time":\#(s),"end_time":\#(s + 3.5)}"#
        )
        add(
            #"{"trace_id":"big","span_id":"s\#(t).llm","parent_id":"s\#(t)","name":"chat","kind":"llm","model":"gpt-4o","start_time":\#(s + 0.1),"end_time":\#(s + 1),"input":[{"role":"user","content":"question \#(t)"}],"output":{"role":"assistant","content":"**Answer** \#(t) with `code` \#(q)"},"usage":{"input_tokens":\#(100 + t),"output_tokens":10}}"#
        )
        let error = t % 7 == 3 ? #","error":{"type":"TimeoutError","message":"timed out \#(t) \#(q)"}"# : ""
        add(
            #"{"trace_id":"big","span_id":"s\#(t).tool","parent_id":"s\#(t)","name":"read_file","kind":"tool","start_time":\#(s + 1.1),"end_time":\#(s + 2),"input":{"path":"src/f\#(t).py"},"output":"contents of file \#(t)"\#(error)}"#
        )
        add(
            #"{"trace_id":"big","span_id":"s\#(t).ret","parent_id":"s\#(t)","name":"search docs","kind":"retrieval","start_time":\#(s + 2.1),"end_time":\#(s + 3),"output":[{"id":"d\#(t)","text":"document \#(t)"}]}"#
        )
        t += 1
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A data page taken apart: the table's header and columns, and each span's details HTML and
/// search text, inflated with zlib.
struct DecodedRunData {
    var header: JSONValue
    var floats: [String: [Double]] = [:]
    var ints: [String: [Int32]] = [:]
    var bytes: [String: [UInt8]] = [:]
    var details: [String] = []
    var searchTexts: [String] = []
    var chunkRanges: [(first: Int, count: Int)] = []

    init(page: String) throws {
        let tableText = try #require(
            Self.scripts(in: page, opening: "<script type=\"application/octet-stream\" id=\"run-table\">").first)
        let tableDeflated = try #require(Base64.decode(Array(tableText.utf8)))
        let table = try #require(Deflate.decompress(tableDeflated))
        let length = Int(table[0]) | Int(table[1]) << 8 | Int(table[2]) << 16 | Int(table[3]) << 24
        let parsed = JSONStreamParser.parse(Array(table[4..<(4 + length)]))
        header = try #require(parsed.records.first?.value)
        let n = try #require(Int(header["spans"]?.numberValue?.text ?? ""))
        var offset = (4 + length + 7) / 8 * 8
        for name in header["floatColumns"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            floats[name] = (0..<n).map { i in
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(table[offset + i * 8 + k]) << (8 * UInt64(k)) }
                return Double(bitPattern: bits)
            }
            offset += 8 * n
        }
        for name in header["intColumns"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            ints[name] = (0..<n).map { i in
                var bits: UInt32 = 0
                for k in 0..<4 { bits |= UInt32(table[offset + i * 4 + k]) << (8 * UInt32(k)) }
                return Int32(bitPattern: bits)
            }
            offset += 4 * n
        }
        for name in header["byteColumns"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            bytes[name] = Array(table[offset..<(offset + n)])
            offset += n
        }
        #expect(offset == table.count, "the table ends with its last column")
        let marker = "<script type=\"application/octet-stream\" class=\"run-details\" data-first=\""
        var rest = Substring(page)
        while let r = rest.range(of: marker) {
            let attrs = rest[r.upperBound...].prefix { $0 != ">" }
            let numbers = attrs.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            let bodyStart = rest.index(r.upperBound, offsetBy: attrs.count + 1)
            let bodyEnd = try #require(rest.range(of: "</script>", range: bodyStart..<rest.endIndex)).lowerBound
            let deflated = try #require(Base64.decode(Array(rest[bodyStart..<bodyEnd].utf8)))
            let inflated = try #require(Deflate.decompress(deflated))
            let parts = inflated.split(separator: 0, omittingEmptySubsequences: false)
            #expect(parts.count == 2 * numbers[1], "each span has its details and its search text")
            for (k, part) in parts.enumerated() {
                let text = String(decoding: part, as: UTF8.self)
                if k % 2 == 0 { details.append(text) } else { searchTexts.append(text) }
            }
            chunkRanges.append((numbers[0], numbers[1]))
            rest = rest[bodyEnd...]
        }
    }

    var strings: [String] { header["strings"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    func string(_ column: String, _ i: Int) -> String? {
        let k = ints[column]![i]
        return k < 0 ? nil : strings[Int(k)]
    }

    static func scripts(in page: String, opening: String) -> [String] {
        var out: [String] = []
        var rest = Substring(page)
        while let r = rest.range(of: opening), let e = rest.range(of: "</script>", range: r.upperBound..<rest.endIndex)
        {
            out.append(String(rest[r.upperBound..<e.lowerBound]))
            rest = rest[e.upperBound...]
        }
        return out
    }
}

@Suite("Pages of large runs")
struct RunDataTests {
    static let spans = RunPageRenderer.dataPageThreshold + 500

    func render(_ text: String, jobs: Int = 1) throws -> (run: AnalyzedRun, page: String) {
        let runs = analyze(text: text)
        let run = try #require(runs.first)
        let files = ReportRenderer(options: ReportOptions(parallelism: jobs)).render(runs)
        let page = try #require(files.first { $0.relativePath.hasPrefix("runs/") })
        return (run, page.text)
    }

    @Test("Runs up to the threshold keep the fully rendered page; larger ones get a data page")
    func threshold() throws {
        let small = try render(agentRunText(spans: RunPageRenderer.dataPageThreshold))
        #expect(small.page.contains("<body class=\"run-page\">"))
        #expect(!small.page.contains("application/octet-stream"))
        #expect(
            small.page.components(separatedBy: "<article class=\"span-detail\"").count - 1 == small.run.run.nodes.count)
        let large = try render(agentRunText(spans: RunPageRenderer.dataPageThreshold + 1))
        #expect(large.page.contains("<body class=\"run-page run-data\">"))
    }

    @Test("The span table holds every span: ids, names, parents, kinds, times, tokens and errors")
    func table() throws {
        let (run, page) = try render(agentRunText(spans: Self.spans))
        let data = try DecodedRunData(page: page)
        let nodes = run.run.nodes
        #expect(data.header["spans"]?.numberValue?.text == String(nodes.count))
        let base = try #require(run.startTimeUnixNano)
        for i in nodes.indices {
            let span = nodes[i].span
            #expect(data.string("id", i) == span.spanID)
            #expect(data.string("name", i) == span.name)
            #expect(data.ints["parent"]![i] == Int32(nodes[i].parent ?? -1))
            #expect(data.ints["end"]![i] == Int32(nodes[i].subtreeEnd))
            let kinds = data.header["kinds"]!.arrayValue!.compactMap(\.stringValue)
            #expect(kinds[Int(data.bytes["kind"]![i])] == span.kind.rawValue)
            #expect(data.string("model", i) == span.model)
            #expect((data.bytes["flags"]![i] & RunData.Flag.error != 0) == (span.error != nil))
            #expect(data.floats["start"]![i] == Double(span.startTimeUnixNano! - base))
            #expect(data.floats["width"]![i] == Double(span.endTimeUnixNano! - span.startTimeUnixNano!))
            #expect(data.floats["tokens"]![i] == Double(run.metrics[i].tokensTotal))
        }
        #expect(data.header["firstError"]?.numberValue?.text == run.firstErrorIndex.map { String($0) })
    }

    @Test("Each span's details are the HTML the full page writes for it, in chunks covering every span")
    func details() throws {
        let (run, page) = try render(agentRunText(spans: Self.spans))
        let data = try DecodedRunData(page: page)
        var next = 0
        for range in data.chunkRanges {
            #expect(range.first == next)
            next += range.count
        }
        #expect(next == run.run.nodes.count)
        #expect(data.chunkRanges.count > 1, "large runs are cut into chunks")
        // The full page's articles, from the renderer that writes small runs' pages.
        var full = RunPageRenderer(run: run, fileName: "big")
        var body = HTMLBuffer()
        full.body(into: &body)
        let articles = body.string.components(separatedBy: "<article class=\"span-detail\"").dropFirst().map {
            "<article class=\"span-detail\"" + $0[..<$0.range(of: "</article>\n")!.upperBound]
        }
        #expect(articles.count == run.run.nodes.count)
        #expect(data.details == articles)
        // Messages repeated across spans link to their first rendering: every id is listed.
        let ids = data.header["ids"]!.arrayValue!
        #expect(ids.contains { $0.arrayValue?.first?.stringValue == "m-1" })
    }

    @Test("The search text holds names, kinds, models, errors and the text of inputs and outputs")
    func search() throws {
        let (run, page) = try render(agentRunText(spans: Self.spans))
        let data = try DecodedRunData(page: page)
        let errorIndex = try #require(run.firstErrorIndex)
        #expect(data.searchTexts[errorIndex].contains("timed out 3"))
        #expect(data.searchTexts[errorIndex].contains("TimeoutError"))
        #expect(data.searchTexts[errorIndex].contains("src/f3.py"))
        let llm = try #require(run.run.nodes.firstIndex { $0.span.kind == .llm })
        #expect(data.searchTexts[llm].contains("gpt-4o"))
        #expect(data.searchTexts[llm].contains("question 0"))
        #expect(data.searchTexts[llm].contains("**Answer** 0"))
    }

    @Test("Without JavaScript: the header, the top of the tree, the way to the first error and a note")
    func preview() throws {
        let (run, page) = try render(agentRunText(spans: Self.spans))
        let tree = String(
            page[
                page.range(of: "<div class=\"tree tree-preview\">")!
                    .lowerBound..<page.range(of: "<section class=\"details\"")!.lowerBound])
        let rows = tree.components(separatedBy: "data-span-id=").count - 1
        #expect(rows <= RunPageRenderer.previewRows + 10)
        #expect(rows >= RunPageRenderer.previewRows)
        var i = run.firstErrorIndex
        while let j = i {
            #expect(tree.contains("data-span-id=\"\(run.run.nodes[j].span.spanID)\""))
            i = run.run.nodes[j].parent
        }
        #expect(tree.contains("full view holds"))
        #expect(page.contains("<header class=\"run-header\">"))
        let articles = page.components(separatedBy: "<article class=\"span-detail\"").count - 1
        #expect(articles == rows, "the rows written have their details for links without JavaScript")
    }

    @Test("Data pages are deterministic, independent of parallelism, and keep the strict policy")
    func determinismAndPolicy() throws {
        let text = agentRunText(
            spans: Self.spans, payload: "<img src=x onerror=alert(1)></script><script>alert(2)</script>")
        let a = try render(text, jobs: 1).page
        let b = try render(text, jobs: 3).page
        #expect(a == b)
        let csp = a.split(separator: "\n").first { $0.contains("Content-Security-Policy") }.map(String.init) ?? ""
        #expect(csp.contains("default-src 'none'"))
        #expect(
            csp.contains(
                "script-src 'sha256-\(SHA256.base64Digest(of: PageShell.js))' 'sha256-\(SHA256.base64Digest(of: PageShell.viewerJS))'"
            ))
        #expect(a.contains("<script>\(PageShell.js)</script>\n<script>\(PageShell.viewerJS)</script>"))
        #expect(a.contains("<style>\(PageShell.dataCSS)</style>"))
        #expect(!a.contains("<img src=x"))
        #expect(!a.contains("<script>alert"))
        // Every other script element is inert data.
        let scripts = a.components(separatedBy: "<script").count - 1
        let inert = a.components(separatedBy: "<script type=\"application/octet-stream\"").count - 1
        #expect(scripts == inert + 2)
        #expect(!PageShell.viewerJS.contains("</script"))
        #expect(!PageShell.dataCSS.contains("</style"))
    }

    @Test("zlib and base64 round-trip")
    func deflate() {
        let bytes = Array("hello, hello, hello \u{1F600}".utf8) + (0..<300).map { UInt8($0 % 251) }
        for cut in [0, 1, 2, 3, bytes.count] {
            let part = Array(bytes.prefix(cut))
            var b64: [UInt8] = []
            Base64.encode(part, into: &b64)
            #expect(Base64.decode(b64) == part)
            #expect(Deflate.decompress(Deflate.compress(part)) == part)
        }
        var b64: [UInt8] = []
        Base64.encode(Array("Man".utf8), into: &b64)
        #expect(String(decoding: b64, as: UTF8.self) == "TWFu")
    }
}
