import TraceJSON
public import TraceModel

extension Redactor {
    /// `run` (a baseline run) with its id, name, metadata, labels and first error redacted, so
    /// it matches a redacted run with the same values and shows nothing redacted.
    public mutating func redact(_ run: EvalRun) -> EvalRun {
        var run = run
        run.traceID = redact(run.traceID)
        run.name = redact(run.name)
        run.metadata = redact(run.metadata)
        run.labels = run.labels.map { redact($0) }
        run.firstError = run.firstError.map { redact($0) }
        run.scores = run.scores.map { redact($0) }
        return run
    }
}

extension SummaryJSON {
    /// `redaction` of `summary.json`: `null` when the report is not redacted; otherwise the
    /// total and, per rule, its kind, the occurrences replaced and the distinct values (never
    /// the values themselves).
    static func redactionJSON(_ manifest: RedactionManifest?) -> JSONValue {
        guard let manifest else { return .null }
        return .object(
            JSONObject([
                ("total", .number(JSONNumber(manifest.total))),
                (
                    "rules",
                    .array(
                        manifest.entries.map { e in
                            .object(
                                JSONObject([
                                    ("name", .string(e.name)),
                                    ("kind", .string(e.kind)),
                                    ("count", .number(JSONNumber(e.count))),
                                    ("values", .number(JSONNumber(e.values))),
                                ]))
                        })
                ),
            ]))
    }
}
