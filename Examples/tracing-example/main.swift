// A support agent that answers one question with a fake model and fake tools, traced with
// swift-distributed-tracing into trace-report's native format.
//
//     swift run tracing-example out.jsonl
//     swift run trace-report render out.jsonl -o report/
//
// Nothing here touches the network: the model and the tools are functions that return canned
// answers. The span structure is the point: an agent span holding model calls and tool calls,
// two tools running at once, and one tool that fails while the agent goes on.

import TraceReportTracing
import Tracing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a fake tool failed.
struct ToolError: Error, CustomStringConvertible {
    var tool: String
    var reason: String
    var description: String { "\(tool): \(reason)" }
}

/// A fake chat model: a canned reply and token counts derived from the text lengths.
struct FakeModel {
    var name = "gpt-4o-mini-2024-07-18"

    func chat(
        _ tracer: TraceReportTracer, system: String, messages: [(role: String, content: String)], reply: String
    ) async -> String {
        await tracer.withSpan("chat \(name)", ofKind: .client) { span in
            span.attributes["gen_ai.operation.name"] = "chat"
            span.attributes["gen_ai.request.model"] = name
            span.attributes["gen_ai.request.temperature"] = 0.2
            span.attributes["gen_ai.system_instructions"] = system
            span.attributes["gen_ai.input.messages"] = messagesJSON(messages)
            span.attributes["gen_ai.output.messages"] = messagesJSON([("assistant", reply)])
            let inputTokens = (system.utf8.count + messages.reduce(0) { $0 + $1.content.utf8.count }) / 4
            let outputTokens = reply.utf8.count / 4
            span.attributes["gen_ai.usage.input_tokens"] = inputTokens
            span.attributes["gen_ai.usage.output_tokens"] = outputTokens
            // $0.15 per million input tokens, $0.60 per million output tokens.
            span.attributes["gen_ai.usage.cost"] =
                (Double(inputTokens) * 0.15 + Double(outputTokens) * 0.60) / 1_000_000
            span.attributes["gen_ai.response.finish_reasons"] = ["stop"]
            await pause(milliseconds: 40)
            span.addEvent(SpanEvent(name: "first_token", attributes: ["ttft_ms": 40]))
            await pause(milliseconds: 10 * outputTokens)
            return reply
        }
    }
}

/// Stands in for the time a model or a tool would take.
func pause(milliseconds: Int) async {
    try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
}

/// Runs one tool call as a span; a throwing tool is recorded as the span's error.
func callTool(
    _ tracer: TraceReportTracer, _ name: String, arguments: String, _ body: () async throws -> String
) async throws -> String {
    try await tracer.withSpan("execute_tool \(name)") { span in
        span.attributes["gen_ai.operation.name"] = "execute_tool"
        span.attributes["gen_ai.tool.name"] = name
        span.attributes["gen_ai.tool.call.arguments"] = arguments
        let result = try await body()
        span.attributes["gen_ai.tool.call.result"] = result
        return result
    }
}

func messagesJSON(_ messages: [(role: String, content: String)]) -> String {
    "[" + messages.map { "{\"role\":\(quoted($0.role)),\"content\":\(quoted($0.content))}" }.joined(separator: ",")
        + "]"
}

func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case _ where scalar.value < 0x20:
            out +=
                "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// The agent: plan with the model, look up the order and the policy at once, retry the
/// failed carrier lookup from the cache, answer with the model.
func runAgent(_ tracer: TraceReportTracer, question: String) async -> String {
    let model = FakeModel()
    let system = "You are Ava, the support agent for Northwind Outfitters. Answer from the tools' results."
    return await tracer.withSpan("support_agent", ofKind: .server) { span in
        span.attributes["gen_ai.operation.name"] = "invoke_agent"
        span.attributes["gen_ai.agent.name"] = "support_agent"
        span.attributes["input.value"] = question
        span.attributes["release"] = "2025.06"

        _ = await model.chat(
            tracer, system: system, messages: [("user", question)],
            reply: "I will look up order A-99172 and the return policy.")

        async let order = try? callTool(tracer, "lookup_order", arguments: "{\"order_id\":\"A-99172\"}") {
            await pause(milliseconds: 60)
            return "{\"status\":\"delivered\",\"delivered_at\":\"2025-05-27\"}"
        }
        async let policy = try? callTool(tracer, "search_policy", arguments: "{\"query\":\"boots return window\"}") {
            await tracer.withSpan("retrieve returns-policy") { retrieval in
                retrieval.attributes["gen_ai.operation.name"] = "retrieval"
                retrieval.attributes["gen_ai.data_source.id"] = "returns-policy"
                retrieval.attributes["input.value"] = "boots return window"
                await pause(milliseconds: 35)
                retrieval.attributes["output.value"] =
                    "{\"documents\":[{\"id\":\"policy-7\",\"score\":0.82,\"content\":\"Boots can be returned within 30 days of delivery.\"}]}"
                return "Boots can be returned within 30 days of delivery."
            }
        }
        let facts = [await order, await policy].compactMap { $0 }

        var tracking = "unknown"
        do {
            tracking = try await callTool(tracer, "track_shipment", arguments: "{\"order_id\":\"A-99172\"}") {
                await pause(milliseconds: 100)
                throw ToolError(tool: "track_shipment", reason: "carrier API timed out after 10 s")
            }
        } catch {
            span.addEvent(SpanEvent(name: "tool_failed", attributes: ["tool": "track_shipment"]))
        }

        let answer = await model.chat(
            tracer,
            system: system,
            messages: [("user", question)] + facts.map { ("tool", $0) } + [("tool", "tracking: \(tracking)")],
            reply: "Your boots were delivered on 27 May, so the 30-day return window is still open until 26 June."
        )
        span.attributes["output.value"] = answer
        return answer
    }
}

func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    printError("usage: tracing-example OUT.jsonl")
    exit(64)
}
let tracer: TraceReportTracer
do {
    tracer = try TraceReportTracer(path: arguments[1])
} catch {
    printError("\(error.path): error: cannot write: \(error.reason)")
    exit(1)
}
let answer = await runAgent(tracer, question: "Can I still return the boots from order A-99172?")
tracer.shutdown()
if let error = tracer.writeError {
    printError("\(error.path): error: cannot write: \(error.reason)")
    exit(1)
}
print(answer)
