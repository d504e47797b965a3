import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel
import TraceReportTracing
import Tracing

/// Collects what a tracer writes, in memory.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private(set) var writes = 0

    func append(_ chunk: [UInt8]) {
        lock.lock()
        bytes += chunk
        writes += 1
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Decodes native JSON Lines with the product's own decoder and assembles runs.
func decode(_ text: String, file: String = "trace.jsonl") -> (runs: [Run], diagnostics: [Diagnostic]) {
    let parsed = JSONStreamParser.parse(text)
    let decoded = NativeTraceDecoder().decode(parsed.records, file: file)
    let (runs, repairs) = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo)
    return (
        runs,
        parsed.errors.map { Diagnostic(.error, at: SourceLocation(file: file, line: $0.line), "\($0)") }
            + decoded.diagnostics + repairs
    )
}

struct ModelFailure: Error, CustomStringConvertible {
    var description: String { "rate limited" }
}

@Suite("TraceReportTracer")
struct TracerTests {
    @Test("nested withSpan calls become one run whose tree follows the code, with GenAI fields mapped")
    func nestedSpans() async throws {
        let out = Collected()
        let tracer = TraceReportTracer(ids: .sequential(), write: out.append)
        await tracer.withSpan("agent") { agent in
            agent.attributes["gen_ai.operation.name"] = "invoke_agent"
            agent.attributes["release"] = "2025.06"
            agent.attributes["trace_report.labels"] = ["refund"]
            agent.attributes["trace_report.score.correctness"] = 0.75
            await tracer.withSpan("chat") { llm in
                llm.attributes["gen_ai.operation.name"] = "chat"
                llm.attributes["gen_ai.request.model"] = "gpt-4o-mini"
                llm.attributes["gen_ai.response.model"] = "gpt-4o-mini-2024-07-18"
                llm.attributes["gen_ai.usage.input_tokens"] = 812
                llm.attributes["gen_ai.usage.output_tokens"] = 64
                llm.attributes["gen_ai.usage.cost"] = 0.0012
                llm.attributes["gen_ai.input.messages"] = #"[{"role":"user","content":"hi"}]"#
                llm.attributes["gen_ai.output.messages"] = #"[{"role":"assistant","content":"hello"}]"#
                await Task.yield()
                llm.addEvent(SpanEvent(name: "first_token", at: DefaultTracerClock.now, attributes: ["ttft_ms": 120]))
            }
            do {
                try await tracer.withSpan("lookup") { tool in
                    tool.attributes["gen_ai.operation.name"] = "execute_tool"
                    tool.attributes["gen_ai.tool.call.arguments"] = #"{"id": 7}"#
                    try await tracer.withSpan("http GET", ofKind: .client) { _ in
                        await Task.yield()
                        throw ModelFailure()
                    }
                }
            } catch {}
        }
        tracer.forceFlush()

        let (runs, diagnostics) = decode(out.text)
        #expect(diagnostics.isEmpty)
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        let tree = run.nodes.map { (String(repeating: "  ", count: $0.depth) + $0.span.name, $0.span.kind) }
        #expect(tree.map(\.0) == ["agent", "  chat", "  lookup", "    http GET"])
        #expect(tree.map(\.1) == [.agent, .llm, .tool, .span])

        let agent = run.nodes[0].span
        #expect(agent.labels == ["refund"])
        #expect(agent.scores.map(\.name) == ["correctness"] && agent.scores.first?.value == 0.75)
        #expect(agent.metadata["release"] == .string("2025.06"))
        #expect(agent.error == nil)

        let llm = run.nodes[1].span
        #expect(llm.model == "gpt-4o-mini-2024-07-18")
        #expect(llm.metadata["gen_ai.request.model"] == .string("gpt-4o-mini"))
        #expect(llm.usage.inputTokens == 812 && llm.usage.outputTokens == 64 && llm.usage.cost == 0.0012)
        #expect(llm.input?["messages"]?.arrayValue?.first?["content"] == .string("hi"))
        #expect(llm.output?["content"] == .string("hello"))
        #expect(llm.events.map(\.name) == ["first_token"])
        #expect(llm.events.first?.attributes["ttft_ms"] == .number(JSONNumber(120)))
        #expect(llm.metadata["gen_ai.usage.input_tokens"] == nil)

        let tool = run.nodes[2].span
        #expect(tool.input?["id"] == .number(JSONNumber(7)))
        #expect(tool.error?.message == "rate limited")
        let http = run.nodes[3].span
        #expect(http.error?.type?.hasSuffix("ModelFailure") == true)
        #expect(http.events.map(\.name) == ["exception"])
        #expect(http.metadata["span.kind"] == .string("client"))
        for node in run.nodes {
            let start = try #require(node.span.startTimeUnixNano)
            let end = try #require(node.span.endTimeUnixNano)
            #expect(start <= end)
        }
    }

    @Test("an error status without an error is a failed span; an ok status clears a recorded error")
    func status() throws {
        let out = Collected()
        let tracer = TraceReportTracer(ids: .sequential(), write: out.append)
        let failed = tracer.startSpan("guardrail")
        failed.setStatus(SpanStatus(code: .error, message: "blocked by policy"))
        failed.end()
        let recovered = tracer.startSpan("retry")
        recovered.recordError(ModelFailure())
        recovered.setStatus(SpanStatus(code: .ok))
        recovered.end()
        recovered.setStatus(SpanStatus(code: .error))
        recovered.end()
        tracer.shutdown()

        let (runs, diagnostics) = decode(out.text)
        #expect(diagnostics.isEmpty)
        #expect(runs.count == 2)
        let spans = runs.flatMap { $0.nodes.map(\.span) }.sorted { $0.name < $1.name }
        #expect(spans.map(\.name) == ["guardrail", "retry"])
        #expect(spans[0].error?.message == "blocked by policy")
        #expect(spans[1].error == nil)
        #expect(spans[1].events.map(\.name) == ["exception"])
        #expect(out.text.split(separator: "\n").count == 2)
    }

    @Test("lines are buffered until the buffer fills or forceFlush; shutdown writes open spans as unfinished")
    func bufferingAndShutdown() throws {
        let out = Collected()
        let tracer = TraceReportTracer(bufferSize: 1 << 20, ids: .sequential(), write: out.append)
        let root = tracer.startSpan("root")
        let child = tracer.startSpan("child", context: root.context)
        child.end()
        #expect(out.text.isEmpty)
        tracer.forceFlush()
        #expect(out.text.split(separator: "\n").count == 1)
        tracer.shutdown()
        root.end()
        tracer.startSpan("late").end()
        tracer.forceFlush()

        let (runs, diagnostics) = decode(out.text)
        #expect(diagnostics.isEmpty)
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        #expect(run.nodes.map(\.span.name) == ["root", "child"])
        #expect(run.nodes[0].span.endTimeUnixNano == nil)
        #expect(run.nodes[1].span.parentSpanID == run.nodes[0].span.spanID)
    }

    @Test("a file tracer writes whole lines from many tasks at once")
    func concurrentTasks() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tracing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("trace.jsonl").path
        let tracer = try TraceReportTracer(path: path, bufferSize: 512)
        let runCount = 200
        let childCount = 5
        await withTaskGroup(of: Void.self) { group in
            for run in 0..<runCount {
                group.addTask {
                    await tracer.withSpan("run \(run)") { span in
                        span.attributes["run"] = run
                        await withTaskGroup(of: Void.self) { children in
                            for child in 0..<childCount {
                                children.addTask {
                                    await tracer.withSpan("step \(child)") { step in
                                        step.attributes["gen_ai.request.model"] = "m-\(run)"
                                        step.attributes["gen_ai.usage.input_tokens"] = child
                                        await Task.yield()
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        tracer.shutdown()
        #expect(tracer.writeError == nil)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == runCount * (childCount + 1))
        let (runs, diagnostics) = decode(text)
        #expect(diagnostics.isEmpty)
        #expect(runs.count == runCount)
        #expect(Set(runs.map(\.traceID)).count == runCount)
        for run in runs {
            let root = try #require(run.root)
            let number = try #require(root.metadata["run"]?.numberValue?.int64)
            #expect(run.nodes.count == childCount + 1)
            #expect(run.nodes.dropFirst().allSatisfy { $0.depth == 1 && $0.span.model == "m-\(number)" })
            #expect(Set(run.nodes.dropFirst().map(\.span.name)) == Set((0..<childCount).map { "step \($0)" }))
        }
    }

    @Test("the current span travels as a W3C traceparent header")
    func propagation() throws {
        struct Headers: Injector, Extractor {
            func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
                carrier[key] = value
            }
            func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
        }
        let out = Collected()
        let tracer = TraceReportTracer(write: out.append)
        let client = tracer.startSpan("client")
        var headers: [String: String] = [:]
        tracer.inject(client.context, into: &headers, using: Headers())
        #expect(headers["traceparent"] == "00-\(client.traceID)-\(client.spanID)-01")
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: Headers())
        let server = tracer.startSpan("server", context: context)
        #expect(server.traceID == client.traceID && server.parentSpanID == client.spanID)
        server.end()
        client.end()
        tracer.shutdown()
        let (runs, _) = decode(out.text)
        #expect(runs.count == 1 && runs[0].nodes.map(\.span.name) == ["client", "server"])
    }

    @Test("a trace file that cannot be opened is an error naming it")
    func unwritable() {
        #expect(throws: TraceFileError.self) { try TraceReportTracer(path: "/nonexistent-folder/trace.jsonl") }
    }
}
