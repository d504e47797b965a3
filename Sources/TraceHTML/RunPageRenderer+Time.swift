import TraceModel

/// Times as a run page shows them: recorded times as clock times and durations, derived times
/// as durations labelled derived, and times that were not recorded as "not recorded" (never as
/// zero or as the Unix epoch). Spans without times are drawn in the waterfall by their order.
extension RunPageRenderer {
    /// The words for a value the input does not hold.
    static let notRecorded = "not recorded"

    /// Whether every span's times were read from the input, so clock times may be shown.
    static func clockTimesRecorded(_ run: AnalyzedRun) -> Bool {
        run.run.nodes.allSatisfy { $0.span.timeSource == .recorded }
    }

    /// Whether any span's times were derived from other values.
    static func hasDerivedTimes(_ run: AnalyzedRun) -> Bool {
        run.run.nodes.contains { $0.span.timeSource == .derived }
    }

    /// The run's start as a UTC date-time, or "not recorded".
    static func startText(_ run: AnalyzedRun) -> String {
        guard clockTimesRecorded(run), let start = run.startTimeUnixNano else { return notRecorded }
        return Timestamp.formatUTC(start)
    }

    /// The run's duration; derived durations say so.
    static func durationText(_ run: AnalyzedRun) -> String {
        guard let root = run.run.root, root.timeSource != .placeholder, let d = run.durationNanos, d > 0 else {
            return notRecorded
        }
        return root.timeSource == .derived || hasDerivedTimes(run)
            ? Formatting.duration(d) + " (derived)" : Formatting.duration(d)
    }

    /// The duration of node `i` for its detail facts, or "not recorded".
    func spanDurationText(_ i: Int) -> String {
        let span = run.run.nodes[i].span
        guard span.timeSource != .placeholder, let d = run.metrics[i].durationNanos else {
            return span.startTimeUnixNano != nil && span.endTimeUnixNano == nil && span.timeSource == .recorded
                ? "unfinished" : Self.notRecorded
        }
        // Formats write a point event's end as its start: the input holds no duration.
        if d == 0 { return "not recorded (starts and ends at the same instant)" }
        return span.timeSource == .derived
            ? Formatting.duration(d) + " (derived, not recorded)" : Formatting.duration(d)
    }

    /// The duration cell of a tree row.
    func durationCell(_ i: Int, into out: inout HTMLBuffer) {
        let span = run.run.nodes[i].span
        switch span.timeSource {
        case .placeholder:
            out.raw("<span class=\"unknown\" title=\"duration not recorded\">–</span>")
        case .derived:
            if let d = run.metrics[i].durationNanos, d > 0 {
                out.raw("<span class=\"derived\" title=\"derived from other recorded values, not a recorded time\">≈")
                out.text(Formatting.duration(d))
                out.raw("</span>")
            }
        case .recorded:
            if run.metrics[i].durationNanos == 0 {
                out.raw(
                    "<span class=\"unknown\" title=\"starts and ends at the same instant: no duration recorded\">–</span>"
                )
            } else if let d = run.metrics[i].durationNanos {
                out.text(Formatting.duration(d))
            } else if span.startTimeUnixNano != nil {
                out.raw("running")
            } else {
                out.raw("<span class=\"unknown\" title=\"times not recorded\">–</span>")
            }
        }
    }

    /// A waterfall mark for a span whose times are not recorded: a hatched slot at its place in
    /// the tree's order, so the sequence still reads left to right.
    func orderBar(_ i: Int, into out: inout HTMLBuffer) {
        let n = Int64(max(1, run.run.nodes.count))
        let span = run.run.nodes[i].span
        out.raw("<span class=\"bar bar-order k-")
        out.raw(span.kind.rawValue)
        if span.error != nil { out.raw(" bar-error") }
        out.raw("\" title=\"time not recorded: drawn in order\" style=\"left:")
        out.raw(Self.percent(Int64(i), of: n))
        out.raw("%;width:")
        out.raw(Self.percent(1, of: n))
        out.raw("%\"></span>")
    }

    /// A note on the time axis when times are derived or missing.
    func axisNote(into out: inout HTMLBuffer) {
        if run.startTimeUnixNano == nil {
            out.raw("<span class=\"axis-note\">no times recorded: spans drawn in order</span>")
        } else if Self.hasDerivedTimes(run) {
            out.raw("<span class=\"axis-note\">derived times, not recorded</span>")
        }
    }
}
