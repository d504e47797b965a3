import Foundation
import Testing

/// The shared corpus of real trace files beside the repository (read only).
private let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// Corpus files that are not traces: schemas and bare attribute maps used to document and test
/// the semantic conventions. trace-report must say so clearly rather than render nothing.
private let notTraces: Set<String> = [
    "braintrust/schema-generated_types.json",
    "openinference-otel-genai/semconv-schema-gen-ai-input-messages.json",
    "openinference-otel-genai/semconv-schema-gen-ai-output-messages.json",
    "openinference-otel-genai/semconv-schema-gen-ai-retrieval-documents.json",
    "openinference-otel-genai/semconv-schema-gen-ai-system-instructions.json",
    "openinference-otel-genai/semconv-schema-gen-ai-tool-definitions.json",
    "openinference-otel-genai/attrs-openinference_client_span_input_output_only.json",
    "openinference-otel-genai/attrs-openinference_client_span_tool_calls.json",
    "openinference-otel-genai/attrs-otel_genai_client_span_tool_calls.json",
    "openinference-otel-genai/attrs-otel_genai_deprecated_client_span_tool_calls.json",
    "openinference-otel-genai/attrs-otel_genai_tool_execution_span.json",
]

private func corpusFiles() -> [String] {
    guard let names = FileManager.default.enumerator(atPath: corpus.path)?.allObjects as? [String] else { return [] }
    return names.filter { !$0.hasSuffix(".md") && $0.contains("/") }.sorted()
}

/// Whether `../shared/corpus` is beside the repository.
private let corpusIsPresent: Bool = {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isDirectory) && isDirectory.boolValue
}()

@Suite(
    "The command line on ../shared/corpus", .serialized,
    .enabled(if: corpusIsPresent, "../shared/corpus is not present beside the repository"))
struct CorpusCLITests {
    @Test(
        "Every trace file in the corpus renders with exit 0; non-trace files are named as such",
        arguments: corpusFiles())
    func renders(path: String) throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", corpus.appendingPathComponent(path).path, "-o", out.path, "--quiet"])
        if notTraces.contains(path) {
            #expect(result.status == 1)
            #expect(result.stderr.contains("unrecognized trace format"), "\(result.stderr)")
        } else {
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(!result.stderr.contains(": error: "), "\(path): \(result.stderr)")
            let index = try Data(contentsOf: out.appendingPathComponent("index.html"))
            #expect(String(decoding: index, as: UTF8.self).contains("data-run-id="))
        }
    }

    @Test("Files of different formats render into one report")
    func mixed() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let files = [
            "otlp-json/otel-proto-example-trace.json",
            "zipkin-v2/zipkin-lens-simple-db-p6.json",
            "openai-agents/generated-openai-agents-0.24.0-processor-exports.jsonl",
        ].map { corpus.appendingPathComponent($0).path }
        let result = try run(["render"] + files + ["Examples/refund-agent/trace.jsonl", "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let index = String(decoding: try Data(contentsOf: out.appendingPathComponent("index.html")), as: UTF8.self)
        #expect(index.components(separatedBy: "data-run-id=").count - 1 >= 4)
    }
}

/// The corpus folders, one per format.
private func corpusFolders() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
    return names.filter { name in
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isDir)
            && isDir.boolValue
    }.sorted()
}

@Suite(
    "Corpus reports show what the files hold",
    .serialized,
    .enabled(
        if: FileManager.default.fileExists(atPath: corpus.path), "skipped: needs the shared corpus at ../shared/corpus")
)
struct CorpusTrustTests {
    @Test("No page shows 1970 or 0 ns for a value the file does not hold", arguments: corpusFolders())
    func noInventedValues(folder: String) throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let dir = corpus.appendingPathComponent(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            .filter { !notTraces.contains("\(folder)/\($0)") && !$0.hasSuffix(".md") }
            .map { dir.appendingPathComponent($0).path }
        guard !files.isEmpty else { return }
        let result = try run(["render"] + files + ["-o", out.path, "--quiet"])
        #expect(result.status == 0, "\(folder): \(result.stderr)")
        for (path, data) in try tree(out) where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("1970-01-01"), "\(folder)/\(path) shows the Unix epoch")
            #expect(!text.contains(">0 ns<") && !text.contains(" 0 ns"), "\(folder)/\(path) shows a zero duration")
        }
    }

    @Test("The Monocle LangGraph file's tree names its agents and tools")
    func monocleNames() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let file = corpus.appendingPathComponent("otel-python-console/monocle-test_langgraph_multi_agent.json")
        #expect(try run(["render", file.path, "-o", out.path, "--quiet"]).status == 0)
        let pages = try tree(out).filter { $0.key.hasPrefix("runs/") }.map { String(decoding: $0.value, as: UTF8.self) }
            .joined()
        for name in ["supervisor", "flight_assistant", "hotel_assistant", "book_flight", "book_hotel"] {
            #expect(pages.contains("class=\"span-link\" href=\"#") && pages.contains("\">\(name)</a>"), "\(name)")
        }
        #expect(
            pages.contains("title=\"supervisor (langgraph.graph.state.CompiledStateGraph.ainvoke)\""),
            "the recorded name on hover")
    }
}
