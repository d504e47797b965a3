import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Monocle attribute conventions.
    static func applyMonocle(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
