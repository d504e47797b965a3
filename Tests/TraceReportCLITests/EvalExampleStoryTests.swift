import Foundation
import Testing

/// The eval-ci example tells a true story: each regressed run differs from its baseline in the
/// span that caused the regression, and its judge agrees with its header.
@Suite("The eval-ci example", .serialized)
struct EvalExampleStoryTests {
    struct Case {
        var id: String
        var staleDoc: String
        var currentDoc: String
    }

    static func spans(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: root.appendingPathComponent("Examples/eval-ci/\(file)"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test("Regressed runs retrieve a removed page, answer from it, and their judge scores them as the header does")
    func story() throws {
        let candidate = try Self.spans("candidate.jsonl")
        let baseline = try Self.spans("baseline.jsonl")
        for c in [
            Case(id: "002", staleDoc: "config/http-v1", currentDoc: "config/http"),
            Case(id: "005", staleDoc: "cli/secrets-v1", currentDoc: "cli/secrets"),
        ] {
            let run = candidate.filter { ($0["trace_id"] as? String) == "eval-docsqa-candidate-\(c.id)" }
            let base = baseline.filter { ($0["trace_id"] as? String) == "eval-docsqa-baseline-\(c.id)" }
            let root = try #require(run.first { $0["parent_id"] is NSNull || $0["parent_id"] == nil })
            let judge = try #require(run.first { ($0["kind"] as? String) == "eval" })
            let scores = try #require(root["scores"] as? [String: Double])
            let verdict = try #require(judge["output"] as? [String: Any])
            #expect(
                verdict["accuracy"] as? Double == scores["accuracy"], "judge and header agree on accuracy in \(c.id)")
            #expect(verdict["faithfulness"] as? Double == scores["faithfulness"])
            #expect((verdict["rationale"] as? String)?.contains(c.staleDoc) == true)
            #expect((root["labels"] as? [String]) == ["stale docs retrieval"])
            // The retrieval is where the runs part: the candidate's returns the removed page.
            func retrieval(_ spans: [[String: Any]]) throws -> String {
                let span = try #require(spans.first { ($0["kind"] as? String) == "retrieval" })
                return String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: span["output"]!, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self
                )
            }
            #expect(try retrieval(run).contains("\"id\":\"\(c.staleDoc)\""))
            #expect(try retrieval(run).contains("removed in 2025.09"))
            #expect(try retrieval(base).contains("\"id\":\"\(c.currentDoc)\""))
            #expect(try !retrieval(base).contains(c.staleDoc))
            #expect((root["output"] as? String)?.contains(c.staleDoc) == true, "the answer cites the removed page")
        }
    }

    @Test("The rendered page of a regressed run shows the stale answer and the judge's reason")
    func renderedPage() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "Examples/eval-ci/candidate.jsonl", "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let page = String(decoding: try #require(try tree(out)["runs/eval-docsqa-candidate-002.html"]), as: UTF8.self)
        #expect(
            page.contains(
                "data-run-output><h2>Output</h2><div class=\"tf\" data-format=\"markdown\"><div class=\"md\"><p>The default is <strong>60 seconds</strong>"
            ))
        #expect(page.contains("config/http-v1"))
        #expect(page.contains("removed in 2025.09"))
        #expect(!page.contains("Answer matches the documentation"))
    }
}
