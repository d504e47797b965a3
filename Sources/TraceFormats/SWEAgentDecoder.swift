public import TraceJSON
public import TraceModel

/// Reads SWE-agent trajectory files (`.traj`): one run per trajectory.
///
/// The run's root is an agent span named after the instance (the problem statement's id, else
/// the file name), with the problem statement as input, `info.submission` (the patch) as
/// output, `info.model_stats` as its usage (`tokens_sent` → input tokens, `tokens_received` →
/// output tokens, `instance_cost` → cost; the zeros that replays and demonstrations record count
/// as not recorded) and the rest of `info` (exit status, edited files, API calls) in its metadata. An
/// exit status that names an error makes the root end with that error.
///
/// Each trajectory step becomes two spans under the root: an LLM span for the model's turn
/// (input: the step's `query`, or the `history` messages before the step's assistant message
/// when the step can be matched to it; output: the assistant message with its tool calls) and
/// a tool span for the action (input: the tool call's arguments, or the command; output: the
/// observation). Files with only `history` give the same spans from its assistant messages and
/// the observations that follow them.
///
/// Trajectories record no clock times. With `execution_time`, spans get a derived timeline
/// (``TimeSource/derived``): steps back to back from zero, each action lasting its
/// `execution_time`; model turns, whose duration is not recorded, keep their place with
/// ``TimeSource/placeholder`` times. Without `execution_time`, spans have no times at all and
/// keep their step order by span id. The root's `timing` metadata says which.
public struct SWEAgentDecoder: TraceFormatDecoder {
    public let formatName = "SWE-agent trajectory"
    public let formatID = "swe-agent"
    public let shapeDescription = "an object with trajectory or history and info.model_stats"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value else { return false }
        let trajectory = o["trajectory"]?.arrayValue
        let history = o["history"]?.arrayValue
        guard trajectory != nil || history != nil else { return false }
        if o["info"]?.objectValue != nil { return true }
        if let first = history?.first, first["role"]?.stringValue != nil, first["agent"] != nil { return true }
        if let first = trajectory?.first, first["action"] != nil, first["observation"] != nil { return true }
        return false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        let stem = Self.stem(of: file)
        for (index, record) in records.enumerated() {
            let location = SourceLocation(file: file, line: record.line)
            guard case .object(let o) = record.value else {
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected a trajectory object, found \(record.value.typeName); record skipped")
                )
                continue
            }
            let traceID = records.count == 1 ? stem : "\(stem)-\(index + 1)"
            var reader = Reader(object: o, traceID: traceID, location: location, formatName: formatName)
            reader.read()
            result.spans.append(contentsOf: reader.spans)
            result.diagnostics.append(contentsOf: reader.diagnostics)
            if let name = reader.runName {
                result.runInfo.append(RunInfo(traceID: traceID, name: name))
            }
        }
        return result
    }

    /// The file name without directories and extension: SWE-agent names trajectories
    /// `<instance_id>.traj`.
    static func stem(of file: String) -> String {
        var name = Substring(file)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = name[name.index(after: slash)...] }
        for ext in [".traj", ".json"] where name.hasSuffix(ext) && name.count > ext.count {
            name = name.dropLast(ext.count)
        }
        if name.isEmpty || name == "-" { return "swe-agent-trajectory" }
        return String(name)
    }
}
