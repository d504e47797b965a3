import Testing
import TraceJSON

@testable import TraceModel

/// The native reading of a span's input and output into messages, tool calls and documents,
/// done once when the span is decoded.
@Suite("span content: messages, tool calls and documents read once")
struct SpanContentTests {
    static func json(_ text: String) -> JSONValue {
        let parsed = JSONStreamParser.parse(Array(text.utf8))
        precondition(parsed.errors.isEmpty && parsed.records.count == 1, "bad test JSON: \(text)")
        return parsed.records[0].value
    }

    static func messages(_ text: String, kind: SpanKind = .llm) -> [ChatMessage]? {
        SpanContent(json(text), kind: kind).messages
    }

    @Test("a message list, a messages object with other fields, choices and one message are chats")
    func chatShapes() throws {
        let list = try #require(
            Self.messages(#"[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"#))
        #expect(list.map(\.role) == ["system", "user"])
        #expect(list[1].content == .text("Hi"))

        let request = SpanContent(
            Self.json(#"{"model":"m-1","messages":[{"role":"user","content":"Hi"}],"temperature":0}"#), kind: .llm)
        guard case .chat(let messages, let other) = request.form else {
            Issue.record("not read as a chat: \(request.form)")
            return
        }
        #expect(messages.count == 1)
        #expect(other?.members.map(\.key) == ["model", "temperature"])

        let completion = SpanContent(
            Self.json(#"{"id":"c1","choices":[{"message":{"role":"assistant","content":"Hello"}}]}"#), kind: .llm)
        #expect(completion.messages?.first?.content == .text("Hello"))

        let one = try #require(Self.messages(#"{"role":"assistant","content":null,"tool_calls":[]}"#))
        #expect(one.first?.content == MessageContent.none)
    }

    @Test("a list with one item that is not a message is not a chat; nor is a role without content")
    func notChats() {
        #expect(Self.messages(#"[{"role":"user","content":"Hi"},{"text":"x"}]"#) == nil)
        #expect(Self.messages(#"{"role":"user"}"#) == nil)
        #expect(Self.messages(#"{"role":7,"content":"Hi"}"#) == nil)
        #expect(Self.messages(#"[]"#) == nil)
        #expect(SpanContent(Self.json(#"{"a":1}"#), kind: .llm).form == .json)
        #expect(SpanContent(.string("plain"), kind: .tool).form == .text("plain"))
    }

    @Test("tool calls come from tool_calls and function_call; a tool message names its call")
    func toolCalls() throws {
        let m = try #require(
            Self.messages(
                #"""
                [{"role":"assistant","content":null,
                  "tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":1}"}},
                                {"id":"call_2","name":"search","args":{"q":"x"}}],
                  "function_call":{"name":"legacy","arguments":"{}"}},
                 {"role":"tool","tool_call_id":"call_1","content":"found"}]
                """#))
        #expect(m[0].toolCalls.map(\.id) == ["call_1", "call_2", nil])
        #expect(m[0].toolCalls.map(\.name) == ["lookup", "search", "legacy"])
        #expect(m[0].toolCalls[0].arguments == .string(#"{"id":1}"#))
        #expect(m[0].toolCalls[1].arguments == Self.json(#"{"q":"x"}"#))
        #expect(m[0].previewText == "calls lookup, search, legacy")
        #expect(m[1].toolCallID == "call_1")
        #expect(m[1].previewText == "found")
    }

    @Test("parts: text, reasoning, tool use and result, image, other types and bare values")
    func parts() throws {
        let m = try #require(
            Self.messages(
                #"""
                {"role":"user","content":[
                  "plain",
                  {"type":"text","text":"typed"},
                  {"type":"reasoning","text":"thinking"},
                  {"type":"tool_use","id":"tu_1","name":"lookup","input":{"id":1}},
                  {"type":"tool_result","tool_use_id":"tu_1","content":"done","is_error":true},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
                  {"type":"audio","data":"…"},
                  42]}
                """#)
        ).first
        guard case .parts(let parts)? = m?.content else {
            Issue.record("content not read as parts")
            return
        }
        #expect(parts.count == 8)
        #expect(parts[0] == .text("plain"))
        #expect(parts[1] == .text("typed"))
        #expect(parts[2] == .reasoning("thinking"))
        #expect(parts[3] == .toolCall(ToolCall(id: "tu_1", name: "lookup", arguments: Self.json(#"{"id":1}"#))))
        guard case .toolResult(let result) = parts[4], case .image(let image) = parts[5] else {
            Issue.record("tool result or image not typed: \(parts[4]), \(parts[5])")
            return
        }
        #expect(result.callID == "tu_1")
        #expect(result.isError)
        #expect(image.url == "https://example.com/a.png")
        #expect(parts[6] == .other(type: "audio", value: Self.json(#"{"type":"audio","data":"…"}"#)))
        #expect(parts[7] == .value(Self.json("42")))
        // The preview joins the parts that have text.
        #expect(m?.previewText == "plain typed thinking done")
    }

    @Test("documents are read in retrieval, memory and embedding steps, or under documents")
    func documents() throws {
        let list = #"[{"id":"d1","content":"Refunds within 30 days.","score":0.91,"metadata":{"v":2}}]"#
        let read = SpanContent(Self.json(list), kind: .retrieval)
        guard case .documents(let docs) = read.form else {
            Issue.record("not documents: \(read.form)")
            return
        }
        #expect(docs.first?.id == "d1")
        #expect(docs.first?.score?.text == "0.91")
        #expect(docs.first?.text == "Refunds within 30 days.")
        #expect(docs.first?.otherFields.members.map(\.key) == ["metadata"])
        // A tool's list of objects with content is only JSON.
        #expect(SpanContent(Self.json(list), kind: .tool).form == .json)
        // Under `documents` it is documents whatever the kind; a number id is written as text.
        let wrapped = SpanContent(Self.json(#"{"documents":[{"document_id":7,"page_content":"x"}]}"#), kind: .tool)
        guard case .documents(let w) = wrapped.form else {
            Issue.record("not documents: \(wrapped.form)")
            return
        }
        #expect(w.first?.id == "7")
    }

    @Test("a span reads its input and output when they are set and again when its kind changes")
    func readOnAssignment() throws {
        let docs = Self.json(#"[{"content":"x"}]"#)
        var span = Span(traceID: "t", spanID: "s", name: "step", kind: .tool, output: docs)
        #expect(span.outputContent?.form == .json)
        span.kind = .retrieval
        guard case .documents? = span.outputContent?.form else {
            Issue.record("kind change did not read documents")
            return
        }
        span.input = Self.json(#"[{"role":"user","content":"Hi"}]"#)
        #expect(span.inputContent?.messages?.first?.role == "user")
        span.input = .string("now text")
        #expect(span.inputContent?.form == .text("now text"))
        span.input = nil
        #expect(span.inputContent == nil)
    }

    @Test("redaction rewrites the typed messages with the recorded value")
    func redactionReads() throws {
        var redactor = try Redactor(options: RedactionOptions())
        let span = Span(
            traceID: "t", spanID: "s", name: "chat", kind: .llm,
            input: Self.json(#"[{"role":"user","content":"mail me at ann@example.com"}]"#))
        let redacted = redactor.redact(span)
        let text = redacted.inputContent?.messages?.first?.content
        guard case .text(let s)? = text else {
            Issue.record("not a text message after redaction: \(String(describing: text))")
            return
        }
        #expect(!s.contains("ann@example.com"))
        #expect(redacted.input?.arrayValue?.first?["content"] == .string(s))
    }

    @Test("deeply nested content is read without recursion and shown as recorded")
    func deep() throws {
        let nested = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let m = try #require(Self.messages("{\"role\":\"user\",\"content\":[\"# title\"," + nested + "]}"))
        guard case .parts(let parts)? = m.first?.content else {
            Issue.record("content not read as parts")
            return
        }
        #expect(parts.count == 2)
        #expect(parts[0] == .text("# title"))
        guard case .value(.array) = parts[1] else {
            Issue.record("nested array not kept as recorded: \(parts[1])")
            return
        }
    }
}
