import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// What one SWE-agent corpus file must give.
struct SWEAgentCorpusCase: CustomTestStringConvertible, Sendable {
    var file: String
    /// Trajectory steps (or assistant actions in `history`).
    var steps: Int
    /// Model turns whose reply carries function calls.
    var toolCallingTurns: Int
    /// `info.model_stats`: tokens sent and received, when recorded (non-zero).
    var inputTokens: Int64?
    var outputTokens: Int64?
    /// The steps' `execution_time` summed, in nanoseconds (0 when not recorded).
    var runNanos: Int64
    var exitStatus: String?

    var testDescription: String { file }
}

@Suite("SWE-agent trajectories")
struct SWEAgentTests {
    static let corpusCases: [SWEAgentCorpusCase] = [
        .init(
            file: "sweagent-demo-ctf-networking_1.traj", steps: 4, toolCallingTurns: 0, inputTokens: nil,
            outputTokens: nil, runNanos: 0, exitStatus: "submitted"),
        .init(
            file: "sweagent-demo-function_calling_simple.traj", steps: 5, toolCallingTurns: 5, inputTokens: nil,
            outputTokens: nil, runNanos: 0, exitStatus: nil),
        .init(
            file: "sweagent-demo-marshmallow-1867-function-calling-replace.traj",
            steps: 11,
            toolCallingTurns: 11,
            inputTokens: nil,
            outputTokens: nil,
            runNanos: 3_999_127_082,
            exitStatus: "submitted"
        ),
        .init(
            file: "sweagent-test-gpt4-pydicom-1458-legacy.traj", steps: 12, toolCallingTurns: 0, inputTokens: 122_612,
            outputTokens: 1369, runNanos: 0, exitStatus: "submitted"),
    ]

    @Test("detection needs trajectory or history with SWE-agent fields")
    func detection() {
        let decoder = SWEAgentDecoder()
        func value(_ text: String) -> JSONValue { JSONStreamParser.parse(text).records[0].value }
        #expect(decoder.matches(value(#"{"trajectory":[],"info":{"model_stats":{}}}"#)))
        #expect(decoder.matches(value(#"{"history":[{"role":"system","content":"x","agent":"main"}]}"#)))
        #expect(!decoder.matches(value(#"{"history":[{"role":"user","content":"x"}]}"#)))
        #expect(!decoder.matches(value(#"{"info":{}}"#)))
    }

    @Test("an exit status naming an error ends the run with that error")
    func errorExit() throws {
        let text = #"""
            {"trajectory":[{"action":"ls","observation":"a b","response":"look","thought":"look","execution_time":1.5}],
             "history":[],"info":{"exit_status":"exit_error","model_stats":{"tokens_sent":10,"tokens_received":2,"instance_cost":0.01,"api_calls":1}}}
            """#
        let loaded = load(text: text)
        #expect(loaded.errors.isEmpty)
        let root = try #require(loaded.runs.first?.run.nodes.first?.span)
        #expect(root.error?.type == "exit_error")
        #expect(root.usage.cost == 0.01)
        #expect(root.endTimeUnixNano == 1_500_000_000)
        #expect(loaded.runs.first?.status == .error)
    }
}

extension SWEAgentTests {
    /// The same adapter over the real files in `../shared/corpus`; skipped when that folder is absent.
    @Suite("SWE-agent trajectories on ../shared/corpus", .corpus)
    struct OnCorpus {
        @Test(
            "each trajectory is one run: the agent span over a model turn and an action per step",
            arguments: corpusCases)
        func corpusFile(_ expected: SWEAgentCorpusCase) throws {
            let loaded = try load(corpus: "swe-agent/" + expected.file)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
            #expect(loaded.spanCount == 1 + 2 * expected.steps)
            #expect(loaded.runs.count == 1)
            #expect(loaded.rootCount == 1)
            #expect(loaded.maxDepth == 1)
            let run = try #require(loaded.runs.first?.run)
            #expect(run.traceID == String(expected.file.dropLast(".traj".count)))
            let root = try #require(run.nodes.first?.span)
            #expect(root.kind == .agent)
            #expect(root.usage.inputTokens == expected.inputTokens)
            #expect(root.usage.outputTokens == expected.outputTokens)
            #expect(root.labels == (expected.exitStatus.map { [$0] } ?? []))
            // Trajectories record no clock times: derived from execution_time, or none at all.
            if expected.runNanos > 0 {
                #expect(root.startTimeUnixNano == 0)
                #expect(root.endTimeUnixNano == expected.runNanos)
                #expect(root.timeSource == .derived)
                #expect(
                    run.nodes.dropFirst().allSatisfy {
                        $0.span.timeSource == ($0.span.kind == .tool ? .derived : .placeholder)
                    })
            } else {
                #expect(run.nodes.allSatisfy { $0.span.startTimeUnixNano == nil && $0.span.endTimeUnixNano == nil })
            }
            let timing = root.metadata["timing"]?.stringValue ?? ""
            #expect(timing.hasPrefix(expected.runNanos > 0 ? "derived from execution_time" : "not recorded"))

            // Model turn, then action, step after step.
            let children = run.nodes.dropFirst().map(\.span)
            #expect(
                children.map(\.kind) == Array(repeating: [SpanKind.llm, .tool], count: expected.steps).flatMap { $0 })
            let turns = children.filter { $0.kind == .llm }
            #expect(turns.allSatisfy { $0.output?["role"] == .string("assistant") })
            #expect(turns.filter { !$0.toolCalls.isEmpty }.count == expected.toolCallingTurns)
            // Every turn's input is the conversation so far: it starts with the system prompt.
            #expect(turns.allSatisfy { $0.messages.first?["role"] == .string("system") })
            let actions = children.filter { $0.kind == .tool }
            #expect(actions.allSatisfy { $0.output?.stringValue != nil && !$0.name.isEmpty })
        }

        @Test("legacy trajectories: model stats give the run's tokens and cost; history before each step is its input")
        func legacyRun() throws {
            let loaded = try load(corpus: "swe-agent/sweagent-test-gpt4-pydicom-1458-legacy.traj")
            let run = try #require(loaded.runs.first)
            let root = try #require(run.run.nodes.first?.span)
            #expect(root.usage.cost == 1.26719)
            #expect(run.totalTokens == 123_981)
            #expect(root.metadata["model_stats"]?["api_calls"] == .number(JSONNumber(12)))
            #expect(
                root.output?.stringValue?.hasPrefix("\ndiff --git a/pydicom/pixel_data_handlers/numpy_handler.py")
                    == true)
            #expect(root.input?.stringValue?.hasPrefix("We're currently solving the following issue") == true)
            let nodes = run.run.nodes.map(\.span)
            let firstTurn = nodes[1]
            // System prompt, the demonstration and the issue.
            #expect(firstTurn.messages.count == 4)
            #expect(firstTurn.messages.last?["role"] == .string("assistant"))
            #expect((firstTurn.output?["content"]?.stringValue ?? "").contains("create reproduce_bug.py"))
            let secondTurn = nodes[3]
            #expect(secondTurn.messages.count == 6)
            let firstAction = nodes[2]
            #expect(firstAction.name == "create reproduce_bug.py")
            #expect(firstAction.input == .string("create reproduce_bug.py\n"))
            #expect(
                firstAction.output?.stringValue?.hasPrefix("[File: /pydicom__pydicom/reproduce_bug.py (1 lines total)]")
                    == true)
            #expect(firstAction.metadata["state"]?["working_dir"] == .string("/pydicom__pydicom"))
            #expect(nodes.last?.name == "submit")
        }

        @Test("function-calling trajectories: tool arguments are parsed and actions last their execution time")
        func functionCalling() throws {
            let loaded = try load(corpus: "swe-agent/sweagent-demo-marshmallow-1867-function-calling-replace.traj")
            let run = try #require(loaded.runs.first)
            #expect(run.name == "marshmallow-code__marshmallow-1867")
            let nodes = run.run.nodes.map(\.span)
            #expect(nodes[0].model == "gpt-4o")
            let firstTurn = nodes[1]
            #expect(firstTurn.model == "gpt-4o")
            #expect(firstTurn.toolCalls.map(\.name) == ["create"])
            let create = nodes[2]
            #expect(create.input?["filename"] == .string("reproduce.py"))
            #expect(create.metadata["tool_call_id"] == .string("call_cyI71DYnRdoLHWwtZgIaW2wr"))
            #expect(create.metadata["action"] == .string("create reproduce.py"))
            #expect(create.startTimeUnixNano == 0)
            #expect(create.durationNanos == 238_733_730)
            // The second step starts when the first action ends.
            #expect(nodes[3].startTimeUnixNano == 238_733_730)
            #expect(nodes[4].startTimeUnixNano == 238_733_730)
            #expect(nodes[0].metadata["exit_status"] == .string("submitted"))
        }

        @Test("history-only files: steps come from assistant messages and the observations after them")
        func historyOnly() throws {
            let loaded = try load(corpus: "swe-agent/sweagent-demo-function_calling_simple.traj")
            let nodes = try #require(loaded.runs.first?.run.nodes.map(\.span))
            #expect(nodes[0].input?.stringValue?.hasPrefix("We're currently solving the following issue") == true)
            let find = nodes[2]
            #expect(find.kind == .tool)
            #expect(find.input?["file_name"] == .string("missing_colon.py"))
            #expect(find.output?.stringValue?.hasPrefix("Found 1 matches for \"missing_colon.py\"") == true)
            let names: [String] = nodes.filter { $0.kind == .tool }.map(\.name)
            let edit = "edit 'def division(a: float, b: float) -> float' 'def division(a: float, b: flo…"
            let expected: [String] = [
                "find_file missing_colon.py", "open \"tests/missing_colon.py\"", edit, "python tests/missing_colon.py",
                "submit",
            ]
            #expect(names == expected)
        }
    }
}
