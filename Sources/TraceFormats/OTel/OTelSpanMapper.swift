import TraceJSON
package import TraceModel

/// Maps an ``OTelSpanRecord`` into the normalized ``Span``, applying semantic conventions:
/// OpenTelemetry GenAI (current and deprecated), OpenInference, and the vendor vocabularies
/// (Traceloop, Vercel AI SDK, Langfuse, Monocle, any-agent).
///
/// Each convention is one function in its own file (`OTelSpanMapper+<Convention>.swift`) that
/// fills normalized fields from the attributes and events it knows and names the attribute keys
/// it used in `consumed`. Attributes no convention consumed stay visible in the span's metadata.
package enum OTelSpanMapper {
    /// A convention: reads `record`, fills `span`, adds the attribute keys it mapped to `consumed`.
    typealias Convention =
        @Sendable (_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) -> Void

    /// The conventions, applied in order; a later one may refine what an earlier one set.
    static let conventions: [Convention] = [
        applyGenAI,
        applyOpenInference,
        applyTraceloop,
        applyVercelAI,
        applyLangfuse,
        applyMonocle,
        applyAnyAgent,
        applyAgentFrameworks,
    ]

    /// The normalized span for `record`.
    package static func span(from record: OTelSpanRecord) -> Span {
        var span = Span(
            traceID: record.traceID,
            spanID: record.spanID,
            parentSpanID: record.parentSpanID,
            name: record.name,
            kind: .span,
            kindName: record.kind.lowercased(),
            startTimeUnixNano: record.startTimeUnixNano,
            endTimeUnixNano: record.endTimeUnixNano,
            events: record.events,
            source: record.source,
            sourceFormat: record.formatName
        )
        if record.statusCode == "ERROR" {
            span.error = SpanError(message: record.statusMessage ?? "error")
        }
        var consumed: Set<String> = []
        for convention in conventions {
            convention(record, &span, &consumed)
        }
        var metadata = JSONObject(record.attributes.members.filter { !consumed.contains($0.key) })
        metadata.members.append(contentsOf: span.metadata.members)
        // Where the span came from, in every export form alike (OTLP, console, JS SDK).
        if let service = record.resource["service.name"], metadata["service.name"] == nil {
            metadata.members.append(("service.name", service))
        }
        let resourceRest = JSONObject(record.resource.members.filter { $0.key != "service.name" })
        if !resourceRest.isEmpty, metadata["resource"] == nil {
            metadata.members.append(("resource", .object(resourceRest)))
        }
        span.metadata = metadata
        return span
    }
}
