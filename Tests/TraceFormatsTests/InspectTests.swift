import Foundation
import Testing
import TraceJSON
import TraceModel

@testable import TraceFormats

/// What one Inspect AI corpus file must give.
struct InspectCorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    var spans: Int
    /// One run per sample (one for a log without samples).
    var runs: Int
    var depth: Int
    /// Model calls.
    var llmSpans: Int
    /// Tool calls.
    var toolSpans: Int
    /// Tool calls that ended with an error.
    var toolErrors: Int
    /// Tokens over all runs.
    var tokens: Int64
    /// The samples' score texts (letter grades), sorted.
    var scores: [String]

    var testDescription: String { file }
}

@Suite("Inspect AI eval logs")
struct InspectTests {
    static let corpusCases: [InspectCorpusCase] = [
        // span_begin/span_end tree: init, use_tools, generate (with four tool spans and their
        // sandbox commands), includes scorer.
        .init(
            file: "inspect-analysis-browser-agent-v2.json", spans: 24, runs: 1, depth: 3, llmSpans: 5, toolSpans: 4,
            toolErrors: 0, tokens: 15516, scores: ["C"]),
        // No samples: the eval's metrics are the run's scores.
        .init(
            file: "inspect-analysis-no-samples-v2.json",
            spans: 1,
            runs: 1,
            depth: 0,
            llmSpans: 0,
            toolSpans: 0,
            toolErrors: 0,
            tokens: 198,
            scores: ["0.33333333333333337", "0.6666666666666666"]
        ),
        .init(
            file: "inspect-analysis-popularity-v2.json", spans: 18, runs: 3, depth: 2, llmSpans: 3, toolSpans: 0,
            toolErrors: 0, tokens: 198, scores: ["C", "C", "I"]),
        .init(
            file: "inspect-analysis-security-guide-v2.json", spans: 21, runs: 3, depth: 2, llmSpans: 6, toolSpans: 0,
            toolErrors: 0, tokens: 1992, scores: ["C", "C", "C"]),
        // An older log whose tree comes from `step` begin/end events.
        .init(
            file: "inspect-list-logs-input-task.json", spans: 6, runs: 1, depth: 2, llmSpans: 2, toolSpans: 0,
            toolErrors: 0, tokens: 463, scores: ["C"]),
        .init(
            file: "inspect-log_formats.eval", spans: 5, runs: 1, depth: 2, llmSpans: 1, toolSpans: 0, toolErrors: 0,
            tokens: 68, scores: ["I"]),
        // Events under `transcript`, with `tc://` references.
        .init(
            file: "inspect-log_formats.json", spans: 5, runs: 1, depth: 2, llmSpans: 1, toolSpans: 0, toolErrors: 0,
            tokens: 68, scores: ["I"]),
        .init(
            file: "inspect-log_read_sample.json", spans: 8, runs: 1, depth: 3, llmSpans: 1, toolSpans: 0, toolErrors: 0,
            tokens: 69, scores: ["C"]),
        // No events: the steps come from the messages.
        .init(
            file: "inspect-log_tool_call_error.json", spans: 12, runs: 1, depth: 1, llmSpans: 0, toolSpans: 11,
            toolErrors: 11, tokens: 0, scores: []),
        .init(
            file: "inspect-scorer-popularity.eval", spans: 40, runs: 10, depth: 2, llmSpans: 10, toolSpans: 0,
            toolErrors: 0, tokens: 640, scores: []),
    ]

    @Test("letter grades become numbers: C is 1, I is 0, P is 0.5")
    func letterGrades() {
        #expect(
            InspectDecoder.scores(named: "match", result: .object(JSONObject([("value", .string("C"))]))).map(\.value)
                == [1])
        #expect(
            InspectDecoder.scores(named: "match", result: .object(JSONObject([("value", .string("I"))]))).map(\.value)
                == [0])
        #expect(
            InspectDecoder.scores(named: "match", result: .object(JSONObject([("value", .string("P"))]))).map(\.value)
                == [0.5])
        #expect(
            InspectDecoder.scores(named: "match", result: .object(JSONObject([("value", .string("N"))]))).map(\.value)
                == [0])
        let numeric = InspectDecoder.scores(
            named: "f1", result: .object(JSONObject([("value", .number(JSONNumber(text: "0.25")))])))
        #expect(numeric.map(\.value) == [0.25])
        let multi = InspectDecoder.scores(
            named: "rubric",
            result: .object(
                JSONObject([
                    (
                        "value",
                        .object(JSONObject([("style", .string("C")), ("facts", .number(JSONNumber(text: "0.5")))]))
                    )
                ]))
        )
        #expect(multi.map(\.name) == ["rubric/style", "rubric/facts"])
        #expect(multi.map(\.value) == [1, 0.5])
        #expect(InspectDecoder.scores(named: "x", result: .object(JSONObject([("value", .array([]))]))).isEmpty)
    }

    @Test("a stored (uncompressed) entry is read too")
    func storedEntry() throws {
        let content = Array(
            #"{"version":2,"status":"success","eval":{"eval_id":"stored1","task":"t","model":"m"}}"#.utf8)
        let zip = Self.storedZip(name: "header.json", content: content)
        let loaded = load(bytes: zip, file: "stored.eval")
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(loaded.runs.map(\.run.traceID) == ["stored1"])
    }

    @Test("a ZIP archive without header.json is reported as not an Inspect log")
    func foreignZip() {
        let zip = Self.storedZip(name: "readme.txt", content: Array("hello".utf8))
        let loaded = load(bytes: zip, file: "other.zip")
        #expect(loaded.runs.isEmpty)
        #expect(loaded.errors.first?.message.contains("no header.json") == true)
    }

    @Test("detection needs version and eval")
    func detection() {
        let decoder = InspectDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"{"version":2,"eval":{"task":"t"},"samples":[]}"#)))
        #expect(!decoder.matches(value(#"{"eval":{"task":"t"}}"#)))
        #expect(!decoder.matches(value(#"{"version":2,"evals":[]}"#)))
        // Something that only looks like an Inspect file is reported, not read.
        let loaded = load(text: #"{"version":2,"evals":[{"task":"t"}]}"#)
        #expect(loaded.runs.isEmpty)
        #expect(loaded.errors.first?.message.hasPrefix("unrecognized trace format") == true)
    }

    /// A one-entry ZIP archive with the entry stored uncompressed.
    static func storedZip(name: String, content: [UInt8]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32) -> [UInt8] {
            [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)]
        }
        let crc = ZipArchive.crc32(content)
        let nameBytes = Array(name.utf8)
        var out: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
        out +=
            le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(nameBytes.count) + le16(0)
            + nameBytes + content
        let directory = out.count
        out += [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
        out +=
            le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(nameBytes.count) + le16(0)
            + le16(0)
        out += le16(0) + le16(0) + le32(0) + le32(0) + nameBytes
        let directorySize = out.count - directory
        out +=
            [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(directorySize))
            + le32(UInt32(directory)) + le16(0)
        return out
    }
}

extension InspectTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("Inspect AI eval logs on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test("each corpus file gives one run per sample with its steps", arguments: corpusCases)
        func corpusFile(_ expected: InspectCorpusCase) throws {
            let loaded = try load(corpus: "inspect-ai/" + expected.file)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(!loaded.diagnostics.contains { $0.message.contains("outside its parent") }, "\(loaded.diagnostics)")
            #expect(loaded.spanCount == expected.spans)
            #expect(loaded.runs.count == expected.runs)
            #expect(loaded.rootCount == expected.runs)
            #expect(loaded.maxDepth == expected.depth)
            let spans = loaded.spans
            #expect(spans.allSatisfy { $0.sourceFormat == "Inspect AI eval log" })
            let calls = spans.filter { $0.kind == .llm }
            #expect(calls.count == expected.llmSpans)
            #expect(spans.filter { $0.kind == .tool }.count == expected.toolSpans)
            #expect(spans.filter { $0.kind == .tool && $0.error != nil }.count == expected.toolErrors)
            #expect(loaded.runs.reduce(0) { $0 + $1.totalTokens } == expected.tokens)
            let roots = loaded.runs.compactMap { $0.run.nodes.first?.span }
            #expect(roots.flatMap { $0.scores.map(\.text) }.sorted() == expected.scores)
            // Every model call shows its conversation and its reply; no attachment reference is left.
            for call in calls {
                #expect(!call.messages.isEmpty, "\(call.spanID)")
                #expect(call.usage.inputTokens != nil && call.usage.outputTokens != nil)
                let texts = call.messages.compactMap { $0["content"]?.stringValue }
                #expect(!texts.contains { $0.hasPrefix("attachment://") || $0.hasPrefix("tc://") })
            }
            #expect(roots.allSatisfy { $0.startTimeUnixNano != nil && $0.endTimeUnixNano != nil })
        }

        @Test("the browser agent: tool events fill their tool spans, sandbox commands nest under them")
        func browserAgent() throws {
            let loaded = try load(corpus: "inspect-ai/inspect-analysis-browser-agent-v2.json")
            let run = try #require(loaded.runs.first)
            #expect(run.run.traceID == "ZB2vu5GNujYaBdPSReCeop-sample-1-epoch-1")
            #expect(run.name == "browser sample 1")
            let root = try #require(run.run.nodes.first?.span)
            #expect(root.kind == .task)
            #expect(root.scores.first?.name == "includes")
            #expect(root.scores.first?.value == 1)
            #expect(root.scores.first?.text == "C")
            // The sample's input was an attachment.
            #expect(root.input?.stringValue?.hasPrefix("Use the web browser tool") == true)

            let tools = loaded.spans.filter { $0.kind == .tool }
            #expect(
                tools.map(\.name) == ["web_browser_go", "web_browser_click", "web_browser_click", "web_browser_click"])
            let go = try #require(tools.first)
            #expect(go.spanID == "e6ecbd839389484397bd3b8d67380eb6")
            #expect(go.parentSpanID == "e758269d7b5e411fb689337dd84ea1d6")
            #expect(go.input?["url"] == .string("https://www.aisi.gov.uk/"))
            #expect(go.output?.stringValue?.hasPrefix("[132] link") == true)
            #expect(go.metadata["tool_call_id"] == .string("call_35FTpd6shR9efioDgeEBZ33s"))
            let sandbox = loaded.spans.filter { $0.parentSpanID == go.spanID }
            #expect(sandbox.count == 4)
            #expect(sandbox.allSatisfy { $0.kindName == "sandbox" })

            // The second model call sees the first tool result and asks for a click.
            let calls = loaded.spans.filter { $0.kind == .llm }
            let second = calls[1]
            #expect(second.messages.filter { $0["role"] == .string("tool") }.count == 1)
            #expect(second.toolCalls.map(\.name) == ["web_browser_go", "web_browser_click"])
            #expect(second.usage.inputTokens == 1568)
            #expect(second.usage.outputTokens == 17)
            #expect(second.model == "gpt-4o-mini-2024-07-18")
            #expect(second.metadata["input_tokens_cache_read"] == .number(JSONNumber(text: "1024")))

            // The scorer span carries the score and the answer.
            let scorer = try #require(loaded.spans.first { $0.name == "includes" })
            #expect(scorer.kind == .eval)
            #expect(scorer.scores.first?.value == 1)
            #expect(scorer.output?["value"] == .string("C"))
            // State and store changes stay visible as events.
            #expect(loaded.spans.flatMap(\.events).filter { $0.name == "store" }.count == 4)
        }

        @Test("tool messages with errors become failed tool spans when the sample has no events")
        func toolCallErrors() throws {
            let loaded = try load(corpus: "inspect-ai/inspect-log_tool_call_error.json")
            let tools = loaded.spans.filter { $0.kind == .tool }
            #expect(
                tools.compactMap(\.error?.type) == [
                    "parsing", "timeout", "parsing", "unicode_decode", "permission", "file_not_found", "is_a_directory",
                    "limit",
                    "approval", "unknown", "output_limit",
                ])
            #expect(tools.last?.error?.message == "The tool output limit of 10 MiB was exceeded.")
            #expect(tools.last?.output?.stringValue?.contains("<START_TOOL_OUTPUT>") == true)
            #expect(tools.allSatisfy { $0.name == "bash" })
            let run = try #require(loaded.runs.first)
            #expect(run.run.traceID == "...-sample-1-epoch-4")
            #expect(run.name == "... sample 1 epoch 4")
        }

        @Test("older step events rebuild the solver and scorer tree")
        func stepEvents() throws {
            let loaded = try load(corpus: "inspect-ai/inspect-list-logs-input-task.json")
            let run = try #require(loaded.runs.first?.run)
            #expect(
                run.nodes.map(\.span.name) == [
                    "sample 1", "input_solver", "generate", "openai/gpt-4o-mini", "model_graded_fact",
                    "openai/gpt-4o-mini",
                ])
            #expect(run.nodes.map(\.depth) == [0, 1, 1, 2, 1, 2])
            let scorer = try #require(run.nodes.first { $0.span.name == "model_graded_fact" }?.span)
            #expect(scorer.kind == .eval)
            #expect(scorer.scores.first?.text == "C")
            // The user's typed input is an event of the solver step.
            #expect(run.nodes[1].span.events.contains { $0.name == "input" })
        }

        @Test("a log without samples is one run with the eval's scores and tokens")
        func noSamples() throws {
            let loaded = try load(corpus: "inspect-ai/inspect-analysis-no-samples-v2.json")
            let run = try #require(loaded.runs.first)
            let root = try #require(run.run.nodes.first?.span)
            #expect(run.run.traceID == "SnKtvCqGnnegLQ7qSBFDzy")
            #expect(root.kind == .eval)
            #expect(root.name == "testtaskname")
            #expect(root.model == "openai/gpt-4o-mini")
            #expect(root.usage.inputTokens == 192)
            #expect(root.usage.outputTokens == 6)
            #expect(root.scores.map(\.name) == ["match/accuracy", "match/stderr"])
            #expect(root.scores.first?.text == "0.6666666666666666")
            #expect(root.labels == ["cancelled"])
            #expect(root.durationNanos == 2_000_000_000)
            #expect(root.metadata["reductions"]?.arrayValue?.count == 1)
        }

        @Test("the .eval archive gives the same run as the .json log of the same eval")
        func evalMatchesJSON() throws {
            let fromArchive = try load(corpus: "inspect-ai/inspect-log_formats.eval")
            let fromJSON = try load(corpus: "inspect-ai/inspect-log_formats.json")
            #expect(fromArchive.runs.map(\.run.traceID) == ["BpiPFmbVcMCRUAXv8ovCTx-sample-1-epoch-1"])
            #expect(fromArchive.runs.map(\.run.traceID) == fromJSON.runs.map(\.run.traceID))
            #expect(fromArchive.spans.map(\.name) == fromJSON.spans.map(\.name))
            let call = try #require(fromArchive.spans.first { $0.kind == .llm })
            #expect(call.model == "llama3.1")
            #expect(call.messages.first?["role"] == .string("system"))
            #expect(call.messages.first?["content"]?.stringValue?.contains("EXERCISE") == true)
            #expect(call.output?["content"] == .string("No"))
            #expect(fromArchive.runs.first?.run.info?.metadata["task"] == .string("popularity"))
        }

        @Test("the ZIP reader lists and extracts the deflated entries of .eval files")
        func zipReader() throws {
            let data = [UInt8](
                try Data(contentsOf: corpusRoot.appendingPathComponent("inspect-ai/inspect-log_formats.eval")))
            try data.withUnsafeBytes { bytes in
                #expect(ZipArchive.hasSignature(bytes))
                let archive = try ZipArchive(bytes: bytes)
                #expect(
                    archive.entries.map(\.name) == [
                        "_journal/start.json", "samples/1_epoch_1.json", "_journal/summaries/1.json", "summaries.json",
                        "reductions.json", "header.json",
                    ])
                #expect(archive.entries.allSatisfy { $0.method == 8 })
                let header = try archive.contents(of: try #require(archive.entry(named: "header.json")))
                #expect(header.count == 1967)
                let parsed = JSONStreamParser.parse(header)
                #expect(parsed.errors.isEmpty)
                #expect(parsed.records.first?.value["eval"]?["task"] == .string("popularity"))
                let sample = try archive.contents(of: try #require(archive.entry(named: "samples/1_epoch_1.json")))
                #expect(sample.count == 8105)
            }
            let scorer = [UInt8](
                try Data(contentsOf: corpusRoot.appendingPathComponent("inspect-ai/inspect-scorer-popularity.eval")))
            try scorer.withUnsafeBytes { bytes in
                let archive = try ZipArchive(bytes: bytes)
                #expect(archive.entries.filter { $0.name.hasPrefix("samples/") }.count == 10)
            }
        }

        @Test(
            "a corrupt or truncated archive gives a clear error and no run",
            arguments: ["truncated", "flipped", "garbage"])
        func corruptArchive(_ damage: String) throws {
            var data = [UInt8](
                try Data(contentsOf: corpusRoot.appendingPathComponent("inspect-ai/inspect-log_formats.eval")))
            switch damage {
            case "truncated": data.removeLast(data.count / 2)
            case "flipped":
                // A byte inside the deflated data of samples/1_epoch_1.json (local header at 633).
                data[1200] ^= 0xFF
            default: data = Array("PK\u{3}\u{4}not really a zip file at all, just text".utf8)
            }
            let loaded = load(bytes: data, file: "broken.eval")
            #expect(loaded.runs.isEmpty || damage == "flipped")
            let error = try #require(loaded.errors.first)
            #expect(error.location.file == "broken.eval")
            switch damage {
            case "truncated", "garbage":
                #expect(error.message.contains("not a readable Inspect .eval archive"), "\(error.message)")
            default:
                // The damaged sample is skipped; the eval's header still renders as its summary run.
                #expect(error.message.contains("samples/1_epoch_1.json"), "\(error.message)")
                #expect(loaded.runs.map(\.run.traceID) == ["BpiPFmbVcMCRUAXv8ovCTx"])
            }
        }
    }
}
