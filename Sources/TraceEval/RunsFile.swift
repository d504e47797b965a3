import TraceJSON
public import TraceModel

/// `runs.jsonl`, the machine-readable list of a report's runs that `trace-report merge` reads.
///
/// One line per run, in index order, holding what the index, `summary.json`, JUnit and the
/// Markdown summary are computed from: the run's eval view (``EvalRun``) and the totals of its
/// analysis. Each line starts with the marker key `trace_report_run` and has no `trace_id` key,
/// so it is never mistaken for a trace. Numbers are written in Swift's shortest round-trip form,
/// so a merge computes exactly what one render of all the inputs computes.
public enum RunsFile {
    /// The marker key (and format version) of each line.
    public static let marker = "trace_report_run"
    /// The file's name in a report folder.
    public static let fileName = "runs.jsonl"

    /// One run as recorded.
    public struct Record: Sendable, Equatable {
        public var eval: EvalRun
        /// The root span's start, which orders runs in the index.
        public var rootStartUnixNano: Int64?
        public var startUnixNano: Int64?
        public var endUnixNano: Int64?
        public var spanCount: Int
        public var errorCount: Int
        public var inputTokens: Int64
        public var outputTokens: Int64
        public var totalTokens: Int64
        public var hasTokens: Bool
        public var totalCost: Double
        public var hasCost: Bool
        /// The scores as the index shows them (the analysis's, in its order).
        public var scores: [Score]
        public var labels: [String]
        /// The signature of the error that failed the run, for grouping recurring failures.
        public var failureSignature: String?
        /// The index row's searchable text: metadata values and input, output and expected previews.
        public var rowText = RowText()

        /// The record of an analyzed run and its eval view.
        public init(_ run: AnalyzedRun, eval: EvalRun) {
            self.eval = eval
            rootStartUnixNano = run.run.nodes.first?.span.startTimeUnixNano
            startUnixNano = run.startTimeUnixNano
            endUnixNano = run.endTimeUnixNano
            spanCount = run.run.nodes.count
            errorCount = run.errorCount
            inputTokens = run.inputTokens
            outputTokens = run.outputTokens
            totalTokens = run.totalTokens
            hasTokens = run.hasTokens
            totalCost = run.totalCost
            hasCost = run.hasCost
            scores = run.scores
            labels = run.labels
            failureSignature = FailureGroups.errorSignature(of: run)
        }

        /// What grouping recurring failures needs of this run.
        public var failureCandidate: FailureGroups.Candidate {
            FailureGroups.Candidate(
                traceID: eval.traceID, name: eval.name, page: eval.page, startTimeUnixNano: startUnixNano,
                errorSignature: failureSignature, scores: scores, labels: labels)
        }

        /// An analyzed run that renders the same index row as the run this record was made from.
        ///
        /// It holds no span content: its nodes are placeholders that only count the spans.
        public func indexRun() -> AnalyzedRun {
            let placeholder = SpanNode(
                span: Span(traceID: eval.traceID, spanID: "", name: eval.name, startTimeUnixNano: rootStartUnixNano),
                parent: nil, depth: 0, subtreeEnd: 1)
            var analyzed = RunAnalyzer().analyze(Run(traceID: eval.traceID, nodes: [placeholder]))
            analyzed.run = Run(traceID: eval.traceID, nodes: Array(repeating: placeholder, count: max(1, spanCount)))
            analyzed.name = eval.name
            analyzed.status = RunStatus(rawValue: eval.status) ?? .ok
            analyzed.startTimeUnixNano = startUnixNano
            analyzed.endTimeUnixNano = endUnixNano
            analyzed.errorCount = errorCount
            analyzed.inputTokens = inputTokens
            analyzed.outputTokens = outputTokens
            analyzed.totalTokens = totalTokens
            analyzed.hasTokens = hasTokens
            analyzed.totalCost = totalCost
            analyzed.hasCost = hasCost
            analyzed.scores = scores
            analyzed.labels = labels
            return analyzed
        }
    }

    /// The file's text: one line per record.
    public static func write(_ records: [Record]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            out += JSONWriter.bytes(.object(object(record)), pretty: false)
            out.append(0x0A)
        }
        return out
    }

    private static func object(_ r: Record) -> JSONObject {
        func int(_ v: Int64?) -> JSONValue { v.map { .number(JSONNumber(text: String($0))) } ?? .null }
        func double(_ v: Double) -> JSONValue { v.isFinite ? .number(JSONNumber(text: "\(v)")) : .string("\(v)") }
        func scores(_ list: [Score]) -> JSONValue {
            .array(
                list.map { s in
                    var o = JSONObject([
                        ("name", .string(s.name)), ("value", double(s.value)), ("text", .string(s.text)),
                    ])
                    if let origin = s.origin { o.members.append(("origin", .string(origin))) }
                    if let comment = s.comment { o.members.append(("comment", .string(comment))) }
                    return .object(o)
                })
        }
        let e = r.eval
        return JSONObject([
            (marker, .number(JSONNumber(1))),
            ("id", .string(e.traceID)),
            ("name", .string(e.name)),
            ("status", .string(e.status)),
            ("page", e.page.map(JSONValue.string) ?? .null),
            ("root_start_ns", int(r.rootStartUnixNano)),
            ("start_ns", int(r.startUnixNano)),
            ("end_ns", int(r.endUnixNano)),
            ("duration_ns", int(e.durationNanos)),
            ("spans", int(Int64(r.spanCount))),
            ("errors", int(Int64(r.errorCount))),
            ("input_tokens", int(r.inputTokens)),
            ("output_tokens", int(r.outputTokens)),
            ("total_tokens", int(r.totalTokens)),
            ("has_tokens", .bool(r.hasTokens)),
            ("cost", double(r.totalCost)),
            ("has_cost", .bool(r.hasCost)),
            ("scores", scores(r.scores)),
            ("labels", .array(r.labels.map(JSONValue.string))),
            ("eval_scores", scores(e.scores)),
            ("eval_labels", .array(e.labels.map(JSONValue.string))),
            ("metadata", .object(e.metadata)),
            ("first_error", e.firstError.map(JSONValue.string) ?? .null),
            ("failure", r.failureSignature.map(JSONValue.string) ?? .null),
            (
                "eval_tokens",
                e.tokens.map { t in
                    .object(JSONObject([("input", int(t.input)), ("output", int(t.output)), ("total", int(t.total))]))
                } ?? .null
            ),
            ("eval_cost", e.cost.map(double) ?? .null),
            ("row_metadata", r.rowText.metadata.map(JSONValue.string) ?? .null),
            ("row_input", r.rowText.input.map(JSONValue.string) ?? .null),
            ("row_output", r.rowText.output.map(JSONValue.string) ?? .null),
            ("row_expected", r.rowText.expected.map(JSONValue.string) ?? .null),
        ])
    }

    /// Why a line could not be read.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The records of a runs file.
    ///
    /// - Throws: ``Failure`` for the first line that is not a run record; a merge needs them all.
    public static func read(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        let parsed = JSONStreamParser.parse(bytes)
        if let error = parsed.errors.first { throw Failure(line: error.line, message: error.message) }
        var records: [Record] = []
        for record in parsed.records {
            guard let o = record.value.objectValue, o[marker] != nil else {
                throw Failure(line: record.line, message: "not a run record (no \"\(marker)\" key)")
            }
            do {
                records.append(try decode(o))
            } catch {
                throw Failure(line: record.line, message: error.message)
            }
        }
        return records
    }

    private struct FieldError: Error { var message: String }

    private static func decode(_ o: JSONObject) throws(FieldError) -> Record {
        func string(_ key: String) throws(FieldError) -> String {
            guard let s = o[key]?.stringValue else { throw FieldError(message: "\"\(key)\" must be a string") }
            return s
        }
        func int(_ key: String) throws(FieldError) -> Int64? {
            switch o[key] {
            case nil, .null?: return nil
            case .number(let n)?:
                guard let v = Int64(n.text) else { throw FieldError(message: "\"\(key)\" must be a whole number") }
                return v
            default: throw FieldError(message: "\"\(key)\" must be a number")
            }
        }
        func double(_ value: JSONValue?, _ key: String) throws(FieldError) -> Double {
            switch value {
            case .number(let n)?: return n.double
            case .string(let s)?: if let d = Double(s) { return d }
            default: break
            }
            throw FieldError(message: "\"\(key)\" must be a number")
        }
        func bool(_ key: String) throws(FieldError) -> Bool {
            guard case .bool(let b)? = o[key] else { throw FieldError(message: "\"\(key)\" must be true or false") }
            return b
        }
        func strings(_ key: String) throws(FieldError) -> [String] {
            guard let items = o[key]?.arrayValue else {
                throw FieldError(message: "\"\(key)\" must be an array of strings")
            }
            var out: [String] = []
            for item in items {
                guard let s = item.stringValue else {
                    throw FieldError(message: "\"\(key)\" must be an array of strings")
                }
                out.append(s)
            }
            return out
        }
        func scores(_ key: String) throws(FieldError) -> [Score] {
            guard let items = o[key]?.arrayValue else { throw FieldError(message: "\"\(key)\" must be an array") }
            var out: [Score] = []
            for item in items {
                guard let name = item["name"]?.stringValue, let text = item["text"]?.stringValue else {
                    throw FieldError(message: "\"\(key)\" entries need \"name\" and \"text\"")
                }
                let value = try double(item["value"], key + ".value")
                out.append(
                    Score(
                        name: name, value: value, text: text, origin: item["origin"]?.stringValue,
                        comment: item["comment"]?.stringValue))
            }
            return out
        }
        guard let metadata = o["metadata"]?.objectValue else {
            throw FieldError(message: "\"metadata\" must be an object")
        }
        var eval = EvalRun(
            traceID: try string("id"),
            name: try string("name"),
            status: try string("status"),
            durationNanos: try int("duration_ns"),
            scores: try scores("eval_scores"),
            labels: try strings("eval_labels"),
            metadata: metadata,
            firstError: o["first_error"]?.stringValue,
            page: o["page"]?.stringValue
        )
        eval.tokens = SummaryJSON.tokens(o["eval_tokens"])
        if o["eval_cost"] != nil, o["eval_cost"] != .null { eval.cost = try double(o["eval_cost"], "eval_cost") }
        var record = Record(empty: eval)
        record.rootStartUnixNano = try int("root_start_ns")
        record.startUnixNano = try int("start_ns")
        record.endUnixNano = try int("end_ns")
        record.spanCount = Int(try int("spans") ?? 1)
        record.errorCount = Int(try int("errors") ?? 0)
        record.inputTokens = try int("input_tokens") ?? 0
        record.outputTokens = try int("output_tokens") ?? 0
        record.totalTokens = try int("total_tokens") ?? 0
        record.hasTokens = try bool("has_tokens")
        record.totalCost = try double(o["cost"], "cost")
        record.hasCost = try bool("has_cost")
        record.scores = try scores("scores")
        record.labels = try strings("labels")
        record.failureSignature = o["failure"]?.stringValue
        record.rowText = RowText(
            metadata: o["row_metadata"]?.stringValue, input: o["row_input"]?.stringValue,
            output: o["row_output"]?.stringValue, expected: o["row_expected"]?.stringValue)
        return record
    }
}

extension RunsFile.Record {
    init(empty eval: EvalRun) {
        self.eval = eval
        rootStartUnixNano = nil
        startUnixNano = nil
        endUnixNano = nil
        spanCount = 1
        errorCount = 0
        inputTokens = 0
        outputTokens = 0
        totalTokens = 0
        hasTokens = false
        totalCost = 0
        hasCost = false
        scores = []
        labels = []
        failureSignature = nil
    }
}

/// The text an index row shows beside a run's name, kept in `runs.jsonl` so that a merge of shard
/// reports writes the same rows: metadata values (hidden, for the filter) and one-line previews of
/// the run's input, output and expected output, each already folded to one line.
public struct RowText: Sendable, Equatable {
    public var metadata: String?
    public var input: String?
    public var output: String?
    public var expected: String?

    public init(metadata: String? = nil, input: String? = nil, output: String? = nil, expected: String? = nil) {
        self.metadata = metadata
        self.input = input
        self.output = output
        self.expected = expected
    }
}
