import Testing
import TraceJSON

@testable import TraceModel

@Suite("Merging stays linear and keeps every value")
struct BoundedMergeTests {
    static let n = 40_000

    @Test("One span recorded twice with 40,000 metadata keys, scores, labels and events merges by key")
    func mergeLargeRecords() {
        let metadata = JSONObject((0..<Self.n).map { ("k\($0)", .number(JSONNumber($0))) })
        let later = JSONObject((0..<Self.n).map { ("k\($0 + Self.n / 2)", .string("later")) })
        let first = Span(
            traceID: "t", spanID: "a", name: "a",
            scores: (0..<Self.n).map { Score(name: "s\($0)", value: 0) },
            labels: (0..<Self.n).map { "l\($0)" },
            metadata: metadata,
            events: (0..<Self.n).map { SpanEvent(name: "e\($0)", timeUnixNano: Int64($0)) }
        )
        let second = Span(
            traceID: "t", spanID: "a", name: "a",
            scores: (0..<Self.n).map { Score(name: "s\($0 + Self.n / 2)", value: 1) },
            labels: (0..<Self.n).map { "l\($0 + Self.n / 2)" },
            metadata: later,
            events: (0..<Self.n).map { SpanEvent(name: "e\($0 + Self.n / 2)", timeUnixNano: Int64($0 + Self.n / 2)) }
        )
        let merged = RunAssembler.merge(first, with: second)
        let total = Self.n + Self.n / 2
        #expect(merged.metadata.count == total)
        #expect(merged.metadata["k0"] == .number(JSONNumber(0)))
        #expect(merged.metadata["k\(Self.n - 1)"] == .string("later"), "the later value wins")
        #expect(merged.metadata.members.map(\.key).prefix(3) == ["k0", "k1", "k2"], "written order is kept")
        #expect(merged.scores.count == total)
        #expect(merged.scores[Self.n / 2].value == 1)
        #expect(merged.scores[0].value == 0)
        #expect(merged.labels.count == total)
        #expect(merged.events.count == total)
    }

    @Test("Keys are compared as bytes: precomposed and decomposed keys stay apart")
    func keysAsBytes() {
        let a = Span(
            traceID: "t", spanID: "a", name: "a", scores: [Score(name: "caf\u{E9}", value: 0)], labels: ["caf\u{E9}"],
            metadata: JSONObject([("caf\u{E9}", .null)]))
        let b = Span(
            traceID: "t", spanID: "a", name: "a", scores: [Score(name: "cafe\u{301}", value: 1)],
            labels: ["cafe\u{301}"], metadata: JSONObject([("cafe\u{301}", .null)]))
        let merged = RunAssembler.merge(a, with: b)
        #expect(merged.scores.count == 2)
        #expect(merged.labels.count == 2)
        #expect(merged.metadata.count == 2)
    }

    @Test("Ranges: times outside 1900–2189, token counts outside 0…10^15 and non-finite costs are not recorded")
    func valueLimits() {
        let span = Span(
            traceID: "t", spanID: "a", name: "a",
            startTimeUnixNano: Int64.min, endTimeUnixNano: 1_700_000_000_000_000_000,
            usage: Usage(inputTokens: -1, outputTokens: 5, totalTokens: Int64.max, cost: .infinity),
            events: [SpanEvent(name: "e", timeUnixNano: Int64.max)],
            source: SourceLocation(file: "f.jsonl", line: 7)
        )
        let (checked, diagnostics) = ValueLimits.checked(span)
        #expect(checked.startTimeUnixNano == nil)
        #expect(checked.endTimeUnixNano == 1_700_000_000_000_000_000)
        #expect(checked.events[0].timeUnixNano == nil)
        #expect(checked.usage == Usage(outputTokens: 5))
        #expect(diagnostics.count == 5)
        #expect(
            diagnostics.allSatisfy {
                $0.location == SourceLocation(file: "f.jsonl", line: 7) && $0.severity == .warning
            })
        #expect(Int64.max.saturatingAdd(1) == .max)
        #expect(Int64.min.saturatingSubtract(1) == .min)
        #expect(Int64.clamping(1e300) == .max)
        #expect(Int64.clamping(.nan) == nil)
    }
}
