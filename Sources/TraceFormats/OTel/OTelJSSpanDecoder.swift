public import TraceJSON
public import TraceModel

/// Reads OpenTelemetry JS span JSON files.
public struct OTelJSSpanDecoder: TraceFormatDecoder {
    public let formatName = "OpenTelemetry JS span JSON"
    public let formatID = "otel-js"
    public let shapeDescription = "objects (or an array) with spanContext and startTime as [seconds, nanoseconds]"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
