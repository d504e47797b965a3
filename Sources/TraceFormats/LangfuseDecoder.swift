public import TraceJSON
public import TraceModel

/// Reads Langfuse files.
public struct LangfuseDecoder: TraceFormatDecoder {
    public let formatName = "Langfuse"
    public let formatID = "langfuse"
    public let shapeDescription = "a trace with observations, ingestion events, or observation rows"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
