import Foundation
import Testing
import TraceHTML
import TraceModel

/// The text of the element opened by the first occurrence of `marker`, up to its `</div>`
/// closing at the same depth.
func block(after marker: String, in html: String) -> String? {
    guard let start = html.range(of: marker) else { return nil }
    var depth = 1
    var i = start.upperBound
    while i < html.endIndex {
        if html[i...].hasPrefix("<div") {
            depth += 1
        } else if html[i...].hasPrefix("</div>") {
            depth -= 1
            if depth == 0 { return String(html[start.lowerBound..<i]) }
        }
        i = html.index(after: i)
    }
    return nil
}

@Suite("The run at a glance")
struct GlanceTests {
    @Test("The refund run's header shows the customer's question and the agent's final answer")
    func refundHeader() throws {
        let (runs, _) = try analyze(files: [example("refund-agent")])
        let page = ReportRenderer().render(runs)[1].text
        let input = try #require(block(after: "data-run-input>", in: page))
        #expect(input.contains("<strong>Alpine 2 hiking boots</strong> (order A-99172)"))
        #expect(input.contains("Can I still return them for a refund?"))
        #expect(!input.contains("customer_id"), "the question, not the whole request object")
        let output = try #require(block(after: "data-run-output>", in: page))
        #expect(output.contains("<strong>You are not eligible</strong> for a refund"))
        #expect(output.contains("<li><strong>Store credit</strong> of €189.00"))
        #expect(!page.contains("data-run-expected"), "the example records no expected output")
        // The header comes before the tree.
        let header = try #require(page.range(of: "</header>"))
        #expect(page.range(of: "data-run-input")!.lowerBound < header.lowerBound)
    }

    @Test("Expected output is shown beside the output; a run with no root input shows its first user message")
    func expectedAndFallback() throws {
        let text = """
            {"trace_id":"t1","span_id":"r","name":"qa","kind":"chain","start_time":0,"end_time":2,"metadata":{"expected":"Paris"}}
            {"trace_id":"t1","span_id":"m","parent_id":"r","name":"answer","kind":"llm","start_time":0,"end_time":1,"input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of *France*?"}],"output":{"role":"assistant","content":"Lyon <script>alert(1)</script>"}}
            """
        let runs = analyze(text: text)
        let files = ReportRenderer().render(runs)
        let page = files[1].text
        let input = try #require(block(after: "data-run-input>", in: page))
        #expect(input.contains("Capital of <em>France</em>?"))
        #expect(!input.contains("Be brief"))
        let output = try #require(block(after: "data-run-output>", in: page))
        #expect(output.contains("Lyon"))
        #expect(!output.contains("<script>"), "output is escaped like everything else")
        let expected = try #require(block(after: "data-run-expected>", in: page))
        #expect(expected.contains("Paris"))

        let index = files[0].text
        #expect(
            index.contains(
                "<div class=\"preview\" data-preview=\"input\" title=\"Capital of *France*?\"><span class=\"preview-label\">In</span> Capital of *France*?</div>"
            ))
        #expect(index.contains("data-preview=\"expected\" title=\"Paris\""))
        #expect(index.contains("data-preview=\"output\" title=\"Lyon &lt;script&gt;alert(1)&lt;/script&gt;\""))
    }
}
