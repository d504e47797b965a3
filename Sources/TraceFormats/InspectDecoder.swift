public import TraceJSON
public import TraceModel

/// Reads Inspect AI eval log files.
public struct InspectDecoder: TraceFormatDecoder {
    public let formatName = "Inspect AI eval log"
    public let formatID = "inspect"
    public let shapeDescription = "an object with version, eval and samples, or a .eval archive"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        DecodedTrace()
    }
}
