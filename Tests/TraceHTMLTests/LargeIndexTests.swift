import Foundation
import Testing
import TraceModel

@testable import TraceHTML

@Suite("Large reports")
struct LargeIndexTests {
    /// 40 runs, each starting 10 s before the one above it (so start order is the reverse of
    /// input order); runs 3, 10, 17, … fail; run 5 has a name that is markup.
    static let trace: String = (0..<40).map { i -> String in
        let start = 2000 - i * 10
        let name = i == 5 ? #"<img src=x onerror=alert(1)>\"'&"# : "run number \(i)"
        let error = i % 7 == 3 ? #","error":{"type":"ToolError","message":"failed"}"# : ""
        return
            #"{"trace_id":"t\#(i)","span_id":"root","name":"\#(name)","kind":"agent","start_time":\#(start),"end_time":\#(start + 2),"input":"question \#(i)","output":"answer \#(i)"\#(error)}"#
            + "\n"
            + #"{"trace_id":"t\#(i)","span_id":"call","parent_id":"root","name":"plan","kind":"llm","start_time":\#(start),"end_time":\#(start + 1),"usage":{"input_tokens":\#(10 + i),"output_tokens":5}}"#
    }.joined(separator: "\n")

    static func render(_ options: ReportOptions) -> [OutputFile] {
        ReportRenderer(options: options).render(analyze(text: trace))
    }

    /// The inflated contents of each data element of `kind` (`rows` or `bodies`), split at NULs.
    static func data(_ kind: String, in html: String) throws -> [String] {
        let open = "<script type=\"application/x-trace-report-\(kind)\""
        var items: [String] = []
        var rest = html[...]
        while let start = rest.range(of: open) {
            let contentStart = rest[start.upperBound...].range(of: ">")!.upperBound
            let end = rest[contentStart...].range(of: "</script>")!
            let base64 = String(rest[contentStart..<end.lowerBound])
            #expect(base64.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) })
            let deflated = try #require(Data(base64Encoded: base64))
            let inflated = try #require(IndexData.unpack([UInt8](deflated)))
            items += String(decoding: inflated, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
                .map(String.init)
            rest = rest[end.upperBound...]
        }
        return items
    }

    static let startOrder = (0..<40).reversed().map { "t\($0)" }
    static let failed = Set((0..<40).filter { $0 % 7 == 3 }.map { "t\($0)" })

    @Test("The index carries every run's row and page body as deflated data, in start order")
    func rowsAndBodies() throws {
        let files = Self.render(ReportOptions(largeReportRuns: 10))
        let index = try #require(files.first { $0.relativePath == "index.html" }).text
        let rows = try Self.data("rows", in: index)
        #expect(rows.count == 40)
        let ids = rows.map { row in
            String(row.split(separator: "\"")[1])
        }
        #expect(ids == Self.startOrder)
        for row in rows {
            #expect(row.hasPrefix("<tr data-run-id=\""))
            #expect(row.contains(" data-status=\""))
            #expect(row.contains("<td data-key=\"tokens\" data-value=\""))
        }
        #expect(rows[34].contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"))
        let bodies = try Self.data("bodies", in: index)
        #expect(bodies.count == 40)
        let stems = Dictionary(uniqueKeysWithValues: Self.startOrder.map { ($0, $0) })
        for (id, body) in zip(Self.startOrder, bodies) {
            #expect(body.contains("<dt>Trace ID</dt><dd>\(id)</dd>"), "the body of \(id) in its place")
            if let page = files.first(where: { $0.relativePath == "runs/\(stems[id]!).html" }) {
                #expect(page.text.contains("<body class=\"run-page\">\n" + body + "\n<script>"))
            }
        }
    }

    @Test("Pages of their own for the rows shown without JavaScript, failed runs and runs asked for")
    func chosenPages() throws {
        let files = Self.render(ReportOptions(largeReportRuns: 10, pages: ["t30"]))
        let pages = Set(files.map(\.relativePath).filter { $0.hasPrefix("runs/") })
        let expected = Set(Self.startOrder.prefix(ReportRenderer.noScriptRows)).union(Self.failed).union(["t30"])
        #expect(pages == Set(expected.map { "runs/\($0).html" }))
        let index = try #require(files.first { $0.relativePath == "index.html" }).text
        for row in try Self.data("rows", in: index) {
            let id = String(row.split(separator: "\"")[1])
            let link = expected.contains(id) ? "<a href=\"runs/\(id).html\"" : "<a href=\"#run/\(id)\""
            #expect(row.contains(link), "the row of \(id) links to \(link)")
        }
        // Without JavaScript: the first rows in start order and a note.
        let tbody = index[index.range(of: "<tbody>")!.upperBound..<index.range(of: "</tbody>")!.lowerBound]
        let shown = tbody.components(separatedBy: "<tr data-run-id=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
        #expect(shown == Array(Self.startOrder.prefix(ReportRenderer.noScriptRows)))
        #expect(index.contains("Showing the first 20 of 40 runs, in start order."))

        let all = Self.render(ReportOptions(largeReportRuns: 10, allPages: true))
        #expect(all.filter { $0.relativePath.hasPrefix("runs/") }.count == 40)
    }

    @Test("At or below the threshold the index is the plain table, with no data")
    func smallIsUnchanged() throws {
        let large = Self.render(ReportOptions(largeReportRuns: 40))
        let plain = Self.render(ReportOptions(largeReportRuns: 1000))
        #expect(large == plain)
        let index = try #require(plain.first { $0.relativePath == "index.html" }).text
        #expect(!index.contains("x-trace-report-rows"))
        let tbody = index[index.range(of: "<tbody>")!.upperBound..<index.range(of: "</tbody>")!.lowerBound]
        #expect(count("<tr data-run-id=", in: String(tbody)) == 40)
        #expect(plain.filter { $0.relativePath.hasPrefix("runs/") }.count == 40)
    }

    @Test("A large report is deterministic and independent of parallelism")
    func deterministic() {
        #expect(
            Self.render(ReportOptions(parallelism: 1, largeReportRuns: 10))
                == Self.render(ReportOptions(parallelism: 4, largeReportRuns: 10)))
    }

    @Test("Untrusted text in a large index is escaped in its data, and the page runs only its own script")
    func hostile() throws {
        let files = Self.render(ReportOptions(largeReportRuns: 10))
        let index = try #require(files.first { $0.relativePath == "index.html" }).text
        let chunks = count("<script type=\"application/x-trace-report-", in: index)
        #expect(count("<script", in: index) == chunks + 1, "data elements and the report's own script only")
        for fragment in try Self.data("rows", in: index) + Self.data("bodies", in: index) {
            #expect(!fragment.contains("<img"))
            #expect(!fragment.contains("<script"))
            let tags = fragment.replacingOccurrences(of: #""[^"]*""#, with: "\"\"", options: .regularExpression)
            #expect(tags.range(of: #"<[a-zA-Z][^<>]*\son[a-z]+\s*="#, options: .regularExpression) == nil)
        }
    }

    @Test("Deflate and base64 round-trip")
    func packing() throws {
        let text = Array(String(repeating: "<tr data-run-id=\"x\">é</tr>\0", count: 500).utf8)
        let packed = String(decoding: IndexData.pack(text), as: UTF8.self)
        let deflated = try #require(Data(base64Encoded: packed))
        #expect(IndexData.unpack([UInt8](deflated)) == text)
        #expect(IndexData.inflate([UInt8](deflated)) == IndexData.separateDigits(text))
        for n in 0..<5 {
            let bytes = [UInt8](0..<UInt8(n))
            #expect(String(decoding: IndexData.base64(bytes), as: UTF8.self) == Data(bytes).base64EncodedString())
        }
    }

    @Test("Packing fragments gives the bytes of packing them joined")
    func packingFragments() throws {
        let samples: [[String]] = [
            [], [""], ["", ""], ["a1b22", "\u{1}3\0é", "44"], ["<tr>\0</tr>", "9", "", "x\u{1}\u{1}7"],
            (0..<300).map { "<tr data-n=\"\($0)\">row \($0 * 7) é</tr>" },
        ]
        for fragments in samples {
            let bytes = fragments.map { Array($0.utf8) }
            #expect(IndexData.pack(fragments: bytes) == IndexData.pack(IndexData.join(bytes)), "\(fragments.prefix(3))")
        }
    }

    @Test("Deflating parts gives the bytes of deflating them joined")
    func deflatingParts() {
        let text = Array((0..<20_000).map { "<tr data-n=\"\($0 % 97)\">row \($0)</tr>" }.joined().utf8)
        for cuts in [[Int](), [0], [text.count], [1, 2, 3], [70_000], [5, 5, 100_000, 200_000]] {
            var parts: [[UInt8]] = []
            var from = 0
            for cut in cuts + [text.count] {
                parts.append(Array(text[from..<max(from, min(cut, text.count))]))
                from = max(from, min(cut, text.count))
            }
            for level: Int32 in [6, 9] {
                #expect(Deflate.compress(parts: parts, level: level) == Deflate.compress(text, level: level), "\(cuts)")
            }
        }
        #expect(Deflate.decompress(Deflate.compress(parts: [])) == [])
    }

    @Test("Chunks of page bodies close at 256 runs or 2,048 spans, whichever comes first")
    func bodyChunkBounds() {
        #expect(IndexData.bodyChunks(spanCounts: []) == [])
        #expect(IndexData.bodyChunks(spanCounts: [5]) == [0..<1])
        #expect(IndexData.bodyChunks(spanCounts: Array(repeating: 1, count: 600)) == [0..<256, 256..<512, 512..<600])
        #expect(IndexData.bodyChunks(spanCounts: [2040, 8, 2048, 1, 1]) == [0..<2, 2..<3, 3..<5])
        let chunks = IndexData.bodyChunks(spanCounts: (0..<5000).map { $0 % 40 })
        #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == 5000)
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    @Test("Data chunks carry their digits apart from the markup, and get them back whole")
    func digitsApart() throws {
        // The same vector as Tests/js/table-model.test.js, which puts the digits back in the page.
        let text = Array("<b>12 of 7</b>\u{1}x".utf8)
        #expect(String(decoding: IndexData.separateDigits(text), as: UTF8.self) == "12,7,\n<b>\u{1} of \u{1}</b>\u{1}x")
        for sample in ["", "\u{1}", "0", "a1b22c333\u{1}\u{1}4", "<tr>\0é</tr>\n9\n", "1,2\n3"] {
            let bytes = Array(sample.utf8)
            #expect(IndexData.joinDigits(IndexData.separateDigits(bytes)) == bytes, "\(sample)")
        }
        #expect(IndexData.joinDigits(Array("1,2\n\u{1}".utf8)) == nil)
        #expect(IndexData.joinDigits(Array("<tr>".utf8)) == nil)

        // In a large index: the markup part of every chunk has no digit left.
        let files = Self.render(ReportOptions(largeReportRuns: 10))
        let index = try #require(files.first { $0.relativePath == "index.html" }).text
        var chunks = 0
        for kind in ["rows", "bodies"] {
            let open = "<script type=\"application/x-trace-report-\(kind)\""
            for piece in index.components(separatedBy: open).dropFirst() {
                let base64 = piece[piece.range(of: ">")!.upperBound..<piece.range(of: "</script>")!.lowerBound]
                let deflated = try #require(Data(base64Encoded: String(base64)))
                let inflated = try #require(IndexData.inflate([UInt8](deflated)))
                let newline = try #require(inflated.firstIndex(of: 0x0A))
                #expect(inflated[..<newline].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ",") })
                #expect(!inflated[(newline + 1)...].contains { $0 >= 0x30 && $0 <= 0x39 })
                chunks += 1
            }
        }
        #expect(chunks >= 2)
    }

    @Test("A large index lists a recurring failure's first 100 runs and carries the others as data")
    func failureRunsAsData() throws {
        let trace = (0..<150).map { i -> String in
            #"{"trace_id":"f\#(i)","span_id":"root","name":"job","kind":"agent","start_time":\#(1000 + i),"end_time":\#(1001 + i),"error":{"type":"ToolError","message":"failed"}}"#
        }.joined(separator: "\n")
        func section(_ options: ReportOptions) throws -> String {
            let files = ReportRenderer(options: options).render(analyze(text: trace))
            let index = try #require(files.first { $0.relativePath == "index.html" }).text
            let start = try #require(index.range(of: "<section class=\"failure-groups\""))
            let end = try #require(index[start.upperBound...].range(of: "</section>"))
            return String(index[start.lowerBound..<end.upperBound])
        }
        let small = try section(ReportOptions())
        #expect(small.components(separatedBy: "<li><a ").count - 1 == 150)
        #expect(!small.contains("failure-runs-data"))

        let large = try section(ReportOptions(largeReportRuns: 10))
        #expect(large.contains("data-count=\"150\""))
        #expect(large.components(separatedBy: "<li><a ").count - 1 == 100)
        #expect(large.contains("<li class=\"failure-more\">50 more runs (listed with JavaScript)</li></ul>"))
        let open = "<script type=\"application/x-trace-report-failure-runs\" class=\"failure-runs-data\">"
        let from = try #require(large.range(of: open)).upperBound
        let to = try #require(large[from...].range(of: "</script>")).lowerBound
        let deflated = try #require(Data(base64Encoded: String(large[from..<to])))
        let items = String(decoding: try #require(IndexData.unpack([UInt8](deflated))), as: UTF8.self)
            .split(separator: "\0").map(String.init)
        #expect(items.count == 50)
        #expect(items.allSatisfy { $0.hasPrefix("<li><a href=\"") && $0.hasSuffix("</li>") })
        let listed = Set(
            large.components(separatedBy: "data-failure-run=\"").dropFirst().map { $0.prefix { $0 != "\"" } })
        let carried = Set(items.map { $0.components(separatedBy: "data-failure-run=\"")[1].prefix { $0 != "\"" } })
        #expect(listed.count == 100)
        #expect(listed.isDisjoint(with: carried))
        #expect(listed.union(carried) == Set((0..<150).map { "f\($0)"[...] }))
    }
}
