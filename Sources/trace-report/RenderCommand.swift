import ArgumentParser
import CMalloc
import Foundation
import TraceEval
import TraceFormats
import TraceHTML
import TraceJSON
import TraceModel
import TraceReportCore

/// `trace-report render FILE... -o DIR`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render trace files into an HTML report folder.",
        discussion: """
            Spans of one run may be spread over several lines and files, in any order, and files of \
            different formats may be mixed; each file's format is detected from its first JSON value. \
            A line that cannot be read is reported on standard error as FILE:LINE: error: … and \
            skipped; every other run still renders. Repairs (orphan spans, cycles, duplicate records, \
            clock skew) are reported as warnings.

            The report folder also gets summary.json, a machine-readable summary that a later \
            --baseline can read, and runs.jsonl, which `trace-report merge` reads. Files are written atomically: a page is replaced only once its new \
            contents are complete.

            EXIT STATUS
              0   the report was written and every gate passed (skipped lines and repairs are \
            reported on standard error)
              1   nothing could be rendered, an input, scores file or baseline could not be read, a \
            gate names a score no run has, or the report could not be written; nothing is written \
            then. With --strict, also when any line was skipped or any span repaired (the report is \
            still written)
              2   the report was written, and a gate failed (one line per failed gate on standard \
            error)
              64  the command line is wrong
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Trace files or folders to read (gzip and zstd files are decompressed); - reads standard input.",
            valueName: "file"))
    var files: [String]

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The folder to write the report into.", valueName: "dir"))
    var output: String

    @Option(
        help: ArgumentHelp(
            "The input format, instead of detecting it from each file's first value: \(TraceFormats.ids.joined(separator: ", ")).",
            valueName: "name"))
    var format: String?

    @Option(help: "The index page's title.")
    var title: String = "Trace report"

    @Option(help: ArgumentHelp("Threads to use (default: all cores).", valueName: "n"))
    var jobs: Int?

    @Option(
        name: .customLong("page"),
        help: ArgumentHelp(
            "Also write this run's own page under runs/ in a report of more than 2,000 runs (repeatable).",
            valueName: "trace-id"))
    var pages: [String] = []

    @Flag(help: "Write every run's own page under runs/, however many runs there are.")
    var allPages = false

    @Option(help: .hidden)
    var largeReportRuns: Int = ReportOptions.defaultLargeReportRuns

    @Flag(help: "Exit with status 1 when any line was skipped or any span repaired.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only errors, and no warnings or summary.")
    var quiet = false

    @OptionGroup(title: "Evals")
    var eval: EvalArguments

    @Flag(
        name: .customLong("no-diff-pages"),
        help:
            "With a --baseline of trace files, write no span-by-span diff pages (diff/) and no links to them, as `merge` of shard reports does."
    )
    var noDiffPages = false

    @OptionGroup(title: "Selecting runs")
    var select: SelectionArguments

    @OptionGroup(title: "Sharing")
    var redaction: RedactionArguments

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one trace file, or - for standard input") }
        do { try ReportWriter.checkOutputPath(output) } catch { throw ValidationError("\(error)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if let format, TraceFormats.named(format) == nil {
            throw ValidationError(
                "unknown format '\(format)'; the formats are: \(TraceFormats.ids.joined(separator: ", "))")
        }
        _ = try eval.options()
        _ = try select.selection()
        _ = try redaction.redactor()
    }

    func run() throws {
        let jobs = self.jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let printer = DiagnosticPrinter(quiet: quiet)
        var timings = PhaseTimings(enabled: ProcessInfo.processInfo.environment["TRACE_REPORT_TIMINGS"] == "1")
        var loader = TraceLoader(format: format.flatMap(TraceFormats.named), jobs: jobs)

        // Read: every input must be readable before anything is written.
        let inputs: [TraceInput]
        let baselineInputs: [TraceInput]
        var scoresFiles: [(file: String, bytes: [UInt8])] = []
        do {
            let expanded = InputExpansion.expand(files)
            expanded.notes.forEach(printer.summary)
            inputs = try TraceLoader.open(expanded.paths)
        } catch {
            printer.fatal("\(error.path): error: cannot read: \(error.reason)")
            throw ExitCode(1)
        }
        for path in eval.scores {
            guard let data = FileManager.default.contents(atPath: path) else {
                printer.fatal("\(path): error: cannot read scores file")
                throw ExitCode(1)
            }
            scoresFiles.append((path, [UInt8](data)))
        }
        do {
            // A previous report's folder stands for its summary.json.
            baselineInputs = try TraceLoader.open(
                eval.baseline.map { InputExpansion.isDirectory($0) ? $0 + "/summary.json" : $0 })
        } catch {
            printer.fatal("\(error.path): error: cannot read baseline: \(error.reason)")
            throw ExitCode(1)
        }
        let progress = ProgressLine(
            totalBytes: inputs.reduce(0) { $0 + Int64($1.byteCount) }, enabled: ProgressLine.wanted(quiet: quiet))
        defer { progress.finish() }
        loader.progress = progress

        // Decode, assemble, analyze, select and evaluate: the library's render action.
        var action = RenderAction(
            pipeline: loader.pipeline,
            report: ReportOptions(
                title: title, parallelism: jobs, largeReportRuns: largeReportRuns, pages: pages, allPages: allPages))
        action.eval = try eval.options()
        action.scores = scoresFiles
        action.baseline = baselineInputs
        action.selection = try select.selection()
        action.redactor = try redaction.redactor()
        action.diffPages = !noDiffPages
        action.inputNames = files
        action.baselineNames = eval.baseline
        action.onPageRendered = { progress.runRendered() }
        let prepared: RenderAction.Prepared
        do {
            prepared = try action.prepare(consume inputs)
        } catch {
            progress.interrupt { printer.print(error.diagnostics) }
            printer.fatal(error.message)
            throw ExitCode(1)
        }
        timings.mark("read+decode+assemble+analyze")
        trace_report_trim_freed_memory()
        progress.interrupt { printer.print(prepared.diagnostics + prepared.baselineDiagnostics) }

        // Render and write: run pages go to disk a batch at a time as they are rendered (the
        // index last), so the report is never held whole in memory.
        progress.setTotalRuns(prepared.runs.count)
        let session = try ReportOutput.guarded(output: output, printer: printer) {
            try ReportWriter(outputDirectory: output, inputs: self.files + eval.scores + eval.baseline).begin()
        }
        try ReportOutput.guarded(output: output, printer: printer) {
            try prepared.write { try session.write($0) }
        }
        timings.mark("render+write")
        let report = prepared.evalReport
        try ReportOutput.finish(session, output: output, report: report, title: title, eval: eval, printer: printer)
        timings.mark("index+summaries")
        progress.finish()
        timings.report()
        let diagnostics = prepared.diagnostics
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let indexPath = (output as NSString).appendingPathComponent("index.html")
        let runCount = prepared.runs.count
        let totalRuns = prepared.totalRuns
        let outOf = totalRuns.map { " of \($0)" } ?? ""
        printer.summary(
            "rendered \(runCount)\(outOf) run\(runCount == 1 && totalRuns == nil ? "" : "s") (\(prepared.spanRecords) span record\(prepared.spanRecords == 1 ? "" : "s")) "
                + "with \(errors) skipped line\(errors == 1 ? "" : "s") and \(warnings) warning\(warnings == 1 ? "" : "s"); open \(indexPath)"
        )
        try ReportOutput.checkGates(report, printer: printer)
        if strict && !diagnostics.isEmpty { throw ExitCode(1) }
    }
}

/// The eval options of `render`.
struct EvalArguments: ParsableArguments {
    @Option(
        name: .customLong("scores"),
        help: ArgumentHelp(
            "A JSON Lines file of scores computed after the run: {\"trace_id\", \"name\", \"value\", \"comment\"}. Repeatable.",
            valueName: "file"))
    var scores: [String] = []

    @Option(
        name: .customLong("baseline"),
        help: ArgumentHelp(
            "Trace files or a previous report's summary.json to compare scores with. Repeatable.", valueName: "file"))
    var baseline: [String] = []

    @Option(
        name: .customLong("match-on"),
        help: ArgumentHelp("How runs match baseline runs: trace_id, name, or metadata.KEY.", valueName: "key"))
    var matchOn: String = "trace_id"

    @Option(
        name: .customLong("facet"),
        help: ArgumentHelp(
            "Group runs by a metadata key (release or metadata.user_tier), name or status. Repeatable.",
            valueName: "key"))
    var facets: [String] = []

    @Option(
        name: .customLong("threshold"),
        help: ArgumentHelp(
            "A score's pass threshold, NAME=VALUE (default: the --fail-under value, or 0.5 for 0–1 scores). Repeatable.",
            valueName: "name=value"))
    var thresholds: [String] = []

    @Option(
        name: .customLong("fail-under"),
        help: ArgumentHelp("Exit 2 when the mean of a score is below VALUE. Repeatable.", valueName: "name=value"))
    var failUnder: [String] = []

    @Option(
        name: .customLong("fail-on-regression"),
        help: ArgumentHelp(
            "Exit 2 when a run lost more than TOLERANCE (default 0) on a score against --baseline. Repeatable.",
            valueName: "name[=tolerance]"))
    var failOnRegression: [String] = []

    @Flag(name: .customLong("fail-on-error"), help: "Exit 2 when any run failed.")
    var failOnError = false

    @Option(
        name: .customLong("junit"),
        help: ArgumentHelp("Also write a JUnit XML report, one test case per run.", valueName: "file"))
    var junit: String?

    @Option(
        name: .customLong("summary"),
        help: ArgumentHelp(
            "Also write a Markdown summary (default: append to $GITHUB_STEP_SUMMARY when set).", valueName: "file"))
    var summary: String?

    func options() throws -> EvalOptions {
        var gates: [Gate] = []
        for text in failUnder {
            guard let gate = Gate.failUnder(parsing: text) else {
                throw ValidationError("--fail-under takes NAME=VALUE, got '\(text)'")
            }
            gates.append(gate)
        }
        for text in failOnRegression {
            guard let gate = Gate.failOnRegression(parsing: text) else {
                throw ValidationError("--fail-on-regression takes NAME or NAME=TOLERANCE, got '\(text)'")
            }
            gates.append(gate)
        }
        if !failOnRegression.isEmpty && baseline.isEmpty {
            throw ValidationError("--fail-on-regression needs --baseline")
        }
        if failOnError { gates.append(.failOnError) }
        var thresholdValues: [String: Double] = [:]
        for text in thresholds {
            guard case .failUnder(let name, let value)? = Gate.failUnder(parsing: text) else {
                throw ValidationError("--threshold takes NAME=VALUE, got '\(text)'")
            }
            thresholdValues[name] = value
        }
        return EvalOptions(thresholds: thresholdValues, facets: facets, matchOn: matchOn, gates: gates)
    }
}
