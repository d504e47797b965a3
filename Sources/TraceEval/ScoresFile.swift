import TraceJSON
public import TraceModel

/// Reads a scores file: JSON Lines of `{"trace_id", "name", "value", "comment"?}`, for evals
/// computed after the run. Each line becomes a run-level score. Langfuse score bodies (as posted
/// to `/api/public/scores`: `traceId` in camel case, one object or an array of them) are read too.
public enum ScoresFile {
    /// The run-level scores in `bytes`, with an error for every line that is not a score.
    public static func read(_ bytes: [UInt8], file: String) -> (runInfo: [RunInfo], diagnostics: [Diagnostic]) {
        let parsed = JSONStreamParser.parse(bytes)
        var diagnostics = parsed.errors.map {
            Diagnostic(
                .error, at: SourceLocation(file: file, line: $0.line),
                "\($0.message) (column \($0.column)); line skipped")
        }
        var infos: [RunInfo] = []
        let values = parsed.records.flatMap { record -> [(line: Int, value: JSONValue)] in
            // A Langfuse batch: an array of score bodies.
            if case .array(let items) = record.value, !items.isEmpty,
                items.allSatisfy({ $0["traceId"]?.stringValue != nil })
            {
                return items.map { (record.line, $0) }
            }
            return [(record.line, record.value)]
        }
        for record in values {
            let at = SourceLocation(file: file, line: record.line)
            guard case .object(let o) = record.value else {
                diagnostics.append(
                    Diagnostic(
                        .error, at: at,
                        "expected an object with trace_id, name and value, found \(record.value.typeName)"))
                continue
            }
            guard case .string(let traceID)? = o["trace_id"] ?? o["traceId"], !traceID.isEmpty else {
                diagnostics.append(Diagnostic(.error, at: at, "missing or non-string \"trace_id\""))
                continue
            }
            guard case .string(let name)? = o["name"], !name.isEmpty else {
                diagnostics.append(Diagnostic(.error, at: at, "missing or non-string \"name\""))
                continue
            }
            let score: Score
            switch o["value"] {
            case .number(let n)?: score = Score(name: name, value: n.double, text: n.text, origin: "scores file")
            case .bool(let b)?: score = Score(name: name, value: b ? 1 : 0, text: b ? "1" : "0", origin: "scores file")
            default:
                diagnostics.append(Diagnostic(.error, at: at, "\"value\" of score \"\(name)\" must be a number"))
                continue
            }
            var withComment = score
            if case .string(let comment)? = o["comment"] { withComment.comment = comment }
            infos.append(RunInfo(traceID: traceID, scores: [withComment]))
        }
        diagnostics.sort { $0.location.line < $1.location.line }
        return (infos, diagnostics)
    }
}
