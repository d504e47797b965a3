import TraceJSON
import TraceModel

/// The steps of a sample read from its events: spans that begin and end, model calls, tools, sandboxes and scores.
extension InspectDecoder.SampleReader {
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
                end = FieldReader.end(start: t, duration: d) ?? t
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
            if let v = e[key], !v.isNull, !InspectDecoder.LogReader.isEmptyValue(v) { input.members.append((key, v)) }
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
        if let m = result["metadata"], !InspectDecoder.LogReader.isEmptyValue(m) {
            metadata.members.append(("score metadata", m))
        }
        if let k = index[parent], spans[k].kind == .eval, spans[k].scores.isEmpty, e["intermediate"] != .bool(true) {
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
