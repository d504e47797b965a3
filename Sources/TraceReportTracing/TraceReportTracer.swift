public import Tracing

/// A `Tracer` (apple/swift-distributed-tracing) that writes trace-report's native JSON Lines
/// format, one line per finished span, ready for `trace-report render`.
///
/// ```swift
/// let tracer = try TraceReportTracer(path: "trace.jsonl")
/// try await tracer.withSpan("support_agent") { span in
///     span.attributes["gen_ai.operation.name"] = "invoke_agent"
///     try await tracer.withSpan("chat") { llm in
///         llm.attributes["gen_ai.request.model"] = "gpt-4o-mini"
///         llm.attributes["gen_ai.usage.input_tokens"] = 812
///     }
/// }
/// tracer.shutdown()
/// ```
///
/// A span started inside another span's `withSpan` (or with its context) is its child in the
/// same run; a span started with no trace-report span in its context starts a new run. Lines are
/// buffered and written when the buffer fills, on ``forceFlush()`` and on ``shutdown()``; spans
/// still open at shutdown are written as unfinished (no `end_time`). OpenTelemetry GenAI
/// attributes are written as the native fields: see ``TraceReportAttributes``.
///
/// The tracer is a value that shares its state: copies write to the same file. Every method
/// may be called from any task.
public struct TraceReportTracer: Tracer {
    public typealias Span = TraceReportSpan

    private struct Active: Sendable {
        var spans: [String: TraceReportSpan] = [:]
        var order: [String] = []
        var shutDown = false
    }

    private let sink: LineSink
    private let active = Locked(Active())
    private let ids: IDGenerator

    /// Creates a tracer that writes to the file at `path`, replacing it.
    ///
    /// - Parameters:
    ///   - path: The trace file to write.
    ///   - bufferSize: Bytes of finished lines kept before they are written.
    ///   - ids: How trace and span ids are made.
    /// - Throws: ``TraceFileError`` when the file cannot be opened for writing.
    public init(path: String, bufferSize: Int = 64 * 1024, ids: IDGenerator = .random) throws(TraceFileError) {
        let fd = try LineSink.open(path: path)
        self.sink = LineSink(destination: .file(descriptor: fd, path: path, owned: true), capacity: bufferSize)
        self.ids = ids
    }

    /// Creates a tracer that hands whole lines to `write` in chunks, for a destination of your own.
    ///
    /// - Parameters:
    ///   - bufferSize: Bytes of finished lines kept before `write` is called.
    ///   - ids: How trace and span ids are made.
    ///   - write: Receives UTF-8 bytes holding one or more complete lines; never called concurrently.
    public init(bufferSize: Int = 64 * 1024, ids: IDGenerator = .random, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.sink = LineSink(destination: .function(write), capacity: bufferSize)
        self.ids = ids
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> TraceReportSpan {
        var context = context()
        let parent = context.traceReportSpanContext
        let spanContext = TraceReportSpanContext(
            traceID: parent?.traceID ?? ids.nextTraceID(), spanID: ids.nextSpanID())
        context.traceReportSpanContext = spanContext
        let record = SpanRecord(
            traceID: spanContext.traceID,
            spanID: spanContext.spanID,
            parentSpanID: parent?.spanID,
            name: operationName,
            kind: kind,
            startNanos: instant().nanosecondsSinceEpoch
        )
        let sink = self.sink
        let active = self.active
        let span = TraceReportSpan(record: record, context: context, kind: kind) { finished in
            let stillOpen = active.withLock { state -> Bool in
                guard state.spans.removeValue(forKey: finished.spanID) != nil else { return false }
                return true
            }
            if stillOpen { sink.append(NativeLine.encode(finished)) }
        }
        active.withLock { state in
            guard !state.shutDown else { return }
            state.spans[spanContext.spanID] = span
            state.order.append(spanContext.spanID)
            if state.order.count > 2 * state.spans.count + 64 {
                state.order.removeAll { state.spans[$0] == nil }
            }
        }
        return span
    }

    public func activeSpan(identifiedBy context: ServiceContext) -> TraceReportSpan? {
        guard let spanID = context.traceReportSpanContext?.spanID else { return nil }
        return active.withLock { $0.spans[spanID] }
    }

    /// Writes every finished span that is still buffered.
    public func forceFlush() {
        sink.flush()
    }

    /// Writes spans still open as unfinished, flushes, and closes the file. Spans that end
    /// afterwards are not written.
    public func shutdown() {
        let open: [TraceReportSpan] = active.withLock { state in
            state.shutDown = true
            let spans = state.order.compactMap { state.spans[$0] }
            state.spans.removeAll()
            state.order.removeAll()
            return spans
        }
        for span in open {
            let record = span.storage.withLock { record -> SpanRecord in
                record.ended = true
                return record
            }
            sink.append(NativeLine.encode(record))
        }
        sink.close()
    }

    /// The first error met while writing the trace file, if any.
    public var writeError: TraceFileError? { sink.error }

    // MARK: Instrument

    /// Injects the current span as a W3C `traceparent` header when its ids are hex of the
    /// W3C lengths (as ``IDGenerator/random`` makes them).
    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    )
    where Inject.Carrier == Carrier {
        guard let span = context.traceReportSpanContext, isHex(span.traceID, count: 32), isHex(span.spanID, count: 16)
        else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    /// Reads a W3C `traceparent` header, so spans started from the context continue that trace.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    )
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = header.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, isHex(parts[1], count: 32), isHex(parts[2], count: 16) else { return }
        context.traceReportSpanContext = TraceReportSpanContext(traceID: parts[1], spanID: parts[2])
    }

    private func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// How ``TraceReportTracer`` makes trace and span ids.
public struct IDGenerator: Sendable {
    /// Makes a new run's trace id.
    public var nextTraceID: @Sendable () -> String
    /// Makes a new span id.
    public var nextSpanID: @Sendable () -> String

    /// Creates a generator from two functions.
    public init(nextTraceID: @escaping @Sendable () -> String, nextSpanID: @escaping @Sendable () -> String) {
        self.nextTraceID = nextTraceID
        self.nextSpanID = nextSpanID
    }

    /// Random ids of W3C lengths: 32 lowercase hex digits for traces, 16 for spans.
    public static var random: IDGenerator {
        IDGenerator(nextTraceID: { randomHex(bytes: 16) }, nextSpanID: { randomHex(bytes: 8) })
    }

    /// Counting ids, `run-1`, `run-2`, … and `span-1`, `span-2`, …, for reproducible traces.
    public static func sequential(prefix: String = "") -> IDGenerator {
        let counters = Locked((traces: 0, spans: 0))
        return IDGenerator(
            nextTraceID: { "\(prefix)run-\(counters.withLock { $0.traces += 1; return $0.traces })" },
            nextSpanID: { "\(prefix)span-\(counters.withLock { $0.spans += 1; return $0.spans })" }
        )
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
