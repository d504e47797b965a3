import TraceJSON
import TraceModel

/// Spans written twice, once when they start (no end time yet) and again when they end, as
/// span processors that export on start do. The start record is a part of the span
/// (``Span/isPartial``), so assembly merges the two without a warning; a warning is given only
/// when the two records disagree on a field both set.
struct StartEndRecords {
    /// Start records not yet followed by their end record, by trace and span id.
    private var started: [String: Span] = [:]

    /// Marks `span` as a part when it has no end time, and checks it against its start record.
    mutating func check(_ span: inout Span, diagnostics: inout [Diagnostic]) {
        let key = span.traceID + "/" + span.spanID
        if span.endTimeUnixNano == nil {
            span.isPartial = true
            started[key] = span
            return
        }
        guard let start = started.removeValue(forKey: key) else { return }
        let fields = Self.disagreements(start, span)
        if !fields.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    at: span.source,
                    "span \"\(span.spanID)\" was recorded at its start (line \(start.source.line)) and at its end with different "
                        + fields.joined(separator: ", ") + "; the end record's values win"
                )
            )
        }
    }

    /// The fields both records set to different values.
    static func disagreements(_ a: Span, _ b: Span) -> [String] {
        var fields: [String] = []
        if !a.name.isEmpty, !b.name.isEmpty, a.name != b.name { fields.append("name") }
        if let p = a.parentSpanID, let q = b.parentSpanID, p != q { fields.append("parent") }
        if let s = a.startTimeUnixNano, let t = b.startTimeUnixNano, s != t { fields.append("start time") }
        if let x = a.input, let y = b.input, x != y { fields.append("input") }
        if let x = a.model, let y = b.model, x != y { fields.append("model") }
        for member in a.metadata.members {
            if let other = b.metadata[member.key], other != member.value { fields.append("\"\(member.key)\"") }
        }
        return fields
    }
}
