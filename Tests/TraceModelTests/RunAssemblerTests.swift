import Testing

@testable import TraceModel

func span(
    _ id: String, parent: String? = nil, start: Int64, end: Int64? = nil, trace: String = "t", line: Int = 0
) -> Span {
    Span(
        traceID: trace, spanID: id, parentSpanID: parent, name: id, startTimeUnixNano: start, endTimeUnixNano: end,
        source: SourceLocation(file: "f", line: line))
}

@Suite("Run assembly")
struct RunAssemblerTests {
    @Test("Spans group into runs by trace id, children in start order with ties by id")
    func grouping() {
        let spans = [
            span("c2", parent: "root", start: 5, end: 6),
            span("other", start: 0, end: 1, trace: "u"),
            span("root", start: 1, end: 10),
            span("c1b", parent: "root", start: 2, end: 3),
            span("c1a", parent: "root", start: 2, end: 3),
            span("g", parent: "c2", start: 5, end: 6),
        ]
        let (runs, diagnostics) = RunAssembler().assemble(spans)
        #expect(diagnostics.isEmpty)
        #expect(runs.map(\.traceID) == ["u", "t"])
        let t = runs[1]
        #expect(t.nodes.map(\.span.spanID) == ["root", "c1a", "c1b", "c2", "g"])
        #expect(t.nodes.map(\.depth) == [0, 1, 1, 1, 2])
        #expect(t.nodes.map(\.parent) == [nil, 0, 0, 0, 3])
        #expect(t.nodes.map(\.subtreeEnd) == [5, 2, 3, 5, 5])
        #expect(t.children(of: 0) == [1, 2, 3])
    }

    @Test("An orphan is shown under the root, marked, with a warning")
    func orphan() {
        let (runs, diagnostics) = RunAssembler().assemble([
            span("root", start: 0, end: 9), span("o", parent: "missing", start: 1, end: 2, line: 7),
        ])
        #expect(runs[0].nodes.map(\.span.spanID) == ["root", "o"])
        #expect(runs[0].nodes[1].parent == 0)
        #expect(runs[0].nodes[1].repairs == [.orphan(missingParentID: "missing")])
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].severity == .warning)
        #expect(diagnostics[0].location.line == 7)
    }

    @Test("Cycles and self-parents are broken, every span kept")
    func cycles() {
        let spans = [
            span("root", start: 0, end: 100),
            span("a", parent: "b", start: 10, end: 20),
            span("b", parent: "a", start: 11, end: 19),
            span("self", parent: "self", start: 30, end: 31),
        ]
        let (runs, diagnostics) = RunAssembler().assemble(spans)
        let nodes = runs[0].nodes
        #expect(Set(nodes.map(\.span.spanID)) == ["root", "a", "b", "self"])
        #expect(nodes.count == 4)
        #expect(nodes[0].span.spanID == "root")
        let a = nodes.first { $0.span.spanID == "a" }!
        #expect(a.repairs == [.cycleBroken(formerParentID: "b")])
        #expect(nodes[a.parent!].span.spanID == "root")
        let b = nodes.first { $0.span.spanID == "b" }!
        #expect(nodes[b.parent!].span.spanID == "a")
        #expect(nodes.first { $0.span.spanID == "self" }!.repairs == [.cycleBroken(formerParentID: "self")])
        #expect(diagnostics.count == 2)
    }

    @Test("A run made only of a cycle still shows every span")
    func pureCycle() {
        let (runs, _) = RunAssembler().assemble([
            span("a", parent: "b", start: 1, end: 2), span("b", parent: "a", start: 0, end: 3),
        ])
        #expect(runs[0].nodes.map(\.span.spanID) == ["b", "a"])
        #expect(runs[0].nodes.map(\.depth) == [0, 1])
    }

    @Test("Duplicate records merge; later non-null fields win")
    func duplicates() {
        var start = span("s", start: 0)
        start.input = .string("question")
        start.labels = ["x"]
        var end = span("s", start: 0, end: 50)
        end.output = .string("answer")
        end.labels = ["y"]
        end.usage = Usage(inputTokens: 3)
        let (runs, diagnostics) = RunAssembler().assemble([start, end])
        let merged = runs[0].nodes[0]
        #expect(runs[0].nodes.count == 1)
        #expect(merged.span.input == .string("question"))
        #expect(merged.span.output == .string("answer"))
        #expect(merged.span.endTimeUnixNano == 50)
        #expect(merged.span.labels == ["x", "y"])
        #expect(merged.span.usage.inputTokens == 3)
        #expect(merged.repairs == [.duplicateMerged(recordCount: 2)])
        #expect(diagnostics.count == 1)
    }

    @Test("A child outside its parent's time is kept as recorded and marked")
    func skew() {
        let (runs, diagnostics) = RunAssembler().assemble([
            span("root", start: 100, end: 200), span("early", parent: "root", start: 50, end: 150),
        ])
        #expect(runs[0].nodes[1].span.startTimeUnixNano == 50)
        #expect(runs[0].nodes[1].repairs == [.outsideParentTime])
        #expect(diagnostics.count == 1)
    }

    @Test("A 20,000-deep chain assembles without recursion")
    func deepChain() {
        let n = 20_000
        var spans: [Span] = []
        for i in (0..<n).reversed() {
            spans.append(span("s\(i)", parent: i == 0 ? nil : "s\(i - 1)", start: Int64(i), end: Int64(2 * n - i)))
        }
        let (runs, diagnostics) = RunAssembler().assemble(spans)
        #expect(diagnostics.isEmpty)
        #expect(runs[0].nodes.count == n)
        #expect(runs[0].nodes.last?.depth == n - 1)
        #expect(runs[0].nodes[0].subtreeEnd == n)
        let analyzed = RunAnalyzer().analyze(runs[0])
        #expect(analyzed.metrics[0].durationNanos == Int64(2 * n))
    }
}

@Suite("Run analysis")
struct RunAnalyzerTests {
    @Test("Self time, token and cost rollups, findings")
    func rollups() {
        var root = span("root", start: 0, end: 100)
        root.scores = [Score(name: "acc", value: 1)]
        var a = span("a", parent: "root", start: 10, end: 40)
        a.usage = Usage(inputTokens: 10, outputTokens: 5, cost: 0.5)
        var b = span("b", parent: "root", start: 30, end: 60)
        b.usage = Usage(totalTokens: 7, cost: 0.25)
        b.error = SpanError(message: "boom")
        var c = span("c", parent: "b", start: 35, end: 45)
        c.error = SpanError(message: "inner")
        c.scores = [Score(name: "judge", value: 0.2)]
        let (runs, _) = RunAssembler().assemble([root, a, b, c])
        let r = RunAnalyzer().analyze(runs[0])
        #expect(r.metrics[0].selfNanos == 50)  // 100 minus the union 10…60
        #expect(r.metrics[0].tokensSelf == 0)
        #expect(r.metrics[0].tokensTotal == 22)
        #expect(r.metrics[0].costTotal == 0.75)
        #expect(r.metrics[2].tokensTotal == 7)
        #expect(r.metrics[2].selfNanos == 20)
        #expect(r.errorCount == 2)
        #expect(r.status == .ok)
        #expect(r.firstErrorIndex == 2)
        #expect(r.mostExpensiveIndex == 1)
        #expect(r.slowestIndex == 1)
        #expect(r.durationNanos == 100)
        #expect(r.totalTokens == 22)
        #expect(r.scores.map(\.name) == ["acc", "judge"])
    }

    @Test("Root errors fail the run; a root without an end is unfinished")
    func status() {
        var failing = span("r", start: 0, end: 1)
        failing.error = SpanError(message: "x")
        #expect(RunAnalyzer().analyze(RunAssembler().assemble([failing]).runs[0]).status == .error)
        #expect(RunAnalyzer().analyze(RunAssembler().assemble([span("r", start: 0)]).runs[0]).status == .unfinished)
    }
}
