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
    }
}
