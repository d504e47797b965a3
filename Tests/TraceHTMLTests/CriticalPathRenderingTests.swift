import Foundation
import Testing
import TraceModel

@testable import TraceHTML

@Suite("Critical path on the run page")
struct CriticalPathRenderingTests {
    @Test("Rows on the path carry data-critical, bars get segments, the header gives shares by kind")
    func refundPage() throws {
        let (runs, _) = try analyze(files: [example("refund-agent")])
        let page = ReportRenderer().render(runs)[1].text
        // lookup_order (04.330–04.512) ran beside the retrieval (04.335–04.968), which the
        // answer waited for: it is the one span off the path.
        for id in ["sp-root", "sp-plan", "sp-retrieve", "sp-answer", "sp-state"] {
            #expect(
                page.contains("data-span-id=\"\(id)\" data-kind=") && criticalNode(id, in: page),
                "\(id) should be critical")
        }
        #expect(!criticalNode("sp-order", in: page))
        #expect(count("data-critical=\"true\"", in: treeOf(page)) == 5)
        // Segments: the root's five stretches between children, one per child on the path.
        #expect(count("class=\"crit-seg\"", in: treeOf(page)) == 9)
        let summary = try #require(
            page.range(of: "<p class=\"critical-summary\" data-critical-summary>").map { page[$0.lowerBound...] }?
                .prefix { $0 != "\n" })
        // 5.750 s in all: llm 1.150 + 3.530 s, retrieval 0.633 s, state 0.285 s, agent 0.152 s.
        #expect(summary.contains("data-kind=\"llm\" data-nanos=\"4680000000\""))
        #expect(summary.contains("data-kind=\"retrieval\" data-nanos=\"633000000\""))
        #expect(summary.contains("data-kind=\"state\" data-nanos=\"285000000\""))
        #expect(summary.contains("data-kind=\"agent\" data-nanos=\"152000000\""))
        #expect(!summary.contains("data-kind=\"tool\""))
        #expect(summary.contains("llm</span> 81.4%"))
        #expect(summary.contains("retrieval</span> 11.0%"))
        let order = ["llm", "retrieval", "state", "agent"].map { summary.range(of: "data-kind=\"\($0)\"")!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test("Untraced time on the path is named in the summary")
    func gap() {
        let runs = analyze(
            text: """
                {"trace_id":"q","span_id":"req","name":"request","kind":"agent","start_time":100,"end_time":100.5}
                {"trace_id":"q","span_id":"pub","parent_id":"req","name":"publish","kind":"tool","start_time":100.1,"end_time":100.2}
                {"trace_id":"q","span_id":"con","parent_id":"pub","name":"consume","kind":"llm","start_time":101,"end_time":102}
                """)
        let page = ReportRenderer().renderRunPage(runs[0], fileStem: "q").text
        #expect(page.contains("<span class=\"critical-share\" data-kind=\"untraced\" data-nanos=\"500000000\""))
        #expect(count("data-critical=\"true\"", in: treeOf(page)) == 3)
    }

    private func treeOf(_ page: String) -> String {
        String(
            page[
                page.range(of: "<div class=\"tree\">")!
                    .lowerBound..<page.range(of: "<section class=\"details\"")!.lowerBound])
    }

    private func criticalNode(_ id: String, in page: String) -> Bool {
        guard let r = page.range(of: "data-span-id=\"\(id)\"") else { return false }
        let tag = page[r.lowerBound...].prefix { $0 != ">" }
        return tag.contains("data-critical=\"true\"")
    }
}
