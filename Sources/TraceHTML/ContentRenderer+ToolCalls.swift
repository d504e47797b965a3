import TraceJSON
import TraceModel

/// Tool calls and their results, linked both ways on a run page: a call links to the message
/// with its result and to the tool span that ran it; a result is labelled with the tool's name
/// and links back to the call; a tool span links to the call. Ids are shown as written.
struct ToolCallIndex {
    /// The tool's name, by call id, from the calls the model made.
    var names: [String: String] = [:]
    /// The anchor of the tool span that ran a call, by call id.
    var spanAnchors: [String: String] = [:]
    /// Call ids that have a result message on the page.
    var resultIDs: Set<String> = []

    init() {}

    /// Indexes the tool calls, results and tool spans of `run`, whose spans have `anchors`.
    init(run: Run, anchors: [String]) {
        for (i, node) in run.nodes.enumerated() {
            let span = node.span
            if let id = Self.callID(of: span) {
                if spanAnchors[id] == nil { spanAnchors[id] = anchors[i] }
                if names[id] == nil, span.kind == .tool { names[id] = span.name }
            }
            for messages in [span.inputContent?.messages, span.outputContent?.messages].compactMap({ $0 }) {
                for m in messages {
                    for call in m.toolCalls {
                        guard let id = call.id else { continue }
                        if let name = call.name { names[id] = name }
                    }
                    if let id = m.toolCallID { resultIDs.insert(id) }
                }
            }
        }
    }

    /// The call id a tool span records.
    static func callID(of span: Span) -> String? {
        (span.metadata["tool_call_id"] ?? span.metadata["gen_ai.tool.call.id"] ?? span.metadata["tool.call.id"])?
            .scalarText
    }

    /// An element id for a call id: `prefix` then the id with anything but letters, digits,
    /// `-` and `_` replaced.
    static func elementID(_ prefix: String, _ callID: String) -> String {
        var out = prefix
        for scalar in callID.unicodeScalars.prefix(120) {
            let ok =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "-" || scalar == "_"
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out
    }
}

extension ContentRenderer {
    /// The links of a tool call: to the span that ran it and to its result.
    func toolCallLinks(_ id: String, into out: inout HTMLBuffer) {
        if let anchor = toolCalls.spanAnchors[id] {
            out.raw("<a class=\"tool-link\" href=\"#")
            out.text(anchor)
            out.raw("\">tool span</a>")
        }
        if toolCalls.resultIDs.contains(id) {
            out.raw("<a class=\"tool-link\" href=\"#")
            out.text(ToolCallIndex.elementID("result-", id))
            out.raw("\">result</a>")
        }
    }

    /// The label of a tool result message: the tool's name and the call id, linking to the call.
    mutating func toolResultLabel(_ id: String, into out: inout HTMLBuffer) {
        out.raw(" <span class=\"msg-ref\">result of ")
        if let name = toolCalls.names[id] {
            out.raw("<strong class=\"tool-name\">")
            out.text(name)
            out.raw("</strong> ")
        }
        out.raw("<a class=\"tool-link tool-ref\"")
        if claimElementID(ToolCallIndex.elementID("result-", id)) {
            out.attribute("id", ToolCallIndex.elementID("result-", id))
        }
        out.raw(" href=\"#")
        out.text(ToolCallIndex.elementID("call-", id))
        out.raw("\">")
        out.text(id)
        out.raw("</a></span>")
    }
}
