import TraceJSON
import TraceModel

/// A span's events. Token-by-token streaming events (LangSmith `new_token` and the like) fold
/// into one line with the streamed text, the chunks kept inside; the time to the first chunk
/// is derived and shown with the span's facts.
extension RunPageRenderer {
    /// Event names that mark one streamed chunk of a model's answer.
    static let chunkEventNames: Set<String> = [
        "new_token", "llm.new_token", "on_llm_new_token", "on_chat_model_stream", "gen_ai.content.chunk",
        "stream_chunk", "chunk",
    ]

    /// The first chunk event's time minus the span's start, when both are recorded.
    static func timeToFirstToken(_ span: Span) -> Int64? {
        guard span.timeSource == .recorded, let start = span.startTimeUnixNano,
            let first = span.events.first(where: { chunkEventNames.contains($0.name) && $0.timeUnixNano != nil })?
                .timeUnixNano
        else { return nil }
        return max(0, first.saturatingSubtract(start))
    }

    /// The text a chunk event carries: an OpenAI delta, a token string or a chunk's text.
    static func chunkText(_ event: SpanEvent) -> String? {
        let a = JSONValue.object(event.attributes)
        let token = a["kwargs"]?["token"] ?? a["token"] ?? a["chunk"]
        if let s = token?.stringValue { return s }
        if let s = token?["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue { return s }
        if let s = token?["content"]?.stringValue ?? token?["text"]?.stringValue { return s }
        return nil
    }

    /// The time-to-first-token fact.
    func timeToFirstTokenFact(_ span: Span, into out: inout HTMLBuffer) {
        guard let ttft = Self.timeToFirstToken(span) else { return }
        out.raw("<div><dt>Time to first token</dt><dd>")
        out.text(Formatting.duration(ttft) + " (derived from the first streamed chunk)")
        out.raw("</dd></div>")
    }

    /// The events section.
    mutating func events(_ span: Span, into out: inout HTMLBuffer) {
        guard !span.events.isEmpty else { return }
        out.raw("<section class=\"events\"><h3>Events</h3><ol class=\"event-list\">")
        var i = 0
        let events = span.events
        while i < events.count {
            var j = i + 1
            if Self.chunkEventNames.contains(events[i].name) {
                while j < events.count, events[j].name == events[i].name { j += 1 }
            }
            if j - i >= 2 {
                let texts = events[i..<j].compactMap(Self.chunkText)
                out.raw("<li class=\"event-stream\" data-chunks=\"")
                out.int(j - i)
                out.raw("\"><details><summary><span class=\"event-name\">")
                out.text("\(j - i) streamed chunks")
                out.raw("</span>")
                eventTime(events[i], span: span, into: &out)
                if !texts.isEmpty {
                    out.raw(" <span class=\"stream-text\">")
                    out.text(ContentRenderer.preview(texts.joined(), characters: 200))
                    out.raw("</span>")
                }
                out.raw("</summary><ol class=\"event-list\">")
                for event in events[i..<j] { event1(event, span: span, into: &out) }
                out.raw("</ol></details></li>")
            } else {
                event1(events[i], span: span, into: &out)
            }
            i = j
        }
        out.raw("</ol></section>\n")
    }

    private mutating func event1(_ event: SpanEvent, span: Span, into out: inout HTMLBuffer) {
        out.raw("<li><span class=\"event-name\">")
        out.text(event.name)
        out.raw("</span>")
        eventTime(event, span: span, into: &out)
        if !event.attributes.isEmpty {
            content.json(.object(event.attributes), into: &out)
        }
        out.raw("</li>")
    }

    private func eventTime(_ event: SpanEvent, span: Span, into out: inout HTMLBuffer) {
        guard let t = event.timeUnixNano, let s = span.startTimeUnixNano, span.timeSource == .recorded else { return }
        out.raw(" <span class=\"event-time\">")
        out.text((t >= s ? "+" : "-") + Formatting.duration(t >= s ? t.saturatingSubtract(s) : s.saturatingSubtract(t)))
        out.raw("</span>")
    }
}
