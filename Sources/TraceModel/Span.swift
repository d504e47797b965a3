public import TraceJSON

/// One step of a run: a model call, tool call, retrieval and so on, normalized from any input
/// format.
public struct Span: Sendable, Equatable {
    /// The run this span belongs to.
    public var traceID: String
    /// The span's id, unique within its run.
    public var spanID: String
    /// The parent span's id; `nil` for a root.
    public var parentSpanID: String?
    /// The span's name.
    public var name: String
    /// What the span did.
    public var kind: SpanKind {
        didSet {
            // Documents are read by kind: read the input and output again for the new one.
            if kind != oldValue {
                inputContent = inputContent.map { SpanContent($0.value, kind: kind) }
                outputContent = outputContent.map { SpanContent($0.value, kind: kind) }
            }
        }
    }
    /// The kind as written in the input (for example `chain` for a generic span).
    public var kindName: String
    /// Start time, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: Int64?
    /// End time, nanoseconds since the Unix epoch; `nil` for an unfinished span.
    public var endTimeUnixNano: Int64?
    /// The span's input, as recorded.
    public var input: JSONValue? {
        get { inputContent?.value }
        set { inputContent = newValue.map { SpanContent($0, kind: kind) } }
    }
    /// The span's output, as recorded.
    public var output: JSONValue? {
        get { outputContent?.value }
        set { outputContent = newValue.map { SpanContent($0, kind: kind) } }
    }
    /// The span's input and what it holds (messages, documents, a text), read when it is set.
    public private(set) var inputContent: SpanContent?
    /// The span's output and what it holds, read when it is set.
    public private(set) var outputContent: SpanContent?
    /// The error the span ended with, if any.
    public var error: SpanError?
    /// The model a model call used.
    public var model: String?
    /// Tokens and cost of this span alone.
    public var usage: Usage
    /// Scores attached to the span, in written order.
    public var scores: [Score]
    /// Labels attached to the span, such as a root cause.
    public var labels: [String]
    /// Other recorded fields.
    public var metadata: JSONObject
    /// Point-in-time events recorded during the span.
    public var events: [SpanEvent]
    /// Where the span was first read.
    public var source: SourceLocation
    /// The input format's name, for example `trace-report JSONL`.
    public var sourceFormat: String
    /// Whether this record is one part of a span written in several records by design (a
    /// start and an end record, a create and an update, two halves of a shared RPC span).
    /// Parts merge without a warning; complete records that repeat a span id are warned about.
    public var isPartial: Bool = false
    /// Fields left out because their value had the wrong type, with the value as written.
    public var droppedFields: [DroppedField] = []
    /// Where the start and end times come from: recorded, derived from other values, or
    /// placeholders that only keep the span's order.
    public var timeSource: TimeSource = .recorded

    /// Creates a span.
    public init(
        traceID: String,
        spanID: String,
        parentSpanID: String? = nil,
        name: String,
        kind: SpanKind = .span,
        kindName: String? = nil,
        startTimeUnixNano: Int64? = nil,
        endTimeUnixNano: Int64? = nil,
        input: JSONValue? = nil,
        output: JSONValue? = nil,
        error: SpanError? = nil,
        model: String? = nil,
        usage: Usage = Usage(),
        scores: [Score] = [],
        labels: [String] = [],
        metadata: JSONObject = JSONObject(),
        events: [SpanEvent] = [],
        source: SourceLocation = SourceLocation(file: "", line: 0),
        sourceFormat: String = "trace-report JSONL"
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.kindName = kindName ?? kind.rawValue
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.inputContent = input.map { SpanContent($0, kind: kind) }
        self.outputContent = output.map { SpanContent($0, kind: kind) }
        self.error = error
        self.model = model
        self.usage = usage
        self.scores = scores
        self.labels = labels
        self.metadata = metadata
        self.events = events
        self.source = source
        self.sourceFormat = sourceFormat
    }

    /// The span's duration in nanoseconds, when it has both ends.
    public var durationNanos: Int64? {
        guard let s = startTimeUnixNano, let e = endTimeUnixNano else { return nil }
        return max(0, e.saturatingSubtract(s))
    }
}

/// Where a span's times come from. A report shows only recorded times as clock times.
public enum TimeSource: String, Sendable, Equatable {
    /// Read from the input.
    case recorded
    /// Computed from other recorded values (such as SWE-agent's `execution_time`, laid back to
    /// back from zero): durations are meaningful, clock times are not.
    case derived
    /// Not recorded: the times only keep the span in its place among its siblings, and
    /// neither clock times nor durations are meaningful.
    case placeholder
}

/// A field of a span record that was left out because its value had the wrong type; the span
/// itself was kept. The raw value is kept so a report can show it.
public struct DroppedField: Sendable, Equatable {
    /// The field's path in the record, for example `usage.input_tokens`.
    public var field: String
    /// The value as written.
    public var rawValue: JSONValue
    /// Why it was dropped: a lowercase clause, for example `must be a number, found a string`.
    public var reason: String

    /// Creates a dropped field.
    public init(field: String, rawValue: JSONValue, reason: String) {
        self.field = field
        self.rawValue = rawValue
        self.reason = reason
    }
}

/// The error a span ended with.
public struct SpanError: Sendable, Equatable {
    /// The error's type, for example `TimeoutError`.
    public var type: String?
    /// The message.
    public var message: String
    /// A stack trace, if recorded.
    public var stack: String?

    /// Creates an error.
    public init(type: String? = nil, message: String, stack: String? = nil) {
        self.type = type
        self.message = message
        self.stack = stack
    }
}

/// Token counts and cost.
public struct Usage: Sendable, Equatable {
    /// Prompt tokens.
    public var inputTokens: Int64?
    /// Completion tokens.
    public var outputTokens: Int64?
    /// Total tokens as recorded; see ``tokens`` for the effective total.
    public var totalTokens: Int64?
    /// Cost in US dollars.
    public var cost: Double?

    /// Creates a usage record.
    public init(inputTokens: Int64? = nil, outputTokens: Int64? = nil, totalTokens: Int64? = nil, cost: Double? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.cost = cost
    }

    /// The total tokens: as recorded, or input plus output.
    public var tokens: Int64? {
        if let totalTokens { return totalTokens }
        if inputTokens == nil && outputTokens == nil { return nil }
        return (inputTokens ?? 0).saturatingAdd(outputTokens ?? 0)
    }

    /// Whether nothing is recorded.
    public var isEmpty: Bool {
        inputTokens == nil && outputTokens == nil && totalTokens == nil && cost == nil
    }

    /// This usage with `other`'s recorded fields taking precedence.
    public func merged(with other: Usage) -> Usage {
        Usage(
            inputTokens: other.inputTokens ?? inputTokens,
            outputTokens: other.outputTokens ?? outputTokens,
            totalTokens: other.totalTokens ?? totalTokens,
            cost: other.cost ?? cost
        )
    }
}

/// A named numeric score, such as an eval result.
public struct Score: Sendable, Equatable {
    /// The score's name, for example `correctness`.
    public var name: String
    /// The value.
    public var value: Double
    /// The value as written, kept for display.
    public var text: String
    /// Where a run's score came from when not from its root span: the span's name, or the
    /// scores file.
    public var origin: String?
    /// A note recorded with the score, such as a judge's explanation.
    public var comment: String?

    /// Creates a score.
    public init(name: String, value: Double, text: String? = nil, origin: String? = nil, comment: String? = nil) {
        self.name = name
        self.value = value
        self.text = text ?? "\(value)"
        self.origin = origin
        self.comment = comment
    }
}

/// A point-in-time event within a span.
public struct SpanEvent: Sendable, Equatable {
    /// The event's name.
    public var name: String
    /// When it happened, nanoseconds since the Unix epoch.
    public var timeUnixNano: Int64?
    /// The event's attributes.
    public var attributes: JSONObject

    /// Creates an event.
    public init(name: String, timeUnixNano: Int64? = nil, attributes: JSONObject = JSONObject()) {
        self.name = name
        self.timeUnixNano = timeUnixNano
        self.attributes = attributes
    }
}
