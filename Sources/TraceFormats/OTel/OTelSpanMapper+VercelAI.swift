import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the VercelAI attribute conventions.
    static func applyVercelAI(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
