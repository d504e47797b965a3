public import TraceJSON
public import TraceModel

/// Reads OpenTelemetry Python span JSON files.
public struct OTelConsoleDecoder: TraceFormatDecoder {
    public let formatName = "OpenTelemetry Python span JSON"
    public let formatID = "otel-python"
    public let shapeDescription = "objects with name, context.trace_id and kind like SpanKind.INTERNAL, or an array of them"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
