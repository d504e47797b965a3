package import TraceJSON
package import TraceModel

/// An OpenTelemetry span as the OTel-shaped formats write it (OTLP JSON, the Python SDK's
/// `to_json()`, any-agent, JS `ReadableSpan` JSON), before semantic conventions are applied.
///
/// Each OTel-shaped decoder fills one of these per span and hands it to ``OTelSpanMapper``,
/// which maps GenAI, OpenInference and vendor attributes into the normalized ``Span``.
package struct OTelSpanRecord: Sendable, Equatable {
    /// The trace id, normalized by ``TraceIdentifiers``.
    package var traceID: String
    /// The span id, normalized by ``TraceIdentifiers``.
    package var spanID: String
    /// The parent span id, normalized; `nil` for a root.
    package var parentSpanID: String?
    /// The span name.
    package var name: String
    /// The span kind without prefix, upper case: `INTERNAL`, `SERVER`, `CLIENT`, `PRODUCER`,
    /// `CONSUMER` or `UNSPECIFIED`.
    package var kind: String
    /// Start, nanoseconds since the epoch.
    package var startTimeUnixNano: Int64?
    /// End, nanoseconds since the epoch.
    package var endTimeUnixNano: Int64?
    /// `UNSET`, `OK` or `ERROR`.
    package var statusCode: String
    /// The status message or description.
    package var statusMessage: String?
    /// Span attributes with flat keys (`gen_ai.usage.input_tokens`), values as plain JSON
    /// (OTLP `AnyValue`s already unwrapped), in written order.
    package var attributes: JSONObject
    /// Span events.
    package var events: [SpanEvent]
    /// Links to other spans, kept for display.
    package var links: [JSONValue]
    /// Resource attributes, flat keys.
    package var resource: JSONObject
    /// The instrumentation scope's name, if recorded.
    package var scopeName: String?
    /// Where the span was read.
    package var source: SourceLocation
    /// The input format's display name.
    package var formatName: String

    /// Creates a record.
    package init(
        traceID: String,
        spanID: String,
        parentSpanID: String? = nil,
        name: String,
        kind: String = "INTERNAL",
        startTimeUnixNano: Int64? = nil,
        endTimeUnixNano: Int64? = nil,
        statusCode: String = "UNSET",
        statusMessage: String? = nil,
        attributes: JSONObject = JSONObject(),
        events: [SpanEvent] = [],
        links: [JSONValue] = [],
        resource: JSONObject = JSONObject(),
        scopeName: String? = nil,
        source: SourceLocation,
        formatName: String
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.attributes = attributes
        self.events = events
        self.links = links
        self.resource = resource
        self.scopeName = scopeName
        self.source = source
        self.formatName = formatName
    }
}
