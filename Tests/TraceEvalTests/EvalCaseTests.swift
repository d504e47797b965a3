import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

@testable import TraceEval

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

private func refundRun() throws -> AnalyzedRun {
    let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("Examples/refund-agent/trace.jsonl")))
    let decoded = TraceDecoder().decode(bytes, file: "trace.jsonl")
    return try #require(RunAnalyzer().analyze(RunAssembler().assemble(decoded.spans).runs, jobs: 1).first)
}

@Suite("Eval cases")
struct EvalCaseTests {
    @Test("A case from the refund run round-trips through the dataset reader")
    func roundTrip() throws {
        let run = try refundRun()
        let row = try EvalCase(
            run: run, labels: ["stale policy retrieval", "wrong refund window"],
            expected: .text("You are eligible: the window is 30 days."))
        #expect(row.id == "refund-7c1e2a9b4f")
        #expect(row.labels == ["stale policy retrieval", "wrong refund window"])
        #expect(row.expectedOutput == .string("You are eligible: the window is 30 days."))
        #expect(row.source.traceID == "refund-7c1e2a9b4f")
        #expect(row.source.file == "trace.jsonl")
        #expect(row.input != .null)
        #expect(row.scores.map(\.name) == ["correctness", "groundedness", "helpfulness"])
        #expect(row.metadata["release"] != nil)
        let (cases, problems) = EvalCase.read(Array(row.line.utf8) + Array(row.line.utf8), file: "dataset.jsonl")
        #expect(problems.isEmpty)
        #expect(cases == [row, row])
    }

    @Test("A case about one span takes that span's input and names it")
    func spanCase() throws {
        let run = try refundRun()
        let retrieval = try #require(run.run.nodes.first { $0.span.kind == .retrieval }?.span)
        let row = try EvalCase(run: run, spanID: retrieval.spanID, expected: .fromOutput)
        #expect(row.id == "refund-7c1e2a9b4f:\(retrieval.spanID)")
        #expect(row.input == retrieval.input)
        #expect(row.expectedOutput == retrieval.output)
        #expect(row.source.spanName == retrieval.name)
        #expect(throws: EvalCase.Failure.noSuchSpan("nope")) { try EvalCase(run: run, spanID: "nope") }
    }

    @Test("Dataset lines that are not cases are errors with their line")
    func badDataset() {
        let (cases, problems) = EvalCase.read(Array("{\"id\":\"x\"}\n[]\n".utf8), file: "d.jsonl")
        #expect(cases.isEmpty)
        #expect(problems.map(\.location.line) == [1, 2])
    }
}
