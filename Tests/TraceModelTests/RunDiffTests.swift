import Testing
import TraceJSON
import TraceModel

/// A span of a hand-built run: `id` is its name unless `name` is given; times in milliseconds.
private func span(
    _ id: String, parent: String? = nil, name: String? = nil, _ start: Int64, _ end: Int64?,
    input: String? = nil, output: String? = nil, model: String? = nil, tokens: Int64? = nil, error: String? = nil
) -> Span {
    Span(
        traceID: "t", spanID: id, parentSpanID: parent, name: name ?? id, startTimeUnixNano: start * 1_000_000,
        endTimeUnixNano: end.map { $0 * 1_000_000 }, input: input.map { .string($0) },
        output: output.map { .string($0) }, error: error.map { SpanError(type: "Error", message: $0) }, model: model,
        usage: Usage(totalTokens: tokens))
}

private func analyzed(_ spans: [Span]) -> AnalyzedRun {
    RunAnalyzer().analyze(RunAssembler().assemble(spans).runs[0])
}

/// Each row as `change old-id/new-id`, with `+position` etc. for changed fields.
private func describe(_ diff: RunDiff, _ old: AnalyzedRun, _ new: AnalyzedRun) -> [String] {
    diff.rows.map { row in
        let o = row.old.map { old.run.nodes[$0].span.spanID } ?? "-"
        let n = row.new.map { new.run.nodes[$0].span.spanID } ?? "-"
        let fields = row.fields.map { "+" + $0.rawValue }.joined()
        return String(repeating: "  ", count: row.depth) + "\(row.change.rawValue) \(o)/\(n)\(fields)"
    }
}

@Suite("Run diff")
struct RunDiffTests {
    let base = [
        span("root", 0, 100, input: "q", output: "answer A"),
        span("plan", parent: "root", 0, 10, output: "plan"),
        span("search", parent: "root", 10, 40, input: "q", output: "doc 1"),
        span("answer", parent: "root", 40, 90, input: "doc 1", output: "answer A", model: "m1", tokens: 50),
    ]

    @Test("identical runs: every row is the same and nothing is pointed out")
    func identical() {
        let old = analyzed(base)
        let new = analyzed(base)
        let diff = RunDiff(old: old, new: new)
        #expect(
            describe(diff, old, new) == [
                "same root/root", "  same plan/plan", "  same search/search", "  same answer/answer",
            ])
        #expect(!diff.finalOutcomeChanged)
        #expect(diff.firstDifference == nil)
    }

    @Test("an inserted span is added where it ran, a missing one removed where it was")
    func insertionsAndRemovals() {
        let old = analyzed(base)
        let new = analyzed([
            span("root", 0, 100, input: "q", output: "answer A"),
            span("search", parent: "root", 10, 40, input: "q", output: "doc 1"),
            span("rerank", parent: "root", 41, 45, input: "doc 1", output: "doc 1"),
            span("rr-llm", parent: "rerank", 42, 44),
            span("answer", parent: "root", 46, 90, input: "doc 1", output: "answer A", model: "m1", tokens: 50),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(
            describe(diff, old, new) == [
                "same root/root", "  removed plan/-", "  same search/search", "  added -/rerank",
                "    added -/rr-llm", "  same answer/answer",
            ])
        #expect(diff.counts == (same: 3, changed: 0, added: 2, removed: 1))
        // The final output is the same: no first difference.
        #expect(diff.firstDifference == nil)
    }

    @Test("spans that changed order are aligned as moved")
    func moves() {
        let old = analyzed([
            span("root", 0, 100),
            span("a", parent: "root", 0, 10, output: "A"),
            span("b", parent: "root", 10, 20, output: "B"),
            span("c", parent: "root", 20, 30, output: "C"),
            span("c1", parent: "c", 21, 22),
        ])
        let new = analyzed([
            span("root", 0, 100),
            span("c", parent: "root", 0, 10, output: "C"),
            span("c1", parent: "c", 1, 2),
            span("a", parent: "root", 10, 20, output: "A"),
            span("b", parent: "root", 20, 30, output: "B2"),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(
            describe(diff, old, new) == [
                "same root/root", "  changed c/c+position", "    same c1/c1", "  same a/a", "  changed b/b+output",
            ])
        #expect(diff.rows[1].moved)
        #expect(!diff.rows[4].moved)
    }

    @Test("repeated names align in order and the extra one is added")
    func repeatedNames() {
        let old = analyzed([
            span("root", 0, 100),
            span("l1", parent: "root", name: "llm", 0, 10),
            span("t1", parent: "root", name: "tool", 10, 20),
            span("l2", parent: "root", name: "llm", 20, 30),
        ])
        let new = analyzed([
            span("root", 0, 100),
            span("L1", parent: "root", name: "llm", 0, 10),
            span("T1", parent: "root", name: "tool", 10, 20),
            span("L2", parent: "root", name: "llm", 20, 30),
            span("T2", parent: "root", name: "tool", 30, 40),
            span("L3", parent: "root", name: "llm", 40, 50),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(
            describe(diff, old, new) == [
                "same root/root", "  same l1/L1", "  same t1/T1", "  same l2/L2", "  added -/T2", "  added -/L3",
            ])
    }

    @Test("a changed output gets a line diff; model, tokens and status changes are listed")
    func changedFields() {
        let old = analyzed([
            span("root", 0, 100, output: "line 1\nline 2\nline 3"),
            span("llm", parent: "root", 0, 50, input: "p", output: "x", model: "m1", tokens: 10),
        ])
        let new = analyzed([
            span("root", 0, 100, output: "line 1\nline two\nline 3"),
            span("llm", parent: "root", 0, 51, input: "p", output: "x", model: "m2", tokens: 12, error: "boom"),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(describe(diff, old, new) == ["changed root/root+output", "  changed llm/llm+model+status+tokens"])
        let lines = diff.rows[0].output?.lines.map { "\($0.change.rawValue) \($0.text)" }
        #expect(lines == ["same line 1", "removed line 2", "added line two", "same line 3"])
        // 1 ms of 51 is timing noise, not a change.
        #expect(!diff.rows[1].fields.contains(.duration))
        #expect(RunDiff.durationChanged(40_000_000, 80_000_000))
    }

    @Test("the first difference is the earliest span whose output changed, not the parents it fed")
    func firstDifferenceIsTheSource() {
        let old = analyzed(base)
        let new = analyzed([
            span("root", 0, 100, input: "q", output: "answer B"),
            span("plan", parent: "root", 0, 10, output: "plan"),
            span("search", parent: "root", 10, 40, input: "q", output: "doc 2"),
            span("answer", parent: "root", 40, 90, input: "doc 2", output: "answer B", model: "m1", tokens: 50),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(diff.finalOutcomeChanged)
        let first = try! #require(diff.firstDifference)
        #expect(new.run.nodes[diff.rows[first].new!].span.spanID == "search")
        #expect(diff.rows[first].fields == [.output])
        #expect(diff.finalOutput.lines.map(\.text) == ["answer A", "answer B"])
    }

    @Test("a changed run input points at the root; without a root output the last output decides")
    func firstDifferenceBounds() {
        // The run's own input changed: everything after follows from it.
        let old = analyzed(base)
        var changedInput = base
        changedInput[0].input = .string("other q")
        changedInput[0].output = .string("answer C")
        let new = analyzed(changedInput)
        let diff = RunDiff(old: old, new: new)
        #expect(diff.firstDifference == 0)

        // No root output: the final output is the last span's; a change after it does not count,
        // and an input change before it does.
        let a = analyzed([
            span("root", 0, 100),
            span("prep", parent: "root", 0, 10, input: "x", output: "same"),
            span("final", parent: "root", 10, 50, input: "ctx 1", output: "result 1"),
            span("log", parent: "root", 50, 60, input: "note 1"),
        ])
        let b = analyzed([
            span("root", 0, 100),
            span("prep", parent: "root", 0, 10, input: "x", output: "same"),
            span("final", parent: "root", 10, 50, input: "ctx 2", output: "result 2"),
            span("log", parent: "root", 50, 60, input: "note 2"),
        ])
        let later = RunDiff(old: a, new: b)
        #expect(RunDiff.finalOutputNode(b.run) == 2)
        #expect(later.firstDifference.map { b.run.nodes[later.rows[$0].new!].span.spanID } == "final")
    }

    @Test("a run that now fails differs even with the same output; an added span before it is the cause")
    func statusAndAddedCause() {
        let old = analyzed([
            span("root", 0, 100, output: "done"),
            span("tool", parent: "root", 10, 20, output: "ok"),
        ])
        let new = analyzed([
            span("root", 0, 100, output: "done", error: "failed"),
            span("retry", parent: "root", 5, 8),
            span("tool", parent: "root", 10, 20, output: "ok"),
        ])
        let diff = RunDiff(old: old, new: new)
        #expect(diff.finalOutcomeChanged)
        #expect(diff.firstDifference.map { diff.rows[$0].change } == .added)
    }

    @Test("different roots are still aligned, and deep chains need no recursion")
    func rootsAndDepth() {
        var chainA = [span("top", 0, 10_000)]
        var chainB = [span("top2", name: "renamed", 0, 10_000)]
        for i in 1..<5_000 {
            chainA.append(span("a\(i)", parent: i == 1 ? "top" : "a\(i - 1)", name: "step", Int64(i), 10_000))
            chainB.append(
                span(
                    "b\(i)", parent: i == 1 ? "top2" : "b\(i - 1)", name: "step", Int64(i), 10_000,
                    output: i == 4_000 ? "new" : nil))
        }
        let old = analyzed(chainA)
        let new = analyzed(chainB)
        let diff = RunDiff(old: old, new: new)
        #expect(diff.rows.count == 5_000)
        #expect(diff.rows[0].change == .same)
        #expect(diff.rows[4_000].fields == [.output])
        #expect(diff.rows[4_999].depth == 4_999)
    }

    @Test("sibling lists too long to compare in full align by name, and crossing pairs are moved")
    func longSiblingLists() {
        let count = 2_100
        var a = [span("root", 0, 10_000)]
        var b = [span("root", 0, 10_000)]
        for i in 0..<count {
            a.append(span("a\(i)", parent: "root", name: "s\(i)", Int64(i + 1), Int64(i + 2)))
            // The first and the last swap places.
            let k = i == 0 ? count - 1 : i == count - 1 ? 0 : i
            b.append(span("b\(i)", parent: "root", name: "s\(k)", Int64(i + 1), Int64(i + 2)))
        }
        let old = analyzed(a)
        let new = analyzed(b)
        let diff = RunDiff(old: old, new: new)
        #expect(diff.rows.count == count + 1)
        #expect(diff.rows[1].moved && diff.rows[count].moved)
        #expect(diff.rows[2..<count].allSatisfy { $0.change == .same })
        #expect(old.run.nodes[diff.rows[1].old!].span.name == "s\(count - 1)")
    }

    @Test("text of structured values: one line per member, multi-line strings as blocks")
    func diffText() {
        let value = JSONValue.object(
            JSONObject([
                ("role", .string("assistant")),
                ("content", .string("a\nb")),
                ("n", .number(JSONNumber(text: "2"))),
                ("s", .string("2")),
                ("items", .array([.string("x"), .object(JSONObject([("k", .null)]))])),
            ]))
        #expect(
            DiffText.text(value) == """
                role: assistant
                content: |
                  a
                  b
                n: 2
                s: "2"
                items:
                  - x
                  -
                    k: null
                """)
        #expect(DiffText.text(.string("plain\ntext")) == "plain\ntext")
        #expect(DiffText.text(nil) == "")
    }

    @Test("line diffs of large texts stay bounded and correct")
    func largeTextDiff() {
        let old = (0..<3_000).map { "line \($0)" }.joined(separator: "\n")
        let new = (0..<3_000).map { $0 % 2 == 0 ? "line \($0)" : "row \($0)" }.joined(separator: "\n")
        let diff = TextDiff(old: old, new: new)
        #expect(diff.isCoarse)
        #expect(diff.removedCount == 2_999 && diff.addedCount == 2_999)
        #expect(diff.lines.first == TextDiff.Line(.same, "line 0"))
        let small = TextDiff(old: "a\nb\nc\nd", new: "a\nc\nd\ne")
        #expect(
            small.lines.map { "\($0.change.rawValue) \($0.text)" } == [
                "same a", "removed b", "same c", "same d", "added e",
            ])
        #expect(!small.isCoarse)
    }
}
