import Testing
import TraceModel

private func timed(_ id: String, parent: String? = nil, kind: SpanKind = .span, _ start: Int64?, _ end: Int64?) -> Span
{
    Span(
        traceID: "t", spanID: id, parentSpanID: parent, name: id, kind: kind, startTimeUnixNano: start,
        endTimeUnixNano: end)
}

private func path(_ spans: [Span]) -> (run: Run, path: CriticalPath, ids: [String], segments: [String]) {
    let run = RunAssembler().assemble(spans).runs[0]
    let path = CriticalPath(run: run)
    let ids = run.nodes.indices.filter { path.isCritical[$0] }.map { run.nodes[$0].span.spanID }
    let segments = path.segments.map { "\($0.node.map { run.nodes[$0].span.spanID } ?? "gap") \($0.start)-\($0.end)" }
    return (run, path, ids, segments)
}

@Suite("Critical path")
struct CriticalPathTests {
    @Test("parallel tool calls: only the last to finish before the answer is on the path")
    func parallelTools() {
        let (run, critical, ids, segments) = path([
            timed("root", kind: .agent, 0, 100),
            timed("plan", parent: "root", kind: .llm, 0, 10),
            timed("search A", parent: "root", kind: .tool, 10, 40),
            timed("search B", parent: "root", kind: .tool, 10, 60),
            timed("search C", parent: "root", kind: .tool, 12, 30),
            timed("answer", parent: "root", kind: .llm, 60, 90),
        ])
        // By hand: the root ends at 100 and waited on "answer" (ended 90), which started at 60;
        // the child that ended by 60 last is "search B" (10–60); before 10, "plan" (0–10).
        #expect(ids == ["root", "plan", "search B", "answer"])
        #expect(segments == ["plan 0-10", "search B 10-60", "answer 60-90", "root 90-100"])
        #expect(critical.nanos == 100)
        let byKind = critical.nanosByKind { run.nodes[$0].span.kind.rawValue }
        #expect(byKind.map(\.kind) == ["tool", "llm", "agent"])
        #expect(byKind.map(\.nanos) == [50, 40, 10])
    }

    @Test("a span's own time between the children it waited on is on the path")
    func selfTime() {
        let (_, _, ids, segments) = path([
            timed("root", 0, 100),
            timed("a", parent: "root", 10, 20),
            timed("b", parent: "root", 30, 50),
            timed("b1", parent: "b", 35, 40),
        ])
        #expect(ids == ["root", "a", "b", "b1"])
        #expect(segments == ["root 0-10", "a 10-20", "root 20-30", "b 30-35", "b1 35-40", "b 40-50", "root 50-100"])
    }

    @Test("an unfinished span runs to its parent's end")
    func unfinished() {
        let (_, _, ids, segments) = path([
            timed("root", 0, 100),
            timed("tool", parent: "root", 10, 30),
            timed("llm", parent: "root", 40, nil),
        ])
        #expect(ids == ["root", "tool", "llm"])
        #expect(segments == ["root 0-10", "tool 10-30", "root 30-40", "llm 40-100"])
    }

    @Test("a child that outlives its parent is followed; time no span covers is a gap")
    func skewAndGap() {
        // A publisher that returns at once; the consumer picks the message up after the
        // request finished.
        let (_, _, ids, segments) = path([
            timed("request", 0, 50),
            timed("publish", parent: "request", 10, 12),
            timed("consume", parent: "publish", 80, 90),
        ])
        #expect(ids == ["request", "publish", "consume"])
        #expect(segments == ["request 0-10", "publish 10-12", "request 12-50", "gap 50-80", "consume 80-90"])
    }

    @Test("spans without a start time are left out")
    func untimed() {
        let (_, critical, ids, _) = path([
            timed("root", 0, 10),
            timed("ghost", parent: "root", nil, nil),
        ])
        #expect(ids == ["root"])
        #expect(critical.nanos == 10)
    }

    @Test("a 100,000-deep chain is walked without recursion")
    func deepChain() {
        let n = 100_000
        var spans: [Span] = []
        spans.reserveCapacity(n)
        for i in 0..<n {
            spans.append(timed("s\(i)", parent: i == 0 ? nil : "s\(i - 1)", Int64(i), Int64(2 * n - i)))
        }
        let (run, critical, _, _) = path(spans)
        #expect(run.nodes.count == n)
        #expect(critical.isCritical.allSatisfy { $0 })
        #expect(critical.nanos == Int64(2 * n))
        // Each span has one stretch before its child and one after, the deepest one stretch.
        #expect(critical.segments.count == 2 * n - 1)
        #expect(critical.segments.first == CriticalPath.Segment(node: 0, start: 0, end: 1))
        #expect(critical.segments.last == CriticalPath.Segment(node: 0, start: Int64(2 * n - 1), end: Int64(2 * n)))
    }
}

@Suite("Critical path, edge cases")
struct CriticalPathEdgeTests {
    @Test("a span whose child covers all of it is on the path with no time of its own")
    func coveredParent() {
        let (run, critical, ids, segments) = path([
            timed("root", 0, 20),
            timed("wrapper", parent: "root", 5, 15),
            timed("work", parent: "wrapper", 5, 15),
        ])
        #expect(ids == ["root", "wrapper", "work"])
        #expect(segments == ["root 0-5", "work 5-15", "root 15-20"])
        #expect(critical.segments(of: 1).isEmpty)
        #expect(critical.segments(of: 0).map(\.nanos) == [5, 5])
        #expect(critical.nanosByNode() == [10, 0, 10])
        #expect(run.nodes.count == 3)
    }
}
