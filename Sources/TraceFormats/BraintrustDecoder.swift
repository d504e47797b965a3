public import TraceJSON
public import TraceModel

/// Reads Braintrust rows files.
public struct BraintrustDecoder: TraceFormatDecoder {
    public let formatName = "Braintrust rows"
    public let formatID = "braintrust"
    public let shapeDescription = "rows with span_id and root_span_id, or {\"rows\": [...]}"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
