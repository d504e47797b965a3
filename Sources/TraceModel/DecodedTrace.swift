public import TraceJSON

/// What a decoder made of one input: normalized spans and the problems it found.
public struct DecodedTrace: Sendable {
    /// The spans, in input order.
    public var spans: [Span]
    /// Problems found, in input order.
    public var diagnostics: [Diagnostic]

    /// Creates a decoded trace.
    public init(spans: [Span] = [], diagnostics: [Diagnostic] = []) {
        self.spans = spans
        self.diagnostics = diagnostics
    }

    /// Appends another decoded trace after this one.
    public mutating func append(_ other: DecodedTrace) {
        spans.append(contentsOf: other.spans)
        diagnostics.append(contentsOf: other.diagnostics)
    }
}

/// A reader for one trace format: JSON values in, normalized spans out.
///
/// Decoders are pure: they never touch files, clocks or global state.
public protocol TraceFormatDecoder: Sendable {
    /// The format's display name, shown on run pages as the source format.
    var formatName: String { get }

    /// Decodes the JSON values read from `file`, in order.
    func decode(_ records: [JSONRecord], file: String) -> DecodedTrace
}
