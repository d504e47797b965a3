import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel
import TraceReportCore

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The shared corpus of real trace files beside the repository (read only).
let corpusRoot = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// What the pipeline made of some input: decoded spans, runs and all diagnostics.
struct Loaded {
    var decoded: DecodedTrace
    var runs: [AnalyzedRun]
    var diagnostics: [Diagnostic]

    /// Every span of every run.
    var spans: [Span] { runs.flatMap { $0.run.nodes.map(\.span) } }
    /// Total span count over runs.
    var spanCount: Int { runs.reduce(0) { $0 + $1.run.nodes.count } }
    /// The deepest depth over runs (0 for roots only).
    var maxDepth: Int { runs.flatMap { $0.run.nodes.map(\.depth) }.max() ?? -1 }
    /// Number of top-level nodes over runs.
    var rootCount: Int { runs.reduce(0) { $0 + $1.run.nodes.filter { $0.parent == nil }.count } }
    /// Errors (not warnings).
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Reads bytes as the CLI does, through the library's pipeline: detect the format among all,
/// decode, assemble, analyze.
func load(bytes: [UInt8], file: String = "input", format: (any TraceFormatDecoder)? = nil) -> Loaded {
    load(inputs: [TraceInput(name: file, bytes: bytes)], format: format)
}

/// Reads several inputs into one report, as `trace-report render a b` does.
func load(files: [(name: String, bytes: [UInt8])]) -> Loaded {
    load(inputs: files.map { TraceInput(name: $0.name, bytes: $0.bytes) })
}

private func load(inputs: [TraceInput], format: (any TraceFormatDecoder)? = nil) -> Loaded {
    let pipeline = Pipeline(format: format, jobs: 1)
    let decoded = pipeline.decode(inputs)
    let loaded = pipeline.assemble(decoded)
    return Loaded(decoded: decoded.trace, runs: loaded.runs, diagnostics: loaded.diagnostics)
}

/// Reads a corpus file, for example `load(corpus: "otlp-json/otel-proto-example-trace.json")`.
func load(corpus path: String) throws -> Loaded {
    let url = corpusRoot.appendingPathComponent(path)
    return load(bytes: [UInt8](try Data(contentsOf: url)), file: url.lastPathComponent)
}

/// Reads a text fixture.
func load(text: String) -> Loaded {
    load(bytes: Array(text.utf8))
}

/// The JSON value of a corpus file (first value), for tests that feed attribute maps directly.
func corpusJSON(_ path: String) throws -> JSONValue {
    let bytes = [UInt8](try Data(contentsOf: corpusRoot.appendingPathComponent(path)))
    let parsed = JSONStreamParser.parse(bytes)
    return try #require(parsed.records.first?.value)
}

extension Span {
    /// Chat messages in the span's input or output, in the normalized shape:
    /// `{"messages": [...]}`, a message array, or one message object.
    var messages: [JSONObject] {
        var result: [JSONObject] = []
        for value in [input, output].compactMap({ $0 }) {
            switch value {
            case .object(let o):
                if case .array(let items)? = o["messages"] {
                    result += items.compactMap(\.objectValue)
                } else if o["role"] != nil {
                    result.append(o)
                }
            case .array(let items):
                result += items.compactMap(\.objectValue).filter { $0["role"] != nil }
            default: break
            }
        }
        return result
    }

    /// Tool calls in the span's messages, as `(name, arguments)`.
    var toolCalls: [(name: String, arguments: JSONValue?)] {
        messages.flatMap { m -> [(name: String, arguments: JSONValue?)] in
            guard case .array(let calls)? = m["tool_calls"] else { return [] }
            return calls.compactMap { call in
                guard let name = call["function"]?["name"]?.stringValue else { return nil }
                return (name, call["function"]?["arguments"])
            }
        }
    }
}

/// Whether the shared corpus folder is beside the repository.
let corpusIsPresent: Bool = {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: corpusRoot.path, isDirectory: &isDirectory) && isDirectory.boolValue
}()

extension Trait where Self == ConditionTrait {
    /// Runs a suite only when `../shared/corpus` exists; otherwise the suite reports one skip naming it.
    static var corpus: Self {
        .enabled(if: corpusIsPresent, "../shared/corpus is not present beside the repository")
    }
}
