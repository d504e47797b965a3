import Foundation
import Testing

/// A fixture under `Tests/fixtures/formats` and the runs it holds (counted by hand; the
/// decoding tests in `TraceFormatsTests/FixtureTests.swift` check the spans of each).
struct FixtureRender: CustomTestStringConvertible, Sendable {
    var path: String
    var runs: Int

    var testDescription: String { path }
    /// The path relative to the repository root, where the command runs.
    var argument: String { "Tests/fixtures/formats/" + path }
}

/// The number of `data-run-id` rows in an index page.
private func runRows(_ index: String) -> Int {
    index.components(separatedBy: "data-run-id=").count - 1
}

/// The run pages of a written report.
private func runPages(_ files: [String: Data]) -> [String] {
    files.keys.filter { $0.hasPrefix("runs/") && $0.hasSuffix(".html") }.sorted()
}

@Suite("The command line on the repository's format fixtures", .serialized)
struct FixtureCLITests {
    static let fixtures: [FixtureRender] = [
        .init(path: "any-agent/rain-jacket-trace.json", runs: 1),
        .init(path: "braintrust/docs-question-log-rows.json", runs: 1),
        .init(path: "braintrust/refund-faq-experiment-rows.json", runs: 2),
        .init(path: "inspect/refund-policy-qa.eval", runs: 2),
        .init(path: "inspect/refund-policy-qa.json", runs: 2),
        .init(path: "jaeger/docs-bot-api-v2.json", runs: 1),
        .init(path: "jaeger/refund-api-trace.json", runs: 1),
        .init(path: "langfuse/billing-ingestion-batch.json", runs: 1),
        .init(path: "langfuse/sailing-api-trace.json", runs: 1),
        .init(path: "langfuse/ticket-observations-page.json", runs: 1),
        .init(path: "langsmith/travel-desk-post-patch.json", runs: 1),
        .init(path: "native/refund-and-weather.jsonl", runs: 2),
        .init(path: "openai-agents/refund-processor-exports.jsonl", runs: 1),
        .init(path: "openai-agents/travel-handoff-ingest-batch.json", runs: 1),
        .init(path: "otel-js/parcel-help-vercel-ai.json", runs: 1),
        .init(path: "otel-python-console/refund-flow-traceloop-array.json", runs: 1),
        .init(path: "otel-python-console/refund-triage-stdout.txt", runs: 1),
        .init(path: "otlp/genai-weather-agent.json", runs: 1),
        .init(path: "otlp/openinference-docs-qa.jsonl", runs: 1),
        .init(path: "swe-agent/shop-docs-42.traj", runs: 1),
        .init(path: "zipkin/weather-lookup-spans.json", runs: 1),
    ]

    @Test("Each fixture renders with exit 0, no diagnostics, one index row and one page per run", arguments: fixtures)
    func renders(_ fixture: FixtureRender) throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", fixture.argument, "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(": error: "), "\(result.stderr)")
        #expect(!result.stderr.contains(": warning: "), "\(result.stderr)")
        let summary = "rendered \(fixture.runs) run\(fixture.runs == 1 ? "" : "s") ("
        #expect(result.stderr.hasPrefix(summary), "\(result.stderr)")
        #expect(result.stderr.contains("with 0 skipped lines and 0 warnings"), "\(result.stderr)")
        let files = try tree(out)
        let index = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(runRows(index) == fixture.runs)
        #expect(runPages(files).count == fixture.runs)
    }

    @Test("All fixtures rendered together give one report with every run")
    func together() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        // The .eval archive holds the same eval as the .json log, so its runs would be the same
        // runs again; it is left out here.
        let inputs = Self.fixtures.filter { !$0.path.hasSuffix(".eval") }
        let result = try run(["render"] + inputs.map(\.argument) + ["-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(": error: "), "\(result.stderr)")
        #expect(!result.stderr.contains(": warning: "), "\(result.stderr)")
        let expected = inputs.reduce(0) { $0 + $1.runs }
        #expect(result.stderr.hasPrefix("rendered \(expected) runs ("), "\(result.stderr)")
        let files = try tree(out)
        let index = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        #expect(runRows(index) == expected)
        #expect(runPages(files).count == expected)
    }

    @Test("The fixture list here names every fixture file")
    func everyFixtureIsListed() throws {
        let dir = root.appendingPathComponent("Tests/fixtures/formats")
        let names = FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []
        let files = names.filter { name in
            guard name.contains("/"), !name.hasSuffix(".md"), !name.hasSuffix(".py") else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: dir.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        #expect(files.sorted() == Self.fixtures.map(\.path).sorted())
    }
}
