public import TraceJSON
public import TraceModel

/// Reads Zipkin v2 JSON files.
public struct ZipkinDecoder: TraceFormatDecoder {
    public let formatName = "Zipkin v2 JSON"
    public let formatID = "zipkin"
    public let shapeDescription = "an array of spans with traceId, id and a microsecond timestamp"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
