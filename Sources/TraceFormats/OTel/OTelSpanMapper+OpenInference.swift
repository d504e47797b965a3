import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the OpenInference attribute conventions.
    static func applyOpenInference(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
    }
}
