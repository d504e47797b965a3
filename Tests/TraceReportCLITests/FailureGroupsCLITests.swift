import Foundation
import Testing
import TraceJSON

@Suite("Recurring failures in the index", .serialized)
struct FailureGroupsCLITests {
    /// 50 failing runs in 3 ways, plus 6 that pass; ids, numbers, URLs and paths vary per run.
    static func trace() -> String {
        var lines: [String] = []
        func span(_ o: [String: Any]) {
            let data = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let t0 = 1_750_000_000.0
        for i in 0..<56 {
            let trace = String(format: "run-%03d", i)
            let start = t0 + Double(i) * 60
            var root: [String: Any] = [
                "trace_id": trace, "span_id": "root", "name": "support-agent", "kind": "agent", "start_time": start,
                "end_time": start + 10,
            ]
            let tool: [String: Any] = [
                "trace_id": trace, "span_id": "tool", "parent_id": "root", "name": "search_orders", "kind": "tool",
                "start_time": start + 1, "end_time": start + 9,
            ]
            var toolSpan = tool
            switch i {
            case 0..<24:
                // 1: the tool times out; the agent fails with it.
                toolSpan["error"] = [
                    "type": "TimeoutError",
                    "message":
                        "GET https://orders.internal/v1/orders/\(1000 + i)?expand=items timed out after \(30 + i % 7).5 s",
                ]
                root["error"] = [
                    "type": "AgentError", "message": "tool 'search_orders' failed for ticket T-\(48000 + i)",
                ]
            case 24..<40:
                // 2: the model is rate limited at the root.
                root["error"] = [
                    "type": "RateLimitError",
                    "message":
                        "Rate limit reached for org org-\(String(i * 7919, radix: 16))x on tokens per min: Limit 30000, Used \(29000 + i), Requested \(500 + i). Contact ops\(i)@example.com",
                ]
            case 40..<50:
                // 3: the run ends, but its answer scores below the threshold.
                root["scores"] = ["correctness": Double(i % 4) / 10]
            default:
                root["scores"] = ["correctness": 0.9]
            }
            if i >= 40 { root["labels"] = ["wrong answer"] } else if i < 24 { root["labels"] = ["orders api slow"] }
            span(root)
            span(toolSpan)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("50 failing runs in 3 ways give 3 groups with their counts, in the index and summary.json")
    func threeGroups() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("failures.jsonl")
        try Data(Self.trace().utf8).write(to: input)
        let out = dir.appendingPathComponent("report")
        let result = try run(["render", input.path, "-o", out.path, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let index = String(decoding: try Data(contentsOf: out.appendingPathComponent("index.html")), as: UTF8.self)
        let section = try #require(
            index.range(of: "<section class=\"failure-groups\"").map {
                String(index[$0.lowerBound...].prefix { _ in true })
            })
        let groups = matches(in: section, #"data-failure-group="([^"]*)" data-count="(\d+)""#)
        #expect(groups.map(\.1) == ["24", "16", "10"])
        #expect(
            groups.map(\.0) == [
                "tool search_orders · TimeoutError: GET &lt;url&gt; timed out after &lt;n&gt; s",
                "agent support-agent · RateLimitError: Rate limit reached for org &lt;id&gt; on tokens per min: Limit &lt;n&gt;, Used &lt;n&gt;, Requested &lt;n&gt;. Contact &lt;email&gt;",
                "score correctness below 0.5",
            ])
        let labels = matches(in: section, #"data-failure-label="([^"]*)" data-count="(\d+)""#)
        #expect(labels.map { "\($0.0)=\($0.1)" } == ["orders api slow=24", "wrong answer=10"])
        // Each group links to every one of its runs.
        let first = String(
            section[section.range(of: "data-failure-group=")!.lowerBound..<section.range(of: "</li>\n")!.upperBound])
        #expect(first.components(separatedBy: "<li><a href=\"runs/").count - 1 == 24)
        #expect(first.contains("2025-06-15 15:06:40.000Z – 2025-06-15 15:29:40.000Z"))

        let summary = try #require(
            JSONStreamParser.parse([UInt8](try Data(contentsOf: out.appendingPathComponent("summary.json")))).records
                .first?.value)
        let listed = try #require(summary["failure_groups"]?.arrayValue)
        #expect(
            listed.compactMap { $0["by"]?.stringValue == "signature" ? $0["count"]?.numberValue?.int64 : nil } == [
                24, 16, 10,
            ])
        #expect(listed.first?["example"]?.stringValue == "run-000")
        #expect(listed.first?["runs"]?.arrayValue?.count == 24)

        // The same input gives the same bytes.
        let again = dir.appendingPathComponent("again")
        #expect(try run(["render", input.path, "-o", again.path, "-q"]).status == 0)
        #expect(try tree(out) == tree(again))
    }

    private func matches(in text: String, _ pattern: String) -> [(String, String)] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (String(text[Range(m.range(at: 1), in: text)!]), String(text[Range(m.range(at: 2), in: text)!]))
        }
    }
}
