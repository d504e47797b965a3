import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// The Langfuse Python SDK 5.2.0: OTel spans carrying the trace's name, tags and metadata, and
/// score bodies posted to `/api/public/scores` (checked against spans and request bodies the SDK
/// produced locally with a mock HTTP transport).
@Suite("Langfuse 5.2: trace attributes and score bodies")
struct LangfuseCurrentSDKTests {
    static let dir = "langfuse/"

    @Test("the run takes its name from langfuse.trace.name and its labels from langfuse.trace.tags")
    func traceNameAndTags() throws {
        let loaded = try load(fixture: Self.dir + "refund-check.otlp.json")
        #expect(loaded.errors.isEmpty)
        let run = try #require(loaded.runs.first)
        #expect(run.name == "refund-check")
        #expect(run.run.root?.name == "handle-ticket")
        #expect(run.labels == ["refunds", "canary"])
    }

    @Test("langfuse.trace.metadata.* values are unquoted run metadata, not repeated on every span")
    func metadataUnquoted() throws {
        let loaded = try load(fixture: Self.dir + "refund-check.otlp.json")
        let run = try #require(loaded.runs.first)
        #expect(run.run.info?.metadata["tier"] == .string("gold"))
        #expect(run.run.info?.metadata["region"] == .string("eu-west"))
        for span in loaded.spans {
            #expect(span.metadata["langfuse.trace.metadata.tier"] == nil)
            #expect(span.metadata["langfuse.trace.name"] == nil)
        }
        let generation = try #require(loaded.spans.first { $0.kind == .llm })
        #expect(generation.metadata["langfuse.observation.metadata.prompt_variant"] == .string("b"))
    }

    @Test("score bodies, a batch or a single one, are read as the run's scores beside its spans")
    func scoreBodies() throws {
        let files = try ["refund-check.otlp.json", "scores-batch.json", "score-single.json"].map {
            (name: $0, bytes: try fixtureBytes(Self.dir + $0))
        }
        let loaded = load(files: files)
        #expect(loaded.errors.isEmpty, "\(loaded.errors.map(\.message))")
        #expect(loaded.runs.count == 1)
        let run = try #require(loaded.runs.first)
        let correctness = try #require(run.scores.first { $0.name == "correctness" })
        #expect(correctness.value == 1)
        #expect(correctness.comment == "matches policy")
        // A score of an observation lands on that observation's span.
        let generation = try #require(run.run.nodes.map(\.span).first { $0.spanID == "bb6a5109bb137671" })
        #expect(generation.scores.map(\.name) == ["helpfulness"])
        #expect(run.scores.contains { $0.name == "helpfulness" && $0.value == 0.8 })
        // A categorical score is a label.
        #expect(run.labels.contains("tone: polite"))
    }

    @Test("a score body alone is detected as Langfuse")
    func detection() throws {
        let decoded = TraceDecoder(candidates: TraceFormats.all, jobs: 1).decode(
            try fixtureBytes(Self.dir + "scores-batch.json"), file: "scores.json")
        #expect(decoded.diagnostics.isEmpty)
        #expect(decoded.runInfo.first?.scores.first?.name == "correctness")
    }
}
