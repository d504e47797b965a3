public import TraceJSON
public import TraceModel

/// Reads OTLP JSON files.
public struct OTLPJSONDecoder: TraceFormatDecoder {
    public let formatName = "OTLP JSON"
    public let formatID = "otlp"
    public let shapeDescription = "an object with resourceSpans (or result.resourceSpans)"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
