public import TraceJSON
public import TraceModel

/// Reads Jaeger JSON files.
public struct JaegerDecoder: TraceFormatDecoder {
    public let formatName = "Jaeger JSON"
    public let formatID = "jaeger"
    public let shapeDescription = "{\"data\": [{traceID, spans, processes}]} or spans with traceID and spanID"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
