public import TraceModel

/// Every trace format trace-report reads, in the order detection tries them.
///
/// Each format is one adapter that maps its records into the normalized ``Span`` model; nothing
/// downstream knows which format a span came from, except ``Span/sourceFormat``.
public enum TraceFormats {
    /// The formats, most specific first; the native format comes last.
    public static let all: [any TraceFormatDecoder] = registered

    /// The format with the `--format` name `id`.
    public static func named(_ id: String) -> (any TraceFormatDecoder)? {
        all.first { $0.formatID == id.lowercased() }
    }

    /// The `--format` names, in detection order.
    public static var ids: [String] { all.map(\.formatID) }
}
