import TraceJSON
import TraceModel

/// The steps of one SWE-agent trajectory and the reader that turns them into spans.
extension SWEAgentDecoder {
    /// One step of the agent: the model's turn and the action it chose.
    struct Step {
        var response: String?
        var thought: String?
        var action: String?
        var observation: JSONValue?
        var executionTime: Int64?
        var executionText: JSONValue?
        var state: JSONValue?
        /// The model's input recorded with the step (`query` or the older `messages`).
        var query: [JSONValue]?
        /// The index of the step's assistant message in `history`.
        var historyIndex: Int?
        var extra = JSONObject()
    }

    /// Builds the spans of one trajectory.
    struct Reader {
        let object: JSONObject
        let traceID: String
        let location: SourceLocation
        let formatName: String
        var spans: [Span] = []
        var diagnostics: [Diagnostic] = []
        var runName: String?

        init(object: JSONObject, traceID: String, location: SourceLocation, formatName: String) {
            self.object = object
            self.traceID = traceID
            self.location = location
            self.formatName = formatName
        }

        mutating func read() {
            let history = object["history"]?.arrayValue ?? []
            if object["history"] != nil, object["history"]?.arrayValue == nil {
                diagnostics.append(Diagnostic(.warning, at: location, "\"history\" is not an array; ignored"))
            }
            var replay = object["replay_config"]
            if case .string(let text)? = replay { replay = Self.parsed(text) }
            let model = replay?["agent"]?["model"]?["name"]?.stringValue
            let instance = replay?["problem_statement"]?["id"]?.stringValue
            runName = instance

            var steps: [Step] = []
            if case .array(let items)? = object["trajectory"], !items.isEmpty {
                steps = trajectorySteps(items, history: history)
            } else {
                if object["trajectory"] != nil, object["trajectory"]?.arrayValue == nil {
                    diagnostics.append(
                        Diagnostic(
                            .warning, at: location, "\"trajectory\" is not an array; steps read from \"history\""))
                }
                steps = historySteps(history)
            }

            // Messages are normalized once; each model turn's input is a prefix of them.
            let messages = history.map(Self.message)

            // The deterministic timeline.
            let timed = !steps.isEmpty && steps.allSatisfy { $0.executionTime != nil }
            let width = max(3, String(steps.count).count)
            var cursor: Int64 = 0
            let rootID = "trajectory"
            var children: [Span] = []
            for (i, step) in steps.enumerated() {
                let number = String(i + 1)
                let label = String(repeating: "0", count: max(0, width - number.count)) + number
                let assistant = step.historyIndex.flatMap { history[$0].objectValue }

                // The model's turn.
                var input: JSONValue? = nil
                if let query = step.query {
                    input = .object(JSONObject([("messages", .array(query.map(Self.message)))]))
                } else if let h = step.historyIndex {
                    input = .object(JSONObject([("messages", .array(Array(messages[0..<h])))]))
                }
                var output = JSONObject([("role", .string("assistant"))])
                let content = step.response ?? step.thought ?? assistant?["content"]?.stringValue ?? ""
                output.members.append(("content", .string(content)))
                let toolCalls = Self.toolCalls(assistant?["tool_calls"])
                if !toolCalls.isEmpty { output.members.append(("tool_calls", .array(toolCalls))) }
                var llmMetadata = JSONObject()
                if let thought = step.thought, thought != content, !content.contains(thought) {
                    llmMetadata.members.append(("thought", .string(thought)))
                }
                children.append(
                    Span(
                        traceID: traceID,
                        spanID: "step-\(label)-model",
                        parentSpanID: rootID,
                        name: "step \(i + 1)",
                        kind: .llm,
                        startTimeUnixNano: timed ? cursor : nil,
                        endTimeUnixNano: timed ? cursor : nil,
                        input: input,
                        output: .object(output),
                        model: model,
                        metadata: llmMetadata,
                        source: location,
                        sourceFormat: formatName
                    )
                )

                // The action.
                var actionInput: JSONValue = .string(step.action ?? "")
                var actionName = Self.firstLine(step.action ?? "")
                var toolMetadata = JSONObject()
                if toolCalls.count == 1, let function = toolCalls[0]["function"] {
                    if let arguments = function["arguments"] {
                        if case .string(let text) = arguments, let parsed = Self.parsed(text) {
                            actionInput = parsed
                        } else if arguments.objectValue != nil {
                            actionInput = arguments
                        }
                        if let action = step.action { toolMetadata.members.append(("action", .string(action))) }
                    }
                    if actionName.isEmpty, let name = function["name"]?.stringValue { actionName = name }
                    if let id = toolCalls[0]["id"] { toolMetadata.members.append(("tool_call_id", id)) }
                }
                if let t = step.executionText { toolMetadata.members.append(("execution_time", t)) }
                if let state = step.state {
                    if case .string(let text) = state, let parsed = Self.parsed(text) {
                        toolMetadata.members.append(("state", parsed))
                    } else {
                        toolMetadata.members.append(("state", state))
                    }
                }
                toolMetadata.members.append(contentsOf: step.extra.members)
                let duration = step.executionTime ?? 0
                let stepEnd = FieldReader.end(start: cursor, duration: duration) ?? cursor
                children.append(
                    Span(
                        traceID: traceID,
                        spanID: "step-\(label)-tool",
                        parentSpanID: rootID,
                        name: actionName.isEmpty ? "action" : actionName,
                        kind: .tool,
                        startTimeUnixNano: timed ? cursor : nil,
                        endTimeUnixNano: timed ? stepEnd : nil,
                        input: actionInput,
                        output: step.observation,
                        metadata: toolMetadata,
                        source: location,
                        sourceFormat: formatName
                    )
                )
                cursor = stepEnd
            }

            // The root.
            let info = object["info"]?.objectValue ?? JSONObject()
            var metadata = JSONObject()
            metadata.members.append(
                (
                    "timing",
                    .string(
                        timed
                            ? "derived from execution_time: steps placed back to back from 0; model turns have no recorded duration"
                            : "not recorded: steps are shown in order, without durations"
                    )
                )
            )
            if let environment = object["environment"] { metadata.members.append(("environment", environment)) }
            for member in info.members where member.key != "submission" {
                metadata.members.append(member)
            }
            if let replay { metadata.members.append(("replay_config", replay)) }
            var usage = Usage()
            if case .object(let stats)? = info["model_stats"] {
                // Replays and demonstrations record zeros: a model call always sends tokens.
                let sent = stats["tokens_sent"]?.numberValue?.int64.flatMap { $0 > 0 ? $0 : nil }
                let received = stats["tokens_received"]?.numberValue?.int64.flatMap { $0 > 0 ? $0 : nil }
                let cost = (stats["instance_cost"] ?? stats["total_cost"])?.numberValue?.double
                usage = Usage(
                    inputTokens: sent, outputTokens: received,
                    cost: sent == nil && received == nil && cost == 0 ? nil : cost)
            }
            var labels: [String] = []
            var error: SpanError? = nil
            if let status = info["exit_status"]?.stringValue, !status.isEmpty {
                labels.append(status)
                if status.lowercased().contains("error") {
                    let message =
                        (info["error"] ?? info["exception"])?.stringValue ?? "the agent exited with status \(status)"
                    error = SpanError(type: status, message: message, stack: info["traceback"]?.stringValue)
                }
            }
            var rootInput: JSONValue? = nil
            if let text = replay?["problem_statement"]?["text"]?.stringValue {
                rootInput = .string(text)
            } else if let task = history.first(where: {
                $0["role"]?.stringValue == "user" && $0["is_demo"] != .bool(true)
            }) {
                rootInput = task["content"]
            }
            var output: JSONValue? = nil
            if let submission = info["submission"], !submission.isNull { output = submission }
            let root = Span(
                traceID: traceID,
                spanID: rootID,
                name: instance ?? traceID,
                kind: .agent,
                startTimeUnixNano: timed ? 0 : nil,
                endTimeUnixNano: timed ? cursor : nil,
                input: rootInput,
                output: output,
                error: error,
                model: model,
                usage: usage,
                labels: labels,
                metadata: metadata,
                source: location,
                sourceFormat: formatName
            )
            var timedRoot = root
            if timed {
                timedRoot.timeSource = .derived
                for i in children.indices {
                    children[i].timeSource = children[i].kind == .tool ? .derived : .placeholder
                }
            }
            spans.append(timedRoot)
            spans.append(contentsOf: children)
        }

        /// Steps from `trajectory`, matched in order to the assistant messages of `history`.
        mutating func trajectorySteps(_ items: [JSONValue], history: [JSONValue]) -> [Step] {
            let assistants = history.indices.filter {
                history[$0]["role"]?.stringValue == "assistant" && history[$0]["is_demo"] != .bool(true)
            }
            var next = 0
            var steps: [Step] = []
            for (index, item) in items.enumerated() {
                guard case .object(let t) = item else {
                    diagnostics.append(
                        Diagnostic(.warning, at: location, "trajectory step \(index + 1) is not an object; skipped"))
                    continue
                }
                var step = Step()
                step.response = t["response"]?.stringValue
                step.thought = t["thought"]?.stringValue
                step.action = t["action"]?.stringValue
                step.observation = t["observation"]
                step.state = t["state"]
                if case .number(let n)? = t["execution_time"] {
                    step.executionTime = Timestamp.parseUnixSeconds(n.text).map { max(0, $0) }
                    step.executionText = .number(n)
                }
                if case .array(let query)? = t["query"] ?? t["messages"], !query.isEmpty { step.query = query }
                let known: Set<String> = [
                    "response", "thought", "action", "observation", "state", "execution_time", "query", "messages",
                ]
                step.extra = JSONObject(t.members.filter { !known.contains($0.key) })
                // Match the step to its assistant message: same action, thought or response.
                var k = next
                while k < assistants.count {
                    let m = history[assistants[k]]
                    let sameAction =
                        step.action != nil && Self.trimmed(m["action"]?.stringValue) == Self.trimmed(step.action)
                    let sameThought =
                        step.thought != nil && Self.trimmed(m["thought"]?.stringValue) == Self.trimmed(step.thought)
                    let sameResponse =
                        step.response != nil && Self.trimmed(m["content"]?.stringValue) == Self.trimmed(step.response)
                    if sameAction || sameThought || sameResponse { break }
                    k += 1
                }
                if k < assistants.count {
                    step.historyIndex = assistants[k]
                    next = k + 1
                }
                steps.append(step)
            }
            return steps
        }

        /// Steps from `history` alone: each assistant message and the observation after it.
        func historySteps(_ history: [JSONValue]) -> [Step] {
            var steps: [Step] = []
            for (i, item) in history.enumerated() {
                guard item["role"]?.stringValue == "assistant", item["is_demo"] != .bool(true) else { continue }
                var step = Step()
                step.historyIndex = i
                step.response = item["content"]?.stringValue
                step.thought = item["thought"]?.stringValue
                step.action = item["action"]?.stringValue
                var j = i + 1
                while j < history.count, history[j]["role"]?.stringValue != "assistant" {
                    let role = history[j]["role"]?.stringValue
                    if role == "tool" || (role == "user" && history[j]["message_type"]?.stringValue == "observation") {
                        step.observation = history[j]["content"]
                        break
                    }
                    j += 1
                }
                steps.append(step)
            }
            return steps
        }

        /// A history message in the normalized shape.
        static func message(_ value: JSONValue) -> JSONValue {
            guard case .object(let h) = value else { return value }
            var m = JSONObject()
            m.members.append(("role", .string(h["role"]?.stringValue ?? "user")))
            m.members.append(("content", h["content"] ?? .string("")))
            let calls = toolCalls(h["tool_calls"])
            if !calls.isEmpty { m.members.append(("tool_calls", .array(calls))) }
            if case .array(let ids)? = h["tool_call_ids"], let first = ids.first?.stringValue {
                m.members.append(("tool_call_id", .string(first)))
            } else if let id = h["tool_call_id"]?.stringValue {
                m.members.append(("tool_call_id", .string(id)))
            }
            return .object(m)
        }

        /// Tool calls in the normalized shape (`{id, type, function: {name, arguments}}`).
        static func toolCalls(_ value: JSONValue?) -> [JSONValue] {
            guard case .array(let calls)? = value else { return [] }
            return calls.compactMap { call -> JSONValue? in
                guard case .object(let c) = call else { return nil }
                let function = c["function"]?.objectValue
                guard let name = function?["name"]?.stringValue ?? c["name"]?.stringValue else { return nil }
                var out = JSONObject()
                if let id = c["id"] { out.members.append(("id", id)) }
                out.members.append(("type", .string(c["type"]?.stringValue ?? "function")))
                let arguments = function?["arguments"] ?? c["arguments"] ?? .string("{}")
                out.members.append(
                    ("function", .object(JSONObject([("name", .string(name)), ("arguments", arguments)]))))
                return .object(out)
            }
        }

        static func parsed(_ text: String) -> JSONValue? {
            let result = JSONStreamParser.parse(text)
            guard result.errors.isEmpty, result.records.count == 1 else { return nil }
            return result.records[0].value
        }

        static func trimmed(_ s: String?) -> String? {
            s.map { $0.trimmingSpaces() }
        }

        /// The first line of `text`, at most 80 characters.
        static func firstLine(_ text: String) -> String {
            let line =
                text.trimmingSpaces().split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first.map(
                    String.init) ?? ""
            let trimmed = line.trimmingSpaces()
            return trimmed.count > 80 ? String(trimmed.prefix(79)) + "…" : trimmed
        }
    }
}
