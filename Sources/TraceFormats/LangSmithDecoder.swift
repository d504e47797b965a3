public import TraceJSON
public import TraceModel

/// Reads LangSmith runs files.
public struct LangSmithDecoder: TraceFormatDecoder {
    public let formatName = "LangSmith runs"
    public let formatID = "langsmith"
    public let shapeDescription = "{\"post\": [...], \"patch\": [...]} or runs with dotted_order and run_type"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
