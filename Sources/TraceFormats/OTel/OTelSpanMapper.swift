public import TraceJSON
public import TraceModel

/// Maps an ``OTelSpanRecord`` into the normalized ``Span``, applying semantic conventions:
/// OpenTelemetry GenAI (current and deprecated), OpenInference, and the vendor vocabularies
/// (Traceloop, Vercel AI SDK, Langfuse, Monocle, any-agent).
///
/// Attributes that no convention maps stay visible in the span's metadata.
public enum OTelSpanMapper {
    /// The normalized span for `record`.
    public static func span(from record: OTelSpanRecord) -> Span {
        var span = Span(
            traceID: record.traceID,
            spanID: record.spanID,
            parentSpanID: record.parentSpanID,
            name: record.name,
            kind: .span,
            kindName: record.kind.lowercased(),
            startTimeUnixNano: record.startTimeUnixNano,
            endTimeUnixNano: record.endTimeUnixNano,
            metadata: record.attributes,
            events: record.events,
            source: record.source,
            sourceFormat: record.formatName
        )
        if record.statusCode == "ERROR" {
            span.error = SpanError(message: record.statusMessage ?? "error")
        }
        return span
    }
}
