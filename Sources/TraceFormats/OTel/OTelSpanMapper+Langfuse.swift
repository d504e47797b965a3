import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the Langfuse attribute conventions.
    static func applyLangfuse(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
