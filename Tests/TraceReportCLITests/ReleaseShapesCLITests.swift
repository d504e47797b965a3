import Foundation
import Testing
import TraceJSON

/// What CI consumers read from renders of files in the shape today's releases write.
@Suite("current releases on the command line", .serialized)
struct ReleaseShapesCLITests {
    static let fixtures = "Tests/TraceFormatsTests/Fixtures"

    /// The `runs` of the summary.json a render of `arguments` wrote, by trace id.
    static func summaryRuns(_ out: URL) throws -> [String: JSONValue] {
        let data = [UInt8](try Data(contentsOf: out.appendingPathComponent("summary.json")))
        let summary = try #require(JSONStreamParser.parse(data).records.first?.value)
        var runs: [String: JSONValue] = [:]
        for run in summary["runs"]?.arrayValue ?? [] {
            if let id = run["trace_id"]?.stringValue { runs[id] = run }
        }
        return runs
    }

    @Test("an openai-agents 0.24 run whose Runner.run raised is an error in summary.json, and --fail-on-error exits 2")
    func openAIAgentsRaised() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", "\(Self.fixtures)/openai-agents/runner-raised.jsonl", "-o", out.path, "--fail-on-error"])
        #expect(result.status == 2, "\(result.stderr)")
        let runs = try Self.summaryRuns(out)
        #expect(runs["trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61"]?["status"] == .string("error"))
        #expect(runs["trace_5f0c2a9e8b7d4e61a3c1f20d9e8b7a61"]?["first_error"]?.stringValue?.contains("payments service unavailable") == true)
        #expect(runs["trace_6a1d3b0f9c8e4f72b4d2a31e0f9c8b72"]?["status"] == .string("ok"))
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.contains("1 failed"), "the index counts the failed run")
    }
}
