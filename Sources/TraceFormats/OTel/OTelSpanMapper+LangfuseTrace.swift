import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// The Langfuse SDK's (v3 and later) trace-level attributes, which it copies onto every
    /// span of a trace: `langfuse.trace.name` names the run, `langfuse.trace.tags` are its
    /// labels, and `langfuse.trace.metadata.<key>` (each value JSON text, so a string arrives
    /// quoted) is its metadata, unquoted. They move from the spans' metadata to ``RunInfo``;
    /// `langfuse.observation.metadata.<key>` values are unquoted where they stay.
    static func liftLangfuseTraceAttributes(_ result: inout DecodedTrace) {
        let traceMetadata = "langfuse.trace.metadata."
        let observationMetadata = "langfuse.observation.metadata."
        var last: [String: RunInfo] = [:]
        for i in result.spans.indices {
            let metadata = result.spans[i].metadata
            guard metadata.members.contains(where: { $0.key.hasPrefix("langfuse.") }) else { continue }
            var info = RunInfo(traceID: result.spans[i].traceID)
            var kept: [(key: String, value: JSONValue)] = []
            var lifted = false
            for member in metadata.members {
                switch member.key {
                case "langfuse.trace.name":
                    info.name = OTelAttributes.text(member.value)
                    lifted = true
                case "langfuse.trace.tags":
                    switch OTelAttributes.structured(member.value) {
                    case .array(let tags):
                        info.labels = tags.compactMap { OTelAttributes.string($0) }.filter { !$0.isEmpty }
                    case .string(let tag) where !tag.isEmpty: info.labels = [tag]
                    default: break
                    }
                    lifted = true
                case let key where key.hasPrefix(traceMetadata) && key.count > traceMetadata.count:
                    info.metadata.members.append(
                        (String(key.dropFirst(traceMetadata.count)), OTelAttributes.parsedAny(member.value)))
                    lifted = true
                case let key where key.hasPrefix(observationMetadata):
                    kept.append((key, OTelAttributes.parsedAny(member.value)))
                default:
                    kept.append(member)
                }
            }
            result.spans[i].metadata = JSONObject(kept)
            // Every span repeats the same values: one run record per change is enough.
            guard lifted, last[info.traceID] != info else { continue }
            last[info.traceID] = info
            result.runInfo.append(info)
        }
    }
}
