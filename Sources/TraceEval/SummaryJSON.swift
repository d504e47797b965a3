public import TraceJSON
public import TraceModel

/// The machine-readable summary a render writes as `summary.json`, and reads back as a baseline.
///
/// Keys are written in a fixed order and numbers in Swift's shortest round-trip form, so the
/// file is deterministic.
public enum SummaryJSON {
    /// The marker key (and format version) of a summary file.
    public static let marker = "trace_report_summary"

    /// The summary of `report` as JSON text with a final newline; `problems` are what loading
    /// skipped, repaired or dropped, counted and listed under `problems`.
    ///
    /// - Parameter totalRuns: The number of runs before `--where` and `--sample` selected the
    ///   report's runs; when given, `selected_runs` and `total_runs` are recorded.
    /// - Parameter selection: How they were selected, as command-line options (`selection`).
    public static func write(
        _ report: EvalReport, title: String, failureGroups: FailureGroups? = nil,
        problems: ReportProblems = ReportProblems(),
        totalRuns: Int? = nil, selection: String? = nil, redaction: RedactionManifest? = nil
    ) -> [UInt8] {
        func number(_ v: Double?) -> JSONValue {
            guard let v, v.isFinite else { return .null }
            return .number(JSONNumber(text: "\(v)"))
        }
        func int(_ v: Int64?) -> JSONValue { v.map { .number(JSONNumber(text: String($0))) } ?? .null }
        func runObject(_ run: EvalRun) -> JSONValue {
            .object(
                JSONObject([
                    ("trace_id", .string(run.traceID)),
                    ("name", .string(run.name)),
                    ("status", .string(run.status)),
                    ("duration_ms", int(run.durationNanos.map { $0 / 1_000_000 })),
                    (
                        "tokens",
                        run.tokens.map { t in
                            .object(
                                JSONObject([
                                    ("input", int(t.input)), ("output", int(t.output)), ("total", int(t.total)),
                                ]))
                        } ?? .null
                    ),
                    ("cost", number(run.cost)),
                    (
                        "scores",
                        .object(JSONObject(run.scores.map { ($0.name, .number(JSONNumber(text: numberText($0)))) }))
                    ),
                    ("labels", .array(run.labels.map { .string($0) })),
                    ("metadata", .object(run.metadata)),
                    ("first_error", run.firstError.map { .string($0) } ?? .null),
                    ("page", run.page.map { .string($0) } ?? .null),
                ]))
        }
        var root = JSONObject([
            (marker, .number(JSONNumber(1))),
            ("title", .string(title)),
            (
                "totals",
                .object(
                    JSONObject([
                        ("runs", .number(JSONNumber(report.runs.count))),
                        ("failed", .number(JSONNumber(report.runs.filter { $0.status == "error" }.count))),
                        ("p50_ms", int(report.p50Nanos.map { $0 / 1_000_000 })),
                        ("p95_ms", int(report.p95Nanos.map { $0 / 1_000_000 })),
                    ]))
            ),
            (
                "scores",
                .array(
                    report.scores.map { s in
                        .object(
                            JSONObject([
                                ("name", .string(s.name)),
                                ("count", .number(JSONNumber(s.count))),
                                ("mean", number(s.mean)),
                                ("min", number(s.min)),
                                ("max", number(s.max)),
                                ("threshold", number(s.threshold)),
                                ("pass_rate", number(s.passRate)),
                                ("baseline_mean", number(s.baselineMean)),
                            ]))
                    })
            ),
            (
                "gates",
                .array(
                    report.gates.map { g in
                        .object(
                            JSONObject([
                                ("gate", .string(g.gate.description)), ("passed", .bool(g.passed)),
                                ("detail", .string(g.detail)),
                            ]))
                    })
            ),
            ("match_on", .string(report.matchOn)),
            ("missing_from_baseline", .array(report.missing.map { .string($0.traceID) })),
            ("failure_groups", failureGroupsJSON(failureGroups)),
            ("problems", problemsObject(problems)),
            ("redaction", redactionJSON(redaction)),
            ("runs", .array(report.runs.map(runObject))),
        ])
        if let totalRuns {
            if let selection { root.members.insert(("selection", .string(selection)), at: 3) }
            root.members.insert(("total_runs", .number(JSONNumber(totalRuns))), at: 3)
            root.members.insert(("selected_runs", .number(JSONNumber(report.runs.count))), at: 3)
        }
        // Many runs: each run and each failure group on one line, which halves the file.
        let lineDepth = report.runs.count > compactAbove ? 2 : .max
        return JSONWriter.bytes(.object(root), pretty: true, lineDepth: lineDepth) + [0x0A]
    }

    /// Summaries of more runs than this write each element of `runs` and `failure_groups` on one
    /// line (the same keys and values; only the indentation differs).
    public static let compactAbove = 200

    /// The `problems` member: counts by kind, the runs lost entirely, and every item.
    static func problemsObject(_ problems: ReportProblems) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for kind in ReportProblems.Kind.allCases {
            members.append((kind.rawValue + "s", .number(JSONNumber(problems.count(kind)))))
        }
        members.append(
            (
                "lost_runs",
                .array(
                    problems.lostRuns.map {
                        .object(
                            JSONObject([
                                ("trace_id", .string($0.traceID)), ("skipped_lines", .number(JSONNumber($0.lines))),
                            ]))
                    })
            ))
        members.append(
            (
                "items",
                .array(
                    problems.items.map { item in
                        .object(
                            JSONObject([
                                ("kind", .string(item.kind.rawValue)),
                                ("file", .string(item.file)),
                                ("line", .number(JSONNumber(item.line))),
                                ("message", .string(item.message)),
                                ("trace_id", item.traceID.map { .string($0) } ?? .null),
                            ]))
                    })
            ))
        return .object(JSONObject(members))
    }

    /// The score's value as JSON number text: as written when that is a JSON number.
    static func numberText(_ score: Score) -> String {
        // Keep the value as written when it is a JSON number; otherwise the shortest form.
        if isJSONNumber(score.text) { return score.text }
        return score.value.isFinite ? "\(score.value)" : "0"
    }

    /// Whether `text` is exactly a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == 0x2D { i += 1 }
        guard i < b.count else { return false }
        if b[i] == 0x30 {
            i += 1
        } else if digits() == 0 {
            return false
        }
        if i < b.count, b[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// Whether `value` (a file's first JSON value) is a summary.
    public static func isSummary(_ value: JSONValue) -> Bool {
        value[marker] != nil && value["runs"]?.arrayValue != nil
    }

    /// The runs recorded in a summary, as baseline runs.
    public static func runs(from value: JSONValue, file: String) -> (runs: [EvalRun], diagnostics: [Diagnostic]) {
        var runs: [EvalRun] = []
        var diagnostics: [Diagnostic] = []
        for (i, item) in (value["runs"]?.arrayValue ?? []).enumerated() {
            guard case .object(let o) = item, let traceID = o["trace_id"]?.stringValue else {
                diagnostics.append(
                    Diagnostic(.error, at: SourceLocation(file: file, line: 0), "runs[\(i)] has no trace_id; skipped"))
                continue
            }
            var durationNanos: Int64? = nil
            if let ms = o["duration_ms"]?.numberValue {
                let (nanos, overflow) = (ms.int64 ?? Int64.max).multipliedReportingOverflow(by: 1_000_000)
                if overflow || nanos < 0 {
                    diagnostics.append(
                        Diagnostic(
                            .warning, at: SourceLocation(file: file, line: 0),
                            "runs[\(i)] duration_ms \(ms.text) is out of range; treated as not recorded")
                    )
                } else {
                    durationNanos = nanos
                }
            }
            var scores: [Score] = []
            for member in o["scores"]?.objectValue?.members ?? [] {
                if case .number(let n) = member.value {
                    scores.append(Score(name: member.key, value: n.double, text: n.text))
                }
            }
            runs.append(
                EvalRun(
                    traceID: traceID,
                    name: o["name"]?.stringValue ?? traceID,
                    status: o["status"]?.stringValue ?? "ok",
                    durationNanos: durationNanos,
                    scores: scores,
                    labels: o["labels"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    metadata: o["metadata"]?.objectValue ?? JSONObject(),
                    firstError: o["first_error"]?.stringValue,
                    page: o["page"]?.stringValue
                )
            )
            runs[runs.count - 1].tokens = tokens(o["tokens"])
            runs[runs.count - 1].cost = o["cost"]?.numberValue.map(\.double).flatMap {
                $0.isFinite && $0 >= 0 ? $0 : nil
            }
        }
        return (runs, diagnostics)
    }
}
