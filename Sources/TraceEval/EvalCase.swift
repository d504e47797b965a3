public import TraceJSON
public import TraceModel

/// A regression eval case made from a run: one row of a JSON Lines dataset.
///
/// The format is documented in `docs/dataset-format.md`. ``json`` writes a row and
/// ``read(_:file:)`` reads rows back, so a dataset written by `trace-report extract` round-trips.
public struct EvalCase: Sendable, Equatable {
    /// A stable id: the trace id, with the span id when the case is about one span.
    public var id: String
    /// What to feed the agent: the span's input, or the run's.
    public var input: JSONValue
    /// What the agent should have answered, if known.
    public var expectedOutput: JSONValue?
    /// What it did answer.
    public var actualOutput: JSONValue?
    /// Root-cause and other labels.
    public var labels: [String]
    /// The run's metadata.
    public var metadata: JSONObject
    /// The run's scores when it was extracted.
    public var scores: [Score]
    /// Where the case came from.
    public var source: Source

    /// Where a case came from.
    public struct Source: Sendable, Equatable {
        public var traceID: String
        public var spanID: String?
        public var spanName: String?
        public var file: String?
        public var format: String?

        public init(
            traceID: String, spanID: String? = nil, spanName: String? = nil, file: String? = nil, format: String? = nil
        ) {
            self.traceID = traceID
            self.spanID = spanID
            self.spanName = spanName
            self.file = file
            self.format = format
        }
    }

    /// Creates a case.
    public init(
        id: String, input: JSONValue, expectedOutput: JSONValue? = nil, actualOutput: JSONValue? = nil,
        labels: [String] = [], metadata: JSONObject = JSONObject(), scores: [Score] = [], source: Source
    ) {
        self.id = id
        self.input = input
        self.expectedOutput = expectedOutput
        self.actualOutput = actualOutput
        self.labels = labels
        self.metadata = metadata
        self.scores = scores
        self.source = source
    }

    /// What the expected output of an extracted case is.
    public enum Expected: Sendable, Equatable {
        /// Unknown: `null` in the dataset, to be filled in by a reviewer.
        case unknown
        /// Given text.
        case text(String)
        /// The output the run (or span) produced, for cases that pin good behaviour.
        case fromOutput
    }

    /// Why a case could not be made.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSuchSpan(String)

        public var description: String {
            switch self {
            case .noSuchSpan(let id): "the run has no span \"\(id)\""
            }
        }
    }

    /// The case for `run`, or for one of its spans.
    public init(
        run: AnalyzedRun, spanID: String? = nil, labels extraLabels: [String] = [], expected: Expected = .unknown
    ) throws(Failure) {
        let nodes = run.run.nodes
        let root = nodes.first?.span
        var target: Span? = nil
        if let spanID {
            guard let node = nodes.first(where: { $0.span.spanID == spanID }) else { throw .noSuchSpan(spanID) }
            target = node.span
        }
        let focus = target ?? root
        let input = focus?.input ?? nodes.first(where: { $0.span.input != nil })?.span.input ?? .null
        let output = focus?.output
        var labels = run.labels
        for label in extraLabels where !labels.contains(label) { labels.append(label) }
        let eval = EvalRun(run)
        let expectedValue: JSONValue? =
            switch expected {
            case .unknown: nil
            case .text(let text): .string(text)
            case .fromOutput: output
            }
        self.init(
            id: spanID.map { "\(run.run.traceID):\($0)" } ?? run.run.traceID,
            input: input,
            expectedOutput: expectedValue,
            actualOutput: output,
            labels: labels,
            metadata: eval.metadata,
            scores: run.scores.map { Score(name: $0.name, value: $0.value, text: SummaryJSON.numberText($0)) },
            source: Source(
                traceID: run.run.traceID,
                spanID: target?.spanID,
                spanName: target?.name,
                file: root?.source.file.isEmpty == false ? root?.source.file : nil,
                format: root?.sourceFormat
            )
        )
    }

    /// The row as a JSON value, keys in a fixed order.
    public var json: JSONValue {
        var source: [(key: String, value: JSONValue)] = [("trace_id", .string(self.source.traceID))]
        source.append(("span_id", self.source.spanID.map { .string($0) } ?? .null))
        if let name = self.source.spanName { source.append(("span_name", .string(name))) }
        if let file = self.source.file { source.append(("file", .string(file))) }
        if let format = self.source.format { source.append(("format", .string(format))) }
        return .object(
            JSONObject([
                ("id", .string(id)),
                ("input", input),
                ("expected_output", expectedOutput ?? .null),
                ("actual_output", actualOutput ?? .null),
                ("labels", .array(labels.map { .string($0) })),
                ("metadata", .object(metadata)),
                (
                    "scores",
                    .object(JSONObject(scores.map { ($0.name, .number(JSONNumber(text: SummaryJSON.numberText($0)))) }))
                ),
                ("source", .object(JSONObject(source))),
            ]))
    }

    /// The row as one line of JSON, with a final newline.
    public var line: String {
        JSONWriter.write(json, pretty: false) + "\n"
    }

    /// Reads a dataset: one case per line. Lines that are not cases are errors naming the line.
    public static func read(_ bytes: [UInt8], file: String) -> (cases: [EvalCase], diagnostics: [Diagnostic]) {
        let parsed = JSONStreamParser.parse(bytes)
        var diagnostics = parsed.errors.map {
            Diagnostic(
                .error, at: SourceLocation(file: file, line: $0.line),
                "\($0.message) (column \($0.column)); line skipped")
        }
        var cases: [EvalCase] = []
        for record in parsed.records {
            let at = SourceLocation(file: file, line: record.line)
            guard case .object(let o) = record.value, let id = o["id"]?.stringValue, let input = o["input"],
                case .object(let source)? = o["source"], let traceID = source["trace_id"]?.stringValue
            else {
                diagnostics.append(
                    Diagnostic(.error, at: at, "expected an eval case with id, input and source.trace_id"))
                continue
            }
            var scores: [Score] = []
            for member in o["scores"]?.objectValue?.members ?? [] {
                if case .number(let n) = member.value {
                    scores.append(Score(name: member.key, value: n.double, text: n.text))
                }
            }
            cases.append(
                EvalCase(
                    id: id,
                    input: input,
                    expectedOutput: o["expected_output"].flatMap { $0.isNull ? nil : $0 },
                    actualOutput: o["actual_output"].flatMap { $0.isNull ? nil : $0 },
                    labels: o["labels"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    metadata: o["metadata"]?.objectValue ?? JSONObject(),
                    scores: scores,
                    source: Source(
                        traceID: traceID,
                        spanID: source["span_id"]?.stringValue,
                        spanName: source["span_name"]?.stringValue,
                        file: source["file"]?.stringValue,
                        format: source["format"]?.stringValue
                    )
                )
            )
        }
        diagnostics.sort { $0.location.line < $1.location.line }
        return (cases, diagnostics)
    }
}
