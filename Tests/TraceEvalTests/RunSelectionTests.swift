import Testing
import TraceEval
import TraceJSON
import TraceModel

private func run(
    _ id: String, name: String = "agent", status: String = "ok", seconds: Double? = 1, scores: [(String, Double)] = [],
    labels: [String] = [], metadata: [(String, JSONValue)] = [], error: String? = nil
) -> EvalRun {
    EvalRun(
        traceID: id,
        name: name,
        status: status,
        durationNanos: seconds.map { Int64($0 * 1e9) },
        scores: scores.map { Score(name: $0.0, value: $0.1, text: "\($0.1)") },
        labels: labels,
        metadata: JSONObject(metadata.map { (key: $0.0, value: $0.1) }),
        firstError: error
    )
}

@Suite("Run selection")
struct RunSelectionTests {
    let runs = [
        run(
            "a", name: "refund agent", status: "error", seconds: 45, scores: [("correctness", 0.2)],
            labels: ["stale policy retrieval"], metadata: [("release", .string("2025.06"))], error: "lookup: timeout"),
        run(
            "b", name: "refund agent", seconds: 12, scores: [("correctness", 0.9)],
            metadata: [("release", .string("2025.05"))]),
        run(
            "c", name: "search agent", seconds: nil, scores: [("correctness", 0.5)],
            metadata: [("release", .number(JSONNumber(text: "2025.06"))), ("tier", .string("pro"))]),
        run("d", name: "Search Agent", status: "unfinished", seconds: 31, labels: ["flaky", "stale policy retrieval"]),
    ]

    func selected(_ expressions: [String]) throws -> [String] {
        let filters = try expressions.map { try RunFilter(parsing: $0) }
        return RunSelection(filters: filters).select(runs).map { runs[$0].traceID }
    }

    @Test(
        "each field and operator selects the runs it names",
        arguments: [
            (["status=error"], ["a"]),
            (["status!=ok"], ["a", "d"]),
            (["label=stale policy retrieval"], ["a", "d"]),
            (["label!=flaky"], ["a", "b", "c"]),
            (["label~^fla"], ["d"]),
            (["score.correctness<0.5"], ["a"]),
            (["score.correctness>=0.5"], ["b", "c"]),
            (["score.correctness=0.5"], ["c"]),
            (["metadata.release=2025.06"], ["a", "c"]),
            (["release = 2025.05"], ["b"]),
            (["metadata.tier!=pro"], ["a", "b", "d"]),
            (["duration>30s"], ["a", "d"]),
            (["duration<=12000ms"], ["b"]),
            (["duration>0.5m"], ["a", "d"]),
            (["name~^refund"], ["a", "b"]),
            (["name~(?i)search"], ["c", "d"]),
            (["name!~agent$"], ["d"]),
            (["error~timeout"], ["a"]),
            (["trace_id=b"], ["b"]),
            (["status=error", "score.correctness<0.5"], ["a"]),
            (["status=ok", "duration>30s"], []),
        ])
    func filters(expressions: [String], expected: [String]) throws {
        #expect(try selected(expressions) == expected)
    }

    @Test(
        "bad expressions name what is wrong",
        arguments: [
            ("status", "expected FIELD OP VALUE"),
            ("=error", "no field before '='"),
            ("duration>soon", "not a duration such as 30s"),
            ("score.correctness<high", "'high' is not a number"),
            ("name~([", "not a regular expression"),
            ("status=broken", "status is ok, error or unfinished"),
            ("score.<1", "name the score"),
        ])
    func badExpressions(text: String, message: String) {
        #expect {
            _ = try RunFilter(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("a sample keeps every --keep run plus N others chosen by the trace id's hash, whatever the order")
    func sample() throws {
        var many: [EvalRun] = []
        for i in 0..<1000 { many.append(run("run-\(i)", status: i % 37 == 0 ? "error" : "ok")) }
        let selection = RunSelection(sample: 50, keep: [try RunFilter(parsing: "status=error")])
        let chosen = Set(selection.select(many).map { many[$0].traceID })
        let failed = Set(many.filter { $0.status == "error" }.map(\.traceID))
        #expect(failed.count == 28)
        #expect(failed.isSubset(of: chosen))
        #expect(chosen.count == failed.count + 50)
        let shuffled = Array(many.reversed())
        #expect(Set(selection.select(shuffled).map { shuffled[$0].traceID }) == chosen)
        // A larger sample contains a smaller one.
        let larger = Set(RunSelection(sample: 80).select(many).map { many[$0].traceID })
        let smaller = Set(RunSelection(sample: 40).select(many).map { many[$0].traceID })
        #expect(smaller.isSubset(of: larger))
        #expect(RunSelection(sample: 5000).select(many).count == 1000)
    }

    @Test("the hash is 64-bit FNV-1a of the UTF-8 bytes")
    func hash() {
        #expect(RunSelection.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(RunSelection.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(RunSelection.hash("foobar") == 0x8594_4171_f739_67e8)
    }
}
