import Foundation
import Testing
import TraceHTML
import TraceModel

/// The built `tracing-example` beside the test bundle.
private let exampleBinary: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("tracing-example")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/tracing-example")
}()

@Suite("tracing-example")
struct ExampleTests {
    @Test(
        "the example writes a trace whose rendered page nests the agent's spans with model, tokens and the tool error")
    func example() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracing-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.jsonl").path
        let process = Process()
        process.executableURL = exampleBinary
        process.arguments = [path]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let printed = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed.contains("return window"))

        let (runs, diagnostics) = decode(try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(diagnostics.isEmpty)
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        // Order among siblings follows start times; the two concurrent tools may start in either order.
        let shape = run.nodes.map { "\($0.depth) \($0.span.kind.rawValue) \($0.span.name)" }
        #expect(shape.first == "0 agent support_agent")
        #expect(
            Set(shape.dropFirst()) == [
                "1 llm chat gpt-4o-mini-2024-07-18",
                "1 tool execute_tool lookup_order",
                "1 tool execute_tool search_policy",
                "2 retrieval retrieve returns-policy",
                "1 tool execute_tool track_shipment",
            ])
        #expect(run.nodes.count == 7)
        let retrieval = try #require(run.nodes.firstIndex { $0.span.kind == .retrieval })
        #expect(run.nodes[run.nodes[retrieval].parent!].span.name == "execute_tool search_policy")
        let models = run.nodes.filter { $0.span.kind == .llm }
        #expect(models.count == 2)
        #expect(
            models.allSatisfy {
                $0.span.model == "gpt-4o-mini-2024-07-18" && ($0.span.usage.inputTokens ?? 0) > 0
                    && ($0.span.usage.outputTokens ?? 0) > 0
            })
        let failed = run.nodes.filter { $0.span.error != nil }.map(\.span)
        #expect(failed.map(\.name) == ["execute_tool track_shipment"])
        #expect(failed.first?.error?.message == "track_shipment: carrier API timed out after 10 s")

        let analyzed = RunAnalyzer().analyze(run)
        let page = String(decoding: ReportRenderer().renderRunPage(analyzed, fileStem: "run").contents, as: UTF8.self)
        #expect(page.contains("support_agent"))
        #expect(page.contains("gpt-4o-mini-2024-07-18"))
        #expect(page.contains("carrier API timed out after 10 s"))
        #expect(analyzed.errorCount == 1)
        #expect(analyzed.inputTokens > 0 && analyzed.outputTokens > 0)
    }
}
