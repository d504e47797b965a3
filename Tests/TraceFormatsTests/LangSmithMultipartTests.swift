import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// langsmith 0.15.1 posts runs to `/runs/multipart`: one part per run and per large field
/// (checked against a body the SDK sent to a captured HTTP session locally).
@Suite("LangSmith multipart bodies")
struct LangSmithMultipartTests {
    @Test("a multipart body renders with its inputs, outputs and errors")
    func readsBody() throws {
        let loaded = try load(fixture: "langsmith/runs-multipart.body")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        #expect(loaded.runs.count == 2)
        #expect(loaded.spanCount == 5)
        let agent = try #require(loaded.runs.first { $0.name == "refund_agent" })
        #expect(agent.status == .ok)
        let root = try #require(agent.run.root)
        #expect(root.input == .object(JSONObject([("q", .string("Refund A-1042?"))])))
        #expect(root.output != nil)
        let failedTool = try #require(agent.run.nodes.map(\.span).first { $0.error != nil })
        #expect(failedTool.name == "lookup_order")
        #expect(failedTool.error?.message.contains("no such order") == true)
        let chat = try #require(agent.run.nodes.map(\.span).first { $0.kind == .llm })
        #expect(chat.usage.tokens == 16)
        let failing = try #require(loaded.runs.first { $0.name == "failing_agent" })
        #expect(failing.status == .error)
        #expect(failing.run.root?.error?.message.contains("payments service unavailable") == true)
    }

    @Test("a body compressed with Zstandard reads the same")
    func compressed() throws {
        let plain = try load(fixture: "langsmith/runs-multipart.body")
        let packed = try load(fixture: "langsmith/runs-multipart.body.zst")
        #expect(packed.diagnostics.isEmpty, "\(packed.diagnostics.map(\.message))")
        #expect(packed.spans.map(\.spanID) == plain.spans.map(\.spanID))
        #expect(packed.spans.map(\.output) == plain.spans.map(\.output))
    }

    @Test(
        "a body that cannot be read in full is refused with an error naming the part, and nothing is rendered",
        arguments: ["truncated", "bad-json", "orphan-field", "unknown-kind"])
    func refused(_ damage: String) throws {
        var text = String(decoding: try fixtureBytes("langsmith/runs-multipart.body"), as: UTF8.self)
        switch damage {
        case "truncated": text = String(text.prefix(text.utf8.count / 2))
        case "bad-json": text = text.replacingFirst(#"{"q":"Refund A-1042?"}"#, with: #"{"q":"Refund A-1042?"]"#)
        case "orphan-field":
            text = text.replacingFirst(
                "name=\"post.01a23ae6-bdb3-7293-9b72-35f884b9a33e\"",
                with: "name=\"post.01a23ae6-0000-7293-9b72-35f884b9a33e.misc\"")
        default:
            text = text.replacingFirst(
                "name=\"post.01a23ae6-bdd2-7e9d-a93e-0f61177bb414.events\"",
                with: "name=\"feedbackx.01a23ae6-bdd2-7e9d-a93e-0f61177bb414\"")
        }
        let loaded = load(bytes: Array(text.utf8), file: "body.multipart")
        #expect(loaded.runs.isEmpty)
        let error = try #require(loaded.errors.first)
        #expect(error.location.file == "body.multipart")
        #expect(error.message.hasSuffix("the body is not rendered"), "\(error.message)")
        #expect(error.location.line > 0)
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
