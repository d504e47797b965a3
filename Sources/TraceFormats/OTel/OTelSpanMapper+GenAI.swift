import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the GenAI attribute conventions.
    static func applyGenAI(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
