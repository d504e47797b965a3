import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the AnyAgent attribute conventions.
    static func applyAnyAgent(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
