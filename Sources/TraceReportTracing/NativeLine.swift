import TraceJSON
import Tracing

/// The span attributes that ``TraceReportTracer`` writes as native fields instead of metadata.
///
/// The OpenTelemetry GenAI names are the ones to set; the others are for what GenAI has no
/// name for. Every attribute not listed here is kept in the span's `metadata`.
public enum TraceReportAttributes {
    /// The GenAI operation (`chat`, `embeddings`, `execute_tool`, `invoke_agent`, …), written as the span's `kind`.
    public static let operationName = "gen_ai.operation.name"
    /// The model asked for, written as `model` when no response model is set.
    public static let requestModel = "gen_ai.request.model"
    /// The model that answered, written as `model`.
    public static let responseModel = "gen_ai.response.model"
    /// Prompt tokens, written as `usage.input_tokens`.
    public static let inputTokens = "gen_ai.usage.input_tokens"
    /// Completion tokens, written as `usage.output_tokens`.
    public static let outputTokens = "gen_ai.usage.output_tokens"
    /// All tokens, written as `usage.total_tokens`.
    public static let totalTokens = "gen_ai.usage.total_tokens"
    /// Cost in US dollars, written as `usage.cost`.
    public static let cost = "gen_ai.usage.cost"
    /// System instructions (text), written as the first `system` message of `input.messages`.
    public static let systemInstructions = "gen_ai.system_instructions"
    /// The chat messages sent, JSON text of `[{"role", "content"}]`, written as `input.messages`.
    public static let inputMessages = "gen_ai.input.messages"
    /// The messages received, JSON text, written as `output`.
    public static let outputMessages = "gen_ai.output.messages"
    /// A tool call's arguments (JSON text or plain text), written as `input`.
    public static let toolCallArguments = "gen_ai.tool.call.arguments"
    /// A tool call's result (JSON text or plain text), written as `output`.
    public static let toolCallResult = "gen_ai.tool.call.result"
    /// What any span received (JSON text or plain text), written as `input`.
    public static let input = "input.value"
    /// What any span produced (JSON text or plain text), written as `output`.
    public static let output = "output.value"
    /// The class of error an operation ended with, written as `error.type`.
    public static let errorType = "error.type"
    /// Tags for the run (a string or an array of strings), written as `labels`.
    public static let labels = "trace_report.labels"
    /// The prefix of named scores: `trace_report.score.correctness = 0.8` is written as `scores.correctness`.
    public static let scorePrefix = "trace_report.score."
}

/// Encodes a finished span as one line of the native format.
enum NativeLine {
    static func encode(_ record: SpanRecord) -> [UInt8] {
        var bytes = JSONWriter.bytes(.object(object(record)), pretty: false)
        bytes.append(0x0A)
        return bytes
    }

    static func object(_ record: SpanRecord) -> JSONObject {
        typealias A = TraceReportAttributes
        var attributes: [(String, SpanAttribute)] = []
        record.attributes.forEach { attributes.append(($0, $1)) }
        attributes.sort { $0.0 < $1.0 }
        var byName: [String: SpanAttribute] = [:]
        for (key, value) in attributes { byName[key] = value }
        var consumed: Set<String> = []
        func take(_ key: String) -> SpanAttribute? {
            guard let value = byName[key] else { return nil }
            consumed.insert(key)
            return value
        }

        var out = JSONObject()
        out.members.append(("trace_id", .string(record.traceID)))
        out.members.append(("span_id", .string(record.spanID)))
        if let parent = record.parentSpanID { out.members.append(("parent_id", .string(parent))) }
        out.members.append(("name", .string(record.name)))

        // Kind: the GenAI operation when there is one, else a model call when a model is named.
        let operation = take(A.operationName).flatMap(text)
        let response = take(A.responseModel).flatMap(text)
        let request = take(A.requestModel).flatMap(text)
        let model = response ?? request
        if let response, let request, response != request { consumed.remove(A.requestModel) }
        var kind = operation.map(kindName)
        if kind == nil, model != nil { kind = "llm" }
        if let kind { out.members.append(("kind", .string(kind))) }
        if let model { out.members.append(("model", .string(model))) }

        out.members.append(("start_time", .number(seconds(record.startNanos))))
        if let end = record.endNanos { out.members.append(("end_time", .number(seconds(end)))) }

        // Input and output.
        var input: JSONValue? = nil
        var messages: [JSONValue] = []
        if let system = take(A.systemInstructions).flatMap(text) {
            messages.append(.object(JSONObject([("role", .string("system")), ("content", .string(system))])))
        }
        if let sent = take(A.inputMessages) {
            switch structured(sent) {
            case .array(let items): messages += items
            case .string(let s):
                messages.append(.object(JSONObject([("role", .string("user")), ("content", .string(s))])))
            case let other: messages.append(other)
            }
        }
        if !messages.isEmpty { input = .object(JSONObject([("messages", .array(messages))])) }
        if input == nil, let value = take(A.toolCallArguments) { input = structured(value) }
        if input == nil, let value = take(A.input) { input = structured(value) }
        if let input { out.members.append(("input", input)) }

        var output: JSONValue? = nil
        if let value = take(A.outputMessages) {
            let parsed = structured(value)
            if case .array(let items) = parsed, items.count == 1 { output = items[0] } else { output = parsed }
        }
        if output == nil, let value = take(A.toolCallResult) { output = structured(value) }
        if output == nil, let value = take(A.output) { output = structured(value) }
        if let output { out.members.append(("output", output)) }

        // Error: a recorded error, unless the status was set to ok; an error status alone.
        if record.status?.code != .ok {
            let errorType = take(A.errorType).flatMap(text)
            if let first = record.errors.first {
                out.members.append(
                    (
                        "error",
                        .object(
                            JSONObject([
                                ("type", .string(errorType ?? first.type)), ("message", .string(first.message)),
                            ]))
                    ))
            } else if record.status?.code == .error || errorType != nil {
                let message = record.status?.message ?? errorType ?? "error"
                var error = JSONObject()
                if let errorType { error.members.append(("type", .string(errorType))) }
                error.members.append(("message", .string(message)))
                out.members.append(("error", .object(error)))
            }
        }

        // Tokens and cost.
        var usage = JSONObject()
        for (key, field) in [
            (A.inputTokens, "input_tokens"), (A.outputTokens, "output_tokens"), (A.totalTokens, "total_tokens"),
        ] {
            if let value = byName[key], let n = wholeNumber(value) {
                consumed.insert(key)
                usage.members.append((field, .number(JSONNumber(text: String(n)))))
            }
        }
        if let value = byName[A.cost], let n = number(value) {
            consumed.insert(A.cost)
            usage.members.append(("cost", .number(n)))
        }
        if !usage.isEmpty { out.members.append(("usage", .object(usage))) }

        // Scores and labels.
        var scores = JSONObject()
        for (key, value) in attributes where key.hasPrefix(A.scorePrefix) && key.count > A.scorePrefix.count {
            guard let n = number(value) else { continue }
            consumed.insert(key)
            scores.members.append((String(key.dropFirst(A.scorePrefix.count)), .number(n)))
        }
        if !scores.isEmpty { out.members.append(("scores", .object(scores))) }
        if let value = byName[A.labels] {
            let labels: [String]
            switch value {
            case .stringArray(let items): labels = items
            case .stringConvertibleArray(let items): labels = items.map { "\($0)" }
            default: labels = text(value).map { [$0] } ?? []
            }
            consumed.insert(A.labels)
            if !labels.isEmpty { out.members.append(("labels", .array(labels.map(JSONValue.string)))) }
        }

        // Everything else, with the span kind and links the native format has no field for.
        var metadata = JSONObject()
        for (key, value) in attributes where !consumed.contains(key) {
            metadata.members.append((key, json(value)))
        }
        if record.kind != .internal { metadata.members.append(("span.kind", .string(spanKindName(record.kind)))) }
        if !record.links.isEmpty {
            let links = record.links.map {
                JSONValue.object(JSONObject([("trace_id", .string($0.traceID)), ("span_id", .string($0.spanID))]))
            }
            metadata.members.append(("links", .array(links)))
        }
        if !metadata.isEmpty { out.members.append(("metadata", .object(metadata))) }

        // Events, with each recorded error as an OpenTelemetry `exception` event.
        var events: [JSONValue] = record.events.map { event in
            var e = JSONObject([("name", .string(event.name)), ("time", .number(seconds(event.nanosecondsSinceEpoch)))])
            let attributes = sortedJSON(event.attributes)
            if !attributes.isEmpty { e.members.append(("attributes", .object(attributes))) }
            return .object(e)
        }
        for error in record.errors {
            var attributes = JSONObject([
                ("exception.type", .string(error.type)), ("exception.message", .string(error.message)),
            ])
            attributes.members += sortedJSON(error.attributes).members
            events.append(
                .object(
                    JSONObject([
                        ("name", .string("exception")), ("time", .number(seconds(error.nanosecondsSinceEpoch))),
                        ("attributes", .object(attributes)),
                    ])))
        }
        if !events.isEmpty { out.members.append(("events", .array(events))) }
        return out
    }

    /// The native kind for a GenAI operation name; other names are written as they are.
    static func kindName(_ operation: String) -> String {
        switch operation.lowercased() {
        case "chat", "text_completion", "generate_content", "completion": "llm"
        case "embeddings": "embedding"
        case "retrieval": "retrieval"
        case "execute_tool": "tool"
        case "invoke_agent", "create_agent": "agent"
        case "invoke_workflow": "task"
        default: operation
        }
    }

    private static func spanKindName(_ kind: SpanKind) -> String {
        switch kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        case .internal: "internal"
        }
    }

    /// Unix seconds with nine decimals, which the native decoder reads exactly.
    static func seconds(_ nanos: UInt64) -> JSONNumber {
        let fraction = String(nanos % 1_000_000_000)
        return JSONNumber(
            text: "\(nanos / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)")
    }

    private static func sortedJSON(_ attributes: SpanAttributes) -> JSONObject {
        var members: [(key: String, value: JSONValue)] = []
        attributes.forEach { members.append(($0, json($1))) }
        members.sort { $0.key < $1.key }
        return JSONObject(members)
    }

    private static func text(_ value: SpanAttribute) -> String? {
        switch value {
        case .string(let s): s
        case .stringConvertible(let s): "\(s)"
        default: nil
        }
    }

    private static func wholeNumber(_ value: SpanAttribute) -> Int64? {
        switch value {
        case .int32(let v): v >= 0 ? Int64(v) : nil
        case .int64(let v): v >= 0 ? v : nil
        case .double(let d): d >= 0 && d == d.rounded() && d < 9.2e18 ? Int64(d) : nil
        case .string(let s): Int64(s).flatMap { $0 >= 0 ? $0 : nil }
        default: nil
        }
    }

    private static func number(_ value: SpanAttribute) -> JSONNumber? {
        switch value {
        case .int32(let v): JSONNumber(text: String(v))
        case .int64(let v): JSONNumber(text: String(v))
        case .double(let d): d.isFinite ? JSONNumber(text: "\(d)") : nil
        case .bool(let b): JSONNumber(text: b ? "1" : "0")
        case .string(let s): Double(s).flatMap { $0.isFinite ? JSONNumber(text: "\($0)") : nil }
        default: nil
        }
    }

    /// JSON text parsed into its value; any other text stays a string.
    private static func structured(_ value: SpanAttribute) -> JSONValue {
        guard let s = text(value) else { return json(value) }
        let trimmed = s.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = trimmed.first, first == "{" || first == "[" else { return .string(s) }
        let parsed = JSONStreamParser.parse(s)
        if parsed.errors.isEmpty, parsed.records.count == 1 { return parsed.records[0].value }
        return .string(s)
    }

    static func json(_ value: SpanAttribute) -> JSONValue {
        func double(_ d: Double) -> JSONValue { d.isFinite ? .number(JSONNumber(text: "\(d)")) : .string("\(d)") }
        switch value {
        case .int32(let v): return .number(JSONNumber(text: String(v)))
        case .int64(let v): return .number(JSONNumber(text: String(v)))
        case .double(let d): return double(d)
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .int32Array(let a): return .array(a.map { .number(JSONNumber(text: String($0))) })
        case .int64Array(let a): return .array(a.map { .number(JSONNumber(text: String($0))) })
        case .doubleArray(let a): return .array(a.map(double))
        case .boolArray(let a): return .array(a.map(JSONValue.bool))
        case .stringArray(let a): return .array(a.map(JSONValue.string))
        case .stringConvertible(let s): return .string("\(s)")
        case .stringConvertibleArray(let a): return .array(a.map { .string("\($0)") })
        default: return .string("\(value)")
        }
    }
}
