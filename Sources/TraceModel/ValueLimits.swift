/// The ranges a span's numbers must lie in to be used in arithmetic, and the check that keeps
/// every later sum, difference and conversion from overflowing.
///
/// A value outside its range is reported as a warning naming the record's file and line and is
/// treated as not recorded; nothing else about the span changes.
package enum ValueLimits {
    /// The earliest time used: 1900-01-01T00:00:00Z, in nanoseconds since the Unix epoch.
    ///
    /// Times are 64-bit nanoseconds, which cover 1677…2262; the window is narrower (290 years)
    /// so that the difference of any two accepted times also fits.
    package static let earliestTime: Int64 = -2_208_988_800 * 1_000_000_000
    /// The latest time used: 2190-01-01T00:00:00Z, in nanoseconds since the Unix epoch.
    package static let latestTime: Int64 = 6_942_297_600 * 1_000_000_000
    /// The largest token count used for one span (10^15); larger or negative counts are not
    /// recorded, so sums over a million spans stay far from overflow.
    package static let maxTokens: Int64 = 1_000_000_000_000_000

    /// The largest cost in US dollars taken as plausible; larger ones are shown as given, with a
    /// warning.
    package static let maxCost: Double = 1e9
    /// The largest score magnitude taken as plausible; larger ones are shown as given, with a
    /// warning.
    package static let maxScore: Double = 1e12

    /// Whether `t` lies in the accepted time window.
    package static func isAcceptedTime(_ t: Int64) -> Bool {
        t >= earliestTime && t < latestTime
    }

    /// `span` with out-of-range times and token counts, and non-finite costs, removed, and a
    /// warning for each.
    package static func checked(_ span: Span) -> (span: Span, diagnostics: [Diagnostic]) {
        var s = span
        var diagnostics: [Diagnostic] = []
        func warn(_ what: String) {
            diagnostics.append(
                Diagnostic(.warning, at: span.source, "span \"\(span.spanID)\" of run \"\(span.traceID)\": \(what)")
            )
        }
        func time(_ t: Int64?, _ field: String) -> Int64? {
            guard let t else { return nil }
            guard isAcceptedTime(t) else {
                warn("\(field) \(Timestamp.formatUTC(t)) is outside 1900–2189; treated as not recorded")
                return nil
            }
            return t
        }
        s.startTimeUnixNano = time(span.startTimeUnixNano, "start time")
        s.endTimeUnixNano = time(span.endTimeUnixNano, "end time")
        if let start = s.startTimeUnixNano, let end = s.endTimeUnixNano, end < start {
            warn(
                "ends at \(Timestamp.formatUTC(end)), before it starts at \(Timestamp.formatUTC(start)); duration shown as 0"
            )
        }
        for i in s.events.indices {
            s.events[i].timeUnixNano = time(s.events[i].timeUnixNano, "time of event \"\(s.events[i].name)\"")
        }
        func tokens(_ v: Int64?, _ field: String) -> Int64? {
            guard let v else { return nil }
            guard v >= 0, v <= maxTokens else {
                warn("\(field) \(v) is outside 0…10^15; treated as not recorded")
                return nil
            }
            return v
        }
        s.usage.inputTokens = tokens(span.usage.inputTokens, "input tokens")
        s.usage.outputTokens = tokens(span.usage.outputTokens, "output tokens")
        s.usage.totalTokens = tokens(span.usage.totalTokens, "total tokens")
        if let cost = span.usage.cost {
            if !cost.isFinite {
                warn("cost \(cost) is not a finite number; treated as not recorded")
                s.usage.cost = nil
            } else if cost.magnitude > maxCost {
                warn("cost \(cost) is beyond ±$10^9; shown as given")
            }
        }
        for score in span.scores where !score.value.isFinite || score.value.magnitude > maxScore {
            warn(
                "score \"\(score.name)\" \(score.text) is \(score.value.isFinite ? "beyond ±10^12" : "not a finite number"); shown as given"
            )
        }
        return (s, diagnostics)
    }
}

extension Int64 {
    /// `self + other`, stopping at the bounds instead of trapping.
    @inlinable
    package func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, stopping at the bounds instead of trapping.
    @inlinable
    package func saturatingSubtract(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self * other`, stopping at the bounds instead of trapping.
    @inlinable
    package func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// `value` rounded to the nearest integer and clamped to `Int64`'s range; `nil` for NaN.
    @inlinable
    package static func clamping(_ value: Double) -> Int64? {
        guard !value.isNaN else { return nil }
        if value >= 9_223_372_036_854_775_807.0 { return .max }
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value.rounded())
    }
}

/// An id used as a key, compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality is canonical equivalence, so `"café"` written precomposed and
/// decomposed would be one key; ids from traces are opaque bytes and must stay apart.
package struct IDKey: Hashable, Sendable {
    /// The id.
    package let id: String

    /// A key for `id`.
    package init(_ id: String) { self.id = id }

    package static func == (a: IDKey, b: IDKey) -> Bool {
        a.id.utf8.elementsEqual(b.id.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        var id = id
        id.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(id.utf8.count)
    }

    /// Whether `a` sorts before `b` by bytes.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
