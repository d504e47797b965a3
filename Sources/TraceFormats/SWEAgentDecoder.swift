public import TraceJSON
public import TraceModel

/// Reads SWE-agent trajectory files.
public struct SWEAgentDecoder: TraceFormatDecoder {
    public let formatName = "SWE-agent trajectory"
    public let formatID = "swe-agent"
    public let shapeDescription = "an object with trajectory or history and info.model_stats"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
