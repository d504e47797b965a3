public import TraceJSON
public import TraceModel

/// Reads OpenAI Agents SDK export files.
public struct OpenAIAgentsDecoder: TraceFormatDecoder {
    public let formatName = "OpenAI Agents SDK export"
    public let formatID = "openai-agents"
    public let shapeDescription = "objects with object: trace or trace.span, or {\"data\": [...]}"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
