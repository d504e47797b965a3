import Testing
import TraceEval
import TraceModel

@Suite("Failure signatures")
struct FailureGroupsTests {
    @Test(
        "varying parts of messages are masked",
        arguments: [
            (
                "request to https://api.example.com/v1/search?q=boots&page=2 timed out after 30.5 s",
                "request to <url> timed out after <n> s"
            ),
            ("no order 'A-99172' for customer \"C-20931\"", "no order <str> for customer <str>"),
            ("can't open /var/data/job-1234/out.json", "can't open <path>"),
            ("user jane.doe+test@example.co.uk not found", "user <email> not found"),
            ("trace 4bf92f3577b34da6a3ce929d0e0e4736 and 0xdeadBEEF failed", "trace <id> and <id> failed"),
            ("request req_8f3kd93Q failed with 503 after 3 retries", "request <id> failed with <n> after <n> retries"),
            ("id 550e8400-e29b-41d4-a716-446655440000: HTTP 5xx, v2", "id <id>: HTTP <n>xx, v<n>"),
            ("Rate limit: Limit 30000, Used 29876.\nTraceback ...", "Rate limit: Limit <n>, Used <n>."),
            ("file C:\\Users\\ann\\notes.txt is locked", "file <path> is locked"),
        ])
    func masking(message: String, expected: String) {
        #expect(FailureGroups.mask(message) == expected)
    }

    @Test("the failing span is the deepest error down the last-failing branch")
    func failingSpan() {
        let spans = [
            Span(
                traceID: "t", spanID: "root", name: "agent", kind: .agent, startTimeUnixNano: 0, endTimeUnixNano: 100,
                error: SpanError(type: "AgentError", message: "step failed")),
            Span(
                traceID: "t", spanID: "retry", parentSpanID: "root", name: "search", kind: .tool, startTimeUnixNano: 10,
                endTimeUnixNano: 20, error: SpanError(type: "TimeoutError", message: "handled, retried")),
            Span(
                traceID: "t", spanID: "step", parentSpanID: "root", name: "step", kind: .task, startTimeUnixNano: 30,
                endTimeUnixNano: 90),
            Span(
                traceID: "t", spanID: "db", parentSpanID: "step", name: "query", kind: .tool, startTimeUnixNano: 40,
                endTimeUnixNano: 80, error: SpanError(type: "DBError", message: "deadlock on row 1234")),
        ]
        let run = RunAnalyzer().analyze(RunAssembler().assemble(spans).runs[0])
        let eval = EvalReport(runs: [EvalRun(run)])
        #expect(FailureGroups.failingSpan(of: run).map { run.run.nodes[$0].span.spanID } == "db")
        #expect(FailureGroups.signature(of: run, eval: eval) == "tool query · DBError: deadlock on row <n>")
    }
}
