import TraceJSON
import TraceModel

/// A run at a glance: what it was asked, what it answered, and what it should have answered
/// where the format records that.
///
/// The input is the root span's input, or else the first user message any model call received;
/// the output is the root's output, or else the last model answer. Where a value wraps one
/// obvious text (a chat message, `{"message": …}`, `{"answer": …}`), the text is taken.
struct RunGlance {
    /// What the run was asked.
    var input: SpanContent?
    /// What the run answered.
    var output: SpanContent?
    /// What it should have answered: Braintrust `expected`, Inspect `target`, an eval case's
    /// `expected_output`.
    var expected: SpanContent?

    /// Member names that hold a run's question, in order of preference.
    static let inputKeys = ["message", "question", "query", "input", "prompt", "user_input", "task", "text", "content"]
    /// Member names that hold a run's answer, in order of preference.
    static let outputKeys = [
        "answer", "final_output", "output", "response", "result", "completion", "content", "text", "message",
    ]
    /// Metadata names that hold the expected output, in order of preference.
    static let expectedKeys = ["expected", "expected_output", "target", "reference", "ground_truth"]

    init(_ run: AnalyzedRun) {
        let nodes = run.run.nodes
        if let rootInput = run.run.root?.inputContent {
            input = Self.headline(rootInput, keys: Self.inputKeys, wantedRole: "user", last: false)
        } else {
            for node in nodes where node.span.kind == .llm {
                if let content = node.span.inputContent, let text = Self.messageText(content, role: "user", last: false)
                {
                    input = SpanContent(.string(text), kind: .agent)
                    break
                }
            }
        }
        if let rootOutput = run.run.root?.outputContent {
            output = Self.headline(rootOutput, keys: Self.outputKeys, wantedRole: "assistant", last: true)
        } else {
            for node in nodes.reversed() where node.span.kind == .llm {
                if let content = node.span.outputContent {
                    output = Self.headline(content, keys: Self.outputKeys, wantedRole: "assistant", last: true)
                    break
                }
            }
        }
        let metadata = [run.run.root?.metadata, run.run.info?.metadata].compactMap { $0 }
        search: for key in Self.expectedKeys {
            for m in metadata {
                if let v = m[key], !v.isNull {
                    expected = SpanContent(v, kind: .agent)
                    break search
                }
            }
        }
    }

    /// Whether there is anything to show.
    var isEmpty: Bool { input == nil && output == nil && expected == nil }

    /// The one text `content` stands for, or its value.
    static func headline(_ content: SpanContent, keys: [String], wantedRole: String, last: Bool) -> SpanContent {
        if case .text = content.form { return content }
        if let text = messageText(content, role: wantedRole, last: last) {
            return SpanContent(.string(text), kind: .agent)
        }
        if case .object(let o) = content.value {
            for key in keys {
                if case .string(let s)? = o[key], !s.isEmpty { return SpanContent(.string(s), kind: .agent) }
            }
        }
        return content
    }

    /// The text of the first (or last) message with `role`, if `content` holds chat messages.
    static func messageText(_ content: SpanContent, role: String, last: Bool) -> String? {
        guard let messages = content.messages else { return nil }
        let matching = messages.filter { $0.role == role }
        return (last ? matching.last : matching.first)?.previewText
    }

    /// `value` as plain text for a one-line preview.
    static func plainText(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return JSONWriter.write(value, pretty: false)
    }
}
