public import Tracing

/// The identity of a span as carried in a service context: its trace and its own id.
public struct TraceReportSpanContext: Sendable, Hashable {
    /// The run the span belongs to (the native format's `trace_id`).
    public var traceID: String
    /// The span's id (the native format's `span_id`).
    public var spanID: String

    /// Creates a span context.
    public init(traceID: String, spanID: String) {
        self.traceID = traceID
        self.spanID = spanID
    }
}

private enum TraceReportSpanContextKey: ServiceContextKey {
    typealias Value = TraceReportSpanContext
}

extension ServiceContext {
    /// The trace-report span that this context is inside, set by ``TraceReportTracer``.
    public var traceReportSpanContext: TraceReportSpanContext? {
        get { self[TraceReportSpanContextKey.self] }
        set { self[TraceReportSpanContextKey.self] = newValue }
    }
}

/// A span of ``TraceReportTracer``: collects its name, attributes, events, errors and status
/// until it ends, then becomes one line of the trace file.
///
/// Copies share one span, as the `Span` protocol requires; every method is safe to call from
/// any task. Changes after ``end(at:)`` are ignored.
public struct TraceReportSpan: Span {
    /// The span's service context, which carries ``ServiceContext/traceReportSpanContext``.
    public let context: ServiceContext
    /// The kind the span was started with.
    public let kind: SpanKind

    let storage: Locked<SpanRecord>
    private let onEnd: @Sendable (SpanRecord) -> Void

    init(record: SpanRecord, context: ServiceContext, kind: SpanKind, onEnd: @escaping @Sendable (SpanRecord) -> Void) {
        self.storage = Locked(record)
        self.context = context
        self.kind = kind
        self.onEnd = onEnd
    }

    /// The span's trace id.
    public var traceID: String { storage.withLock { $0.traceID } }
    /// The span's id.
    public var spanID: String { storage.withLock { $0.spanID } }
    /// The parent span's id, or `nil` for a run's root span.
    public var parentSpanID: String? { storage.withLock { $0.parentSpanID } }

    public var operationName: String {
        get { storage.withLock { $0.name } }
        nonmutating set { storage.withLock { if !$0.ended { $0.name = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { storage.withLock { $0.attributes } }
        nonmutating set { storage.withLock { if !$0.ended { $0.attributes = newValue } } }
    }

    public var isRecording: Bool { storage.withLock { !$0.ended } }

    public func setStatus(_ status: SpanStatus) {
        storage.withLock { if !$0.ended { $0.status = status } }
    }

    public func addEvent(_ event: SpanEvent) {
        storage.withLock { if !$0.ended { $0.events.append(event) } }
    }

    public func recordError<Instant: TracerInstant>(
        _ error: any Error,
        attributes: SpanAttributes,
        at instant: @autoclosure () -> Instant
    ) {
        let recorded = SpanRecord.RecordedError(
            type: String(reflecting: type(of: error)),
            message: String(describing: error),
            attributes: attributes,
            nanosecondsSinceEpoch: instant().nanosecondsSinceEpoch
        )
        storage.withLock { if !$0.ended { $0.errors.append(recorded) } }
    }

    public func addLink(_ link: SpanLink) {
        guard let linked = link.context.traceReportSpanContext else { return }
        storage.withLock { if !$0.ended { $0.links.append(linked) } }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let end = instant().nanosecondsSinceEpoch
        let finished: SpanRecord? = storage.withLock { record in
            guard !record.ended else { return nil }
            record.ended = true
            record.endNanos = end
            return record
        }
        if let finished { onEnd(finished) }
    }
}

/// Everything a span has recorded so far.
struct SpanRecord: Sendable {
    struct RecordedError: Sendable {
        var type: String
        var message: String
        var attributes: SpanAttributes
        var nanosecondsSinceEpoch: UInt64
    }

    var traceID: String
    var spanID: String
    var parentSpanID: String?
    var name: String
    var kind: SpanKind
    var startNanos: UInt64
    var endNanos: UInt64?
    var attributes: SpanAttributes = [:]
    var events: [SpanEvent] = []
    var errors: [RecordedError] = []
    var links: [TraceReportSpanContext] = []
    var status: SpanStatus?
    var ended = false
}
