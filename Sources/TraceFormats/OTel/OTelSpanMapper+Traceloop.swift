import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Traceloop attribute conventions.
    static func applyTraceloop(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
