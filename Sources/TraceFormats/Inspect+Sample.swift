import TraceJSON
import TraceModel

extension InspectDecoder {
    /// Builds the spans of one sample: the sample's root span and one span per step, from its
    /// events or, without events, from its messages.
    struct SampleReader {
        let sample: JSONObject
        let traceID: String
        /// "sample 3", or "sample 3, epoch 2" when the eval ran several epochs.
        let sampleLabel: String
        let evalModel: String?
        /// The eval's start and end, used when the sample records no times.
        let evalTimes: (start: Int64?, end: Int64?)
        let location: SourceLocation
        let formatName: String
        let attachments: Attachments

        var spans: [Span] = []
        var diagnostics: [Diagnostic] = []
        /// Index in ``spans`` of each span id.
        var index: [String: Int] = [:]
        /// Nested event lists read so far; numbers their events' span ids.
        var nestedLists = 0

        static let rootID = "sample"

        init(
            sample: JSONObject,
            traceID: String,
            sampleLabel: String,
            evalModel: String?,
            evalTimes: (start: Int64?, end: Int64?),
            location: SourceLocation,
            formatName: String
        ) {
            self.sample = sample
            self.traceID = traceID
            self.sampleLabel = sampleLabel
            self.evalModel = evalModel
            self.evalTimes = evalTimes
            self.location = location
            self.formatName = formatName
            self.attachments = Attachments(sample)
        }

        mutating func read() {
            addRoot()
            let events = (sample["events"] ?? sample["transcript"]?["events"])?.arrayValue ?? []
            if events.isEmpty {
                readMessages()
            } else {
                var jobs: [Job] = [Job(events: events, parentID: Self.rootID, prefix: "event-")]
                while let job = jobs.popLast() {
                    jobs.append(contentsOf: readEvents(job))
                }
                // The sample runs from its first to its last recorded time.
                var first: Int64? = nil
                var last: Int64? = nil
                for span in spans.dropFirst() {
                    if let s = span.startTimeUnixNano { first = min(first ?? s, s) }
                    if let e = span.endTimeUnixNano ?? span.startTimeUnixNano { last = max(last ?? e, e) }
                    for event in span.events {
                        if let t = event.timeUnixNano {
                            first = min(first ?? t, t)
                            last = max(last ?? t, t)
                        }
                    }
                }
                spans[0].startTimeUnixNano = first
                spans[0].endTimeUnixNano = last
            }
        }

        // MARK: - The root

        mutating func addRoot() {
            var input: JSONValue? = nil
            switch sample["input"] {
            case .string(let s)?: input = .string(attachments.resolve(s))
            case .array(let messages)?:
                input = .object(
                    JSONObject([("messages", .array(messages.map { InspectDecoder.message(attachments.resolve($0)) }))])
                )
            default: break
            }
            var scores: [Score] = []
            if case .object(let results)? = sample["scores"] {
                for member in results.members {
                    scores.append(contentsOf: InspectDecoder.scores(named: member.key, result: member.value))
                }
            }
            var error: SpanError? = nil
            switch sample["error"] {
            case .object(let e)?:
                error = SpanError(
                    message: e["message"]?.stringValue ?? "the sample failed", stack: e["traceback"]?.stringValue)
            case .string(let s)?:
                error = SpanError(message: s)
            default: break
            }
            var labels: [String] = []
            if let limit = sample["limit"]?["type"]?.stringValue { labels.append("\(limit) limit") }
            var metadata = JSONObject()
            let mapped: Set<String> = [
                "input", "output", "scores", "events", "transcript", "messages", "attachments", "error",
            ]
            for member in sample.members where !mapped.contains(member.key) {
                if case .object(let o) = member.value, o.isEmpty { continue }
                metadata.members.append((member.key, attachments.resolve(member.value)))
            }
            if case .object(let results)? = sample["scores"] {
                // Answers and explanations stay visible beside the numeric scores.
                metadata.members.append(("scores", attachments.resolve(.object(results))))
            }
            let span = Span(
                traceID: traceID,
                spanID: Self.rootID,
                name: sampleLabel,
                kind: .task,
                input: input,
                output: Self.output(sample["output"], attachments: attachments),
                error: error,
                model: evalModel,
                scores: scores,
                labels: labels,
                metadata: metadata,
                source: location,
                sourceFormat: formatName
            )
            add(span)
        }

        /// A model output (`{model, choices: [{message, stop_reason}], completion, usage}`) as the
        /// assistant message, several messages, or the completion text.
        static func output(_ value: JSONValue?, attachments: Attachments) -> JSONValue? {
            guard case .object(let o)? = value else { return nil }
            if case .array(let choices)? = o["choices"], !choices.isEmpty {
                let messages = choices.compactMap { $0["message"] }.map {
                    InspectDecoder.message(attachments.resolve($0))
                }
                if messages.count == 1 { return messages[0] }
                if !messages.isEmpty { return .array(messages) }
            }
            if let completion = o["completion"]?.stringValue, !completion.isEmpty {
                return .string(attachments.resolve(completion))
            }
            return nil
        }

        mutating func add(_ span: Span) {
            index[span.spanID] = spans.count
            spans.append(span)
        }

        // MARK: - Messages

        /// Steps from `messages` when the sample has no events: each assistant message is an LLM
        /// span whose input is the conversation before it, and each tool message a tool span
        /// with the arguments of the call it answers.
        mutating func readMessages() {
            let messages = sample["messages"]?.arrayValue ?? []
            var usage = Usage()
            if case .object(let models)? = sample["model_usage"] {
                usage = LogReader.sumUsage(models)
            }
            if usage.isEmpty { usage = InspectDecoder.usage(sample["output"]?["usage"]) }
            spans[0].usage = usage
            spans[0].startTimeUnixNano = evalTimes.start
            spans[0].endTimeUnixNano = evalTimes.end ?? evalTimes.start
            spans[0].metadata.members.append(
                ("timing", .string("the sample records no times; it is shown with the eval's start and end")))
            let width = max(3, String(messages.count).count)
            var prior: [JSONValue] = []
            var calls: [String: (name: String, arguments: JSONValue?)] = [:]
            for (i, raw) in messages.enumerated() {
                let value = attachments.resolve(raw)
                let normalized = InspectDecoder.message(value)
                let number = String(i + 1)
                let id = "message-" + String(repeating: "0", count: max(0, width - number.count)) + number
                switch value["role"]?.stringValue {
                case "assistant"?:
                    if case .array(let list)? = value["tool_calls"] {
                        for call in list {
                            if let callID = call["id"]?.stringValue {
                                calls[callID] = (call["function"]?.stringValue ?? "tool", call["arguments"])
                            }
                        }
                    }
                    add(
                        Span(
                            traceID: traceID,
                            spanID: id,
                            parentSpanID: Self.rootID,
                            name: value["model"]?.stringValue ?? evalModel ?? "model",
                            kind: .llm,
                            startTimeUnixNano: spans[0].startTimeUnixNano,
                            endTimeUnixNano: spans[0].startTimeUnixNano,
                            input: .object(JSONObject([("messages", .array(prior))])),
                            output: normalized,
                            model: value["model"]?.stringValue ?? evalModel,
                            source: location,
                            sourceFormat: formatName
                        )
                    )
                case "tool"?:
                    let callID = value["tool_call_id"]?.stringValue
                    let call = callID.flatMap { calls[$0] }
                    var metadata = JSONObject()
                    if let callID { metadata.members.append(("tool_call_id", .string(callID))) }
                    var error: SpanError? = nil
                    if case .object(let e)? = value["error"] {
                        error = SpanError(
                            type: e["type"]?.stringValue, message: e["message"]?.stringValue ?? "the tool call failed")
                    }
                    add(
                        Span(
                            traceID: traceID,
                            spanID: id,
                            parentSpanID: Self.rootID,
                            name: value["function"]?.stringValue ?? call?.name ?? "tool",
                            kind: .tool,
                            startTimeUnixNano: spans[0].startTimeUnixNano,
                            endTimeUnixNano: spans[0].startTimeUnixNano,
                            input: call?.arguments,
                            output: InspectDecoder.content(value["content"]),
                            error: error,
                            metadata: metadata,
                            source: location,
                            sourceFormat: formatName
                        )
                    )
                default:
                    break
                }
                prior.append(normalized)
            }
        }

        // MARK: - Events

        /// A list of events to read, with the span that encloses them when they name none.
        struct Job {
            var events: [JSONValue]
            var parentID: String
            var prefix: String
        }

        /// Reads one list of events; returns the nested lists (of tool and subtask events) still
        /// to read. The first pass builds the spans that begin and end (`span_begin`/`span_end`,
        /// `step` begin/end) and notes which span encloses each event; the second turns the other
        /// events into spans or span events.
        mutating func readEvents(_ job: Job) -> [Job] {
            let events = job.events
            let width = max(4, String(events.count).count)
            func eventID(_ i: Int) -> String {
                let n = String(i)
                return job.prefix + String(repeating: "0", count: max(0, width - n.count)) + n
            }
            var enclosing = [String](repeating: job.parentID, count: events.count)
            var stepStack: [(id: String, name: String?)] = []
            var toolBegins: [(id: String, name: String?, parent: String?)] = []
            for (i, event) in events.enumerated() {
                guard case .object(let e) = event else {
                    diagnostics.append(
                        Diagnostic(.warning, at: location, "\(sampleLabel): event \(i + 1) is not an object; skipped"))
                    continue
                }
                let time = Self.time(e["timestamp"])
                let spanID = e["span_id"]?.stringValue
                enclosing[i] = spanID ?? stepStack.last?.id ?? job.parentID
                switch e["event"]?.stringValue {
                case "span_begin"?:
                    let id = e["id"]?.stringValue ?? eventID(i)
                    let type = e["type"]?.stringValue
                    let parent = e["parent_id"]?.stringValue ?? stepStack.last?.id ?? job.parentID
                    let (kind, kindName) = Self.kind(type)
                    var metadata = JSONObject()
                    if let type { metadata.members.append(("inspect.span_type", .string(type))) }
                    add(
                        Span(
                            traceID: traceID,
                            spanID: id,
                            parentSpanID: parent == id ? job.parentID : parent,
                            name: e["name"]?.stringValue ?? type ?? "span",
                            kind: kind,
                            kindName: kindName,
                            startTimeUnixNano: time,
                            metadata: metadata,
                            source: location,
                            sourceFormat: formatName
                        )
                    )
                    if type == "tool" { toolBegins.append((id, e["name"]?.stringValue, e["parent_id"]?.stringValue)) }
                case "span_end"?:
                    if let id = e["id"]?.stringValue, let k = index[id] { spans[k].endTimeUnixNano = time }
                case "step"?:
                    let name = e["name"]?.stringValue
                    if e["action"]?.stringValue == "end" {
                        if let at = stepStack.lastIndex(where: { $0.name == name }) {
                            if let k = index[stepStack[at].id] { spans[k].endTimeUnixNano = time }
                            stepStack.removeSubrange(at...)
                        }
                    } else {
                        let id = eventID(i)
                        let type = e["type"]?.stringValue
                        let (kind, kindName) = Self.kind(type)
                        var metadata = JSONObject()
                        if let type { metadata.members.append(("inspect.step_type", .string(type))) }
                        add(
                            Span(
                                traceID: traceID,
                                spanID: id,
                                parentSpanID: stepStack.last?.id ?? job.parentID,
                                name: name ?? type ?? "step",
                                kind: kind,
                                kindName: kindName,
                                startTimeUnixNano: time,
                                metadata: metadata,
                                source: location,
                                sourceFormat: formatName
                            )
                        )
                        stepStack.append((id, name))
                    }
                default:
                    break
                }
            }

            var nested: [Job] = []
            var claimed: Set<String> = []
            for (i, event) in events.enumerated() {
                guard case .object(let raw) = event, let type = raw["event"]?.stringValue else { continue }
                if type == "span_begin" || type == "span_end" || type == "step" { continue }
                guard case .object(let e) = attachments.resolve(event) else { continue }
                let time = Self.time(e["timestamp"])
                let parent = index[enclosing[i]] != nil ? enclosing[i] : job.parentID
                let completed = Self.time(e["completed"])
                switch type {
                case "model":
                    addModel(e, id: eventID(i), parent: parent, time: time, completed: completed)
                case "tool":
                    let function = e["function"]?.stringValue
                    let begin = toolBegins.first {
                        !claimed.contains($0.id) && $0.name == function && ($0.parent ?? job.parentID) == parent
                    }
                    let id: String
                    if let begin {
                        claimed.insert(begin.id)
                        id = begin.id
                    } else {
                        id = eventID(i)
                        add(
                            Span(
                                traceID: traceID,
                                spanID: id,
                                parentSpanID: parent,
                                name: function ?? "tool",
                                kind: .tool,
                                startTimeUnixNano: time,
                                endTimeUnixNano: completed ?? time,
                                source: location,
                                sourceFormat: formatName
                            )
                        )
                    }
                    fillTool(e, spanID: id, completed: completed)
                    if case .array(let inner)? = e["events"], !inner.isEmpty {
                        nestedLists += 1
                        nested.append(Job(events: inner, parentID: id, prefix: "event-n\(nestedLists)-"))
                    }
                case "subtask":
                    let id = eventID(i)
                    var metadata = JSONObject()
                    if let t = e["type"] { metadata.members.append(("type", t)) }
                    add(
                        Span(
                            traceID: traceID,
                            spanID: id,
                            parentSpanID: parent,
                            name: e["name"]?.stringValue ?? "subtask",
                            kind: .task,
                            startTimeUnixNano: time,
                            endTimeUnixNano: completed ?? time,
                            input: e["input"],
                            output: e["result"],
                            metadata: metadata,
                            source: location,
                            sourceFormat: formatName
                        )
                    )
                    if case .array(let inner)? = e["events"], !inner.isEmpty {
                        nestedLists += 1
                        nested.append(Job(events: inner, parentID: id, prefix: "event-n\(nestedLists)-"))
                    }
                case "sandbox":
                    addSandbox(e, id: eventID(i), parent: parent, time: time, completed: completed)
                case "score":
                    addScore(e, id: eventID(i), parent: parent, time: time)
                case "error":
                    let error = e["error"]
                    if let k = index[parent], spans[k].error == nil {
                        spans[k].error = SpanError(
                            message: error?["message"]?.stringValue ?? "error",
                            stack: error?["traceback"]?.stringValue
                        )
                    }
                    addEvent(e, name: "error", to: parent, time: time)
                case "sample_limit":
                    if let limit = e["type"]?.stringValue, !spans[0].labels.contains("\(limit) limit") {
                        spans[0].labels.append("\(limit) limit")
                    }
                    addEvent(e, name: type, to: parent, time: time)
                default:
                    addEvent(e, name: type, to: parent, time: time)
                }
            }
            return nested
        }

        /// A span event on `spanID` with the event's fields as attributes.
        mutating func addEvent(_ e: JSONObject, name: String, to spanID: String, time: Int64?) {
            let skipped: Set<String> = ["event", "timestamp", "span_id", "working_start", "pending", "uuid"]
            var attributes = JSONObject(e.members.filter { !skipped.contains($0.key) })
            if name == "sample_init" {
                // The initial state repeats the sample's input and metadata.
                attributes.members.removeAll { $0.key == "state" }
            }
            guard let k = index[spanID] ?? index[Self.rootID] else { return }
            spans[k].events.append(SpanEvent(name: name, timeUnixNano: time, attributes: attributes))
        }

        /// An LLM span for a `model` event.
        mutating func addModel(_ e: JSONObject, id: String, parent: String, time: Int64?, completed: Int64?) {
            var input = JSONObject()
            if case .array(let messages)? = e["input"] {
                input.members.append(("messages", .array(messages.map(InspectDecoder.message))))
            }
            if case .array(let tools)? = e["tools"], !tools.isEmpty { input.members.append(("tools", .array(tools))) }
            if let choice = e["tool_choice"], !choice.isNull, !(e["tools"]?.arrayValue?.isEmpty ?? true) {
                input.members.append(("tool_choice", choice))
            }
            if case .object(let config)? = e["config"], !config.isEmpty {
                input.members.append(("config", .object(config)))
            }
            let output = e["output"]
            var metadata = JSONObject()
            if case .array(let choices)? = output?["choices"], let reason = choices.first?["stop_reason"],
                !reason.isNull
            {
                metadata.members.append(("stop_reason", reason))
            }
            if case .object(let u)? = output?["usage"] {
                for key in ["input_tokens_cache_read", "input_tokens_cache_write", "reasoning_tokens"] {
                    if let v = u[key], !v.isNull { metadata.members.append((key, v)) }
                }
            }
            for key in ["cache", "working_time", "retries", "role"] {
                if let v = e[key], !v.isNull { metadata.members.append((key, v)) }
            }
            if let call = e["call"], !call.isNull { metadata.members.append(("call", call)) }
            var error: SpanError? = nil
            if let message = e["error"]?.stringValue ?? output?["error"]?.stringValue {
                error = SpanError(message: message)
            }
            // The call starts at `timestamp` and ends at `completed`; older logs give its duration
            // in `output.time` instead, and the oldest record neither.
            let start = time
            var end = completed
            if end == nil, let t = time {
                end = t
                if case .number(let n)? = output?["time"], let d = Timestamp.parseUnixSeconds(n.text), d > 0 {
                    end = JaegerDecoder.end(start: t, duration: d) ?? t
                }
            }
            let model = output?["model"]?.stringValue ?? e["model"]?.stringValue
            add(
                Span(
                    traceID: traceID,
                    spanID: id,
                    parentSpanID: parent,
                    name: e["model"]?.stringValue ?? model ?? "model",
                    kind: .llm,
                    startTimeUnixNano: start,
                    endTimeUnixNano: end,
                    input: .object(input),
                    output: Self.output(output, attachments: attachments),
                    error: error,
                    model: model,
                    usage: InspectDecoder.usage(output?["usage"]),
                    metadata: metadata,
                    source: location,
                    sourceFormat: formatName
                )
            )
        }

        /// Fills the tool span `spanID` from a `tool` event.
        mutating func fillTool(_ e: JSONObject, spanID: String, completed: Int64?) {
            guard let k = index[spanID] else { return }
            spans[k].kind = .tool
            spans[k].kindName = SpanKind.tool.rawValue
            if let function = e["function"]?.stringValue { spans[k].name = function }
            if let arguments = e["arguments"], !arguments.isNull { spans[k].input = arguments }
            if let result = e["result"], !result.isNull { spans[k].output = InspectDecoder.content(result) }
            if case .object(let error)? = e["error"] {
                spans[k].error = SpanError(
                    type: error["type"]?.stringValue, message: error["message"]?.stringValue ?? "the tool call failed")
            }
            if spans[k].endTimeUnixNano == nil { spans[k].endTimeUnixNano = completed }
            for key in ["id", "type", "working_time", "truncated", "agent", "failed", "view"] {
                guard let v = e[key], !v.isNull else { continue }
                spans[k].metadata.members.append((key == "id" ? "tool_call_id" : key, v))
            }
        }

        /// A span for a `sandbox` event (a command run or file read or written in the sandbox).
        mutating func addSandbox(_ e: JSONObject, id: String, parent: String, time: Int64?, completed: Int64?) {
            let action = e["action"]?.stringValue ?? "sandbox"
            var target = e["cmd"]?.stringValue ?? e["file"]?.stringValue ?? ""
            if let newline = target.firstIndex(of: "\n") { target = String(target[..<newline]) + " …" }
            if target.count > 80 { target = String(target.prefix(79)) + "…" }
            var input = JSONObject()
            for key in ["cmd", "file", "input", "options"] {
                if let v = e[key], !v.isNull, !LogReader.isEmptyValue(v) { input.members.append((key, v)) }
            }
            var metadata = JSONObject()
            if let result = e["result"], !result.isNull { metadata.members.append(("result", result)) }
            if let v = e["working_time"] { metadata.members.append(("working_time", v)) }
            add(
                Span(
                    traceID: traceID,
                    spanID: id,
                    parentSpanID: parent,
                    name: target.isEmpty ? action : "\(action) \(target)",
                    kind: .span,
                    kindName: "sandbox",
                    startTimeUnixNano: time,
                    endTimeUnixNano: completed ?? time,
                    input: input.isEmpty ? nil : .object(input),
                    output: e["output"],
                    metadata: metadata,
                    source: location,
                    sourceFormat: formatName
                )
            )
        }

        /// A `score` event: its score lands on the enclosing scorer span, or on a span of its own.
        mutating func addScore(_ e: JSONObject, id: String, parent: String, time: Int64?) {
            guard let result = e["score"] else { return }
            var output = JSONObject()
            for key in ["value", "answer", "explanation"] {
                if let v = result[key], !v.isNull { output.members.append((key, v)) }
            }
            var metadata = JSONObject()
            if let target = e["target"], !target.isNull { metadata.members.append(("target", target)) }
            if let m = result["metadata"], !LogReader.isEmptyValue(m) { metadata.members.append(("score metadata", m)) }
            if let k = index[parent], spans[k].kind == .eval, spans[k].scores.isEmpty, e["intermediate"] != .bool(true)
            {
                spans[k].scores = InspectDecoder.scores(named: spans[k].name, result: result)
                spans[k].output = .object(output)
                spans[k].metadata.members.append(contentsOf: metadata.members)
                return
            }
            let intermediate = e["intermediate"] == .bool(true)
            let name = intermediate ? "intermediate score" : "score"
            add(
                Span(
                    traceID: traceID,
                    spanID: id,
                    parentSpanID: parent,
                    name: name,
                    kind: .eval,
                    startTimeUnixNano: time,
                    endTimeUnixNano: time,
                    output: .object(output),
                    scores: InspectDecoder.scores(named: name, result: result),
                    metadata: metadata,
                    source: location,
                    sourceFormat: formatName
                )
            )
        }

        /// The span kind for an Inspect span or step type; types without a kind keep their name.
        static func kind(_ type: String?) -> (SpanKind, String) {
            switch type {
            case "solver"?, "subtask"?: (.task, SpanKind.task.rawValue)
            case "agent"?: (.agent, SpanKind.agent.rawValue)
            case "handoff"?: (.handoff, SpanKind.handoff.rawValue)
            case "scorer"?: (.eval, SpanKind.eval.rawValue)
            case "tool"?: (.tool, SpanKind.tool.rawValue)
            case let other?: (.span, other)
            case nil: (.span, "span")
            }
        }

        static func time(_ value: JSONValue?) -> Int64? {
            guard case .string(let s)? = value else { return nil }
            return Timestamp.parseRFC3339(s)
        }
    }
}
