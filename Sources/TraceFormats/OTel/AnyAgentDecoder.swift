public import TraceJSON
public import TraceModel

/// Reads any-agent trace files.
public struct AnyAgentDecoder: TraceFormatDecoder {
    public let formatName = "any-agent trace"
    public let formatID = "any-agent"
    public let shapeDescription = "an object with spans whose context.trace_id is an integer, and final_output"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
