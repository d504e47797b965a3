public import TraceEval
public import TraceHTML
import TraceJSON
public import TraceModel

/// `render` as a value: opened inputs and options in; the report's files, diagnostics and eval
/// results out. It never touches the disk: the caller opens the inputs and writes the files.
///
/// It runs in two steps so that a report is written only once it can be made:
/// ``prepare(_:)`` loads, selects and evaluates, and fails with ``Failure`` before anything is
/// written; ``Prepared/write(to:)`` renders the files and hands them over a batch at a time,
/// the index last.
public struct RenderAction {
    /// How inputs are decoded, assembled and analyzed.
    public var pipeline: Pipeline
    /// The report: title, pages, page format thresholds.
    public var report: ReportOptions
    /// Thresholds, facets, matching and gates.
    public var eval = EvalOptions()
    /// Scores files, each with the name to report problems under.
    public var scores: [(file: String, bytes: [UInt8])] = []
    /// The previous runs to compare with: trace files, or a previous report's `summary.json`.
    public var baseline: [TraceInput] = []
    /// Which runs to render (`--where`, `--sample`, `--keep`).
    public var selection = RunSelection()
    /// Applied to every run (and baseline run) before anything is rendered.
    public var redactor: Redactor?
    /// Whether to write a span-by-span diff page for each run paired with a baseline trace.
    public var diffPages = true
    /// What the inputs and the baseline are called in messages (the paths as given).
    public var inputNames: [String] = []
    public var baselineNames: [String] = []
    /// Told when pages are rendered, for a progress line.
    public var onPageRendered: (@Sendable () -> Void)?

    /// Creates a render action.
    public init(pipeline: Pipeline, report: ReportOptions) {
        self.pipeline = pipeline
        self.report = report
    }

    /// Why nothing is written.
    public typealias Failure = ActionFailure

    /// A report that can be written.
    public struct Prepared {
        /// The runs rendered, in input order.
        public let runs: [AnalyzedRun]
        /// The eval results: scores, comparisons, gates.
        public let evalReport: EvalReport
        /// Problems with the inputs (skipped lines, repairs, scores for unknown runs).
        public let diagnostics: [Diagnostic]
        /// Problems with the baseline, shown but not counted as the inputs' problems.
        public let baselineDiagnostics: [Diagnostic]
        /// How many runs the inputs held, when a selection rendered fewer.
        public let totalRuns: Int?
        /// Span records read from the inputs.
        public let spanRecords: Int
        let action: RenderAction
        let problems: ReportProblems
        let diffPairs: [DiffPair]
        /// Where the runs' released span inputs and outputs are read again, if loading released them.
        let contentSource: ContentSource?
    }

    /// Loads `inputs`, selects runs and evaluates them; fails before anything is written when
    /// a scores file has a bad line, nothing could be read, `--page` names no rendered run, a
    /// gate names a score no run has, or no run matches the baseline.
    public func prepare(_ inputs: consuming [TraceInput]) throws(Failure) -> Prepared {
        // Scores files are part of what gates judge: any bad line stops the command.
        var extraScores: [RunInfo] = []
        for source in scores {
            let (infos, problems) = ScoresFile.read(source.bytes, file: source.file)
            if !problems.isEmpty {
                throw Failure(
                    message:
                        "error: the scores file \(source.file) has \(problems.count) bad line\(problems.count == 1 ? "" : "s"); nothing was written",
                    diagnostics: problems)
            }
            extraScores += infos
        }

        // Large files release their spans' text once decoded, to be read again a batch of runs
        // at a time as pages are rendered; redaction and diff pages need every run whole.
        var pipeline = self.pipeline
        pipeline.releasesContent = redactor == nil && baseline.isEmpty
        var loaded = pipeline.load(consume inputs, extraRunInfo: extraScores)
        var redactor = self.redactor
        if redactor != nil { loaded.runs = redactor!.redact(loaded.runs) }
        var diagnostics = loaded.diagnostics
        let knownRuns = Set(loaded.runs.map(\.run.traceID))
        for info in extraScores where !knownRuns.contains(info.traceID) {
            diagnostics.append(
                Diagnostic(
                    .warning, at: SourceLocation(file: scores.map(\.file).joined(separator: ", "), line: 0),
                    "scores for trace \"\(info.traceID)\", which is not in the input"))
        }
        guard !loaded.runs.isEmpty else {
            throw Failure(
                message:
                    "error: no spans could be read from \(inputNames.joined(separator: ", ")); nothing was written",
                diagnostics: diagnostics)
        }

        let runs =
            selection.isActive
            ? selection.select(ReportRenderer.evalRuns(loaded.runs)).map { loaded.runs[$0] } : loaded.runs
        let totalRuns: Int? = selection.isActive ? loaded.runs.count : nil
        let reportedIDs = Set(runs.map(\.run.traceID))
        for id in report.pages where !reportedIDs.contains(id) {
            throw Failure(
                message: "error: --page names run '\(id)', which is not in the report; nothing was written",
                diagnostics: diagnostics)
        }

        let evalRuns = ReportRenderer.evalRuns(runs)
        if let message = Self.unknownGateScore(eval, runs: evalRuns) {
            throw Failure(message: message, diagnostics: diagnostics)
        }
        var baselineRuns: [EvalRun]? = nil
        var baselineTraces: [AnalyzedRun?] = []
        var baselineDiagnostics: [Diagnostic] = []
        if !baseline.isEmpty {
            let read = readBaseline()
            baselineDiagnostics = read.diagnostics
            if read.runs.isEmpty {
                throw Failure(
                    message:
                        "error: no runs could be read from the baseline \(baselineNames.joined(separator: ", ")); nothing was written",
                    diagnostics: diagnostics + baselineDiagnostics)
            }
            baselineRuns = read.runs.map { redactor?.redact($0) ?? $0 }
            baselineTraces = read.traces.map { trace in trace.map { redactor?.redact($0) ?? $0 } }
            let probe = EvalReport(runs: evalRuns, baseline: baselineRuns, options: eval)
            if probe.comparisons.allSatisfy({ $0.baseline == nil }) {
                throw Failure(
                    message:
                        "error: no run matches a baseline run on \(eval.matchOn) (\(evalRuns.count) runs, \(baselineRuns?.count ?? 0) in the baseline); check --match-on; nothing was written",
                    diagnostics: diagnostics + baselineDiagnostics)
            }
        }
        let evalReport = EvalReport(runs: evalRuns, baseline: baselineRuns, options: eval)

        // Diff pages: each run paired, as above, with a baseline run read from a trace file.
        var diffPairs: [DiffPair] = []
        if let baselineRuns, diffPages {
            let stems = ReportRenderer.fileStems(for: runs)
            let matches = EvalReport.baselineMatches(evalRuns, baseline: baselineRuns, matchOn: eval.matchOn)
            for (i, match) in matches.enumerated() {
                guard let match, let old = baselineTraces[match] else { continue }
                diffPairs.append(
                    DiffPair(old: old, new: runs[i], fileStem: stems[i], runPage: "../runs/\(stems[i]).html"))
            }
        }
        var action = self
        action.redactor = redactor
        return Prepared(
            runs: runs, evalReport: evalReport, diagnostics: diagnostics, baselineDiagnostics: baselineDiagnostics,
            totalRuns: totalRuns, spanRecords: loaded.spanRecords, action: action, problems: loaded.problems,
            diffPairs: diffPairs, contentSource: loaded.contentSource)
    }

    /// The message for a gate that names a score no run has, if one does.
    public static func unknownGateScore(_ options: EvalOptions, runs: [EvalRun]) -> String? {
        let scoreNames = Set(runs.flatMap { $0.scores.map(\.name) })
        for gate in options.gates {
            if let name = gate.scoreName, !scoreNames.contains(name) {
                let known = scoreNames.sorted().joined(separator: ", ")
                return
                    "error: \(gate) names score '\(name)', which no run has (the scores are: \(known.isEmpty ? "none" : known)); nothing was written"
            }
        }
        return nil
    }

    /// Baseline runs from `summary.json` files or trace files; with each, its spans when it was
    /// read from a trace file (for its diff page).
    private func readBaseline() -> (runs: [EvalRun], traces: [AnalyzedRun?], diagnostics: [Diagnostic]) {
        var runs: [EvalRun] = []
        var traces: [AnalyzedRun?] = []
        var diagnostics: [Diagnostic] = []
        var traceInputs: [TraceInput] = []
        for input in baseline {
            let summary = input.withUnsafeBytes { bytes -> JSONValue? in
                let parsed = JSONStreamParser.parse(bytes)
                if parsed.records.count == 1, SummaryJSON.isSummary(parsed.records[0].value) {
                    return parsed.records[0].value
                }
                return nil
            }.result
            if let summary {
                let (summaryRuns, problems) = SummaryJSON.runs(from: summary, file: input.displayName)
                diagnostics += problems
                runs += summaryRuns
                traces += [AnalyzedRun?](repeating: nil, count: summaryRuns.count)
            } else {
                traceInputs.append(input)
            }
        }
        if !traceInputs.isEmpty {
            var quiet = pipeline
            quiet.progress = nil
            let loaded = quiet.load(traceInputs)
            diagnostics += loaded.diagnostics.filter { $0.severity == .error }
            runs += ReportRenderer.evalRuns(loaded.runs)
            traces += loaded.runs.map { Optional($0) }
        }
        return (runs, traces, diagnostics)
    }
}

/// Why an action stopped before giving anything back: a message for the user, and the
/// problems found before it (to show first).
public struct ActionFailure: Error, Sendable, CustomStringConvertible {
    /// The message, ending with what was (not) written.
    public var message: String
    /// Problems found before the failure, to show before the message.
    public var diagnostics: [Diagnostic]

    public var description: String { message }
}

extension RenderAction.Prepared {
    /// Renders the report and hands its files to `write` a batch at a time: run pages, diff
    /// pages, `summary.json`, `runs.jsonl`, and the index last.
    public func write(to write: (OutputFile) throws -> Void) throws {
        let options = action.report
        let selectionText = action.selection.isActive ? action.selection.options : nil
        var renderer = ReportRenderer(options: options)
        renderer.options.totalRuns = totalRuns
        renderer.options.selection = selectionText
        renderer.options.redaction = action.redactor?.manifest
        renderer.options.diffPages = Set(diffPairs.map(\.fileStem))
        if let onPageRendered = action.onPageRendered { renderer.onPageRendered = onPageRendered }
        if let contentSource { renderer.complete = { contentSource.complete($0, jobs: $1) } }
        let rowTexts = try renderer.render(runs, eval: evalReport, problems: problems, into: write)
        if !diffPairs.isEmpty {
            let diffs = DiffRenderer(
                title: "Diffs: " + options.title, parallelism: options.parallelism, alwaysIndex: true,
                reportIndex: "../index.html", redaction: action.redactor?.manifest
            ).render(diffPairs)
            for file in diffs.files {
                try write(OutputFile(relativePath: "diff/" + file.relativePath, contents: file.contents))
            }
        }
        let evalRuns = evalReport.runs
        let failureGroups = FailureGroups(runs: runs, pages: evalRuns.map(\.page), eval: evalReport)
        try write(
            OutputFile(
                relativePath: "summary.json",
                contents: SummaryJSON.write(
                    evalReport, title: options.title, failureGroups: failureGroups, problems: problems,
                    totalRuns: totalRuns, selection: selectionText, redaction: action.redactor?.manifest)))
        let records = zip(runs, evalRuns).enumerated().map { i, pair in
            var record = RunsFile.Record(pair.0, eval: pair.1)
            record.rowText = rowTexts?[i] ?? ReportRenderer.rowText(pair.0)
            return record
        }
        try write(RunsFileOutput.file(records, jobs: options.parallelism))
    }
}
