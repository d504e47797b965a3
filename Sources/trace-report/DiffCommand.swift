import ArgumentParser
import Foundation
import TraceEval
import TraceFormats
import TraceHTML
import TraceModel
import TraceReportCore

/// `trace-report diff OLD NEW -o DIR`: two runs of the same task compared span by span.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare runs span by span: one self-contained HTML page per pair of runs.",
        discussion: """
            OLD and NEW are trace files in any supported format. Each run of NEW is paired with a run \
            of OLD as `render --baseline` pairs them (--match-on, by trace id by default); when each \
            file has one run, or --run and --baseline-run pick one from each, those two are paired. \
            Each pair gets a page, <dir>/<run>.html: the two span trees aligned by name and order \
            (moved, added and removed spans shown), what changed on each span (input and output as \
            a line diff, model, status, duration, tokens, cost), and the first difference that \
            leads to a different final output. With several pairs, <dir>/index.html lists them. \
            The pages open from disk and make no network request.

            EXIT STATUS
              0   the diff pages were written
              1   an input could not be read, a picked run is not there, no run could be paired, \
            or the pages could not be written; nothing is written then
              64  the command line is wrong
            """
    )

    @Argument(help: ArgumentHelp("The baseline trace file; - reads standard input.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The trace file to compare with it; - reads standard input.", valueName: "new"))
    var new: String

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The folder to write the diff pages into.", valueName: "dir"))
    var output: String

    @Option(name: .customLong("run"), help: ArgumentHelp("The run of NEW to compare (its trace id).", valueName: "id"))
    var runID: String?

    @Option(
        name: .customLong("baseline-run"),
        help: ArgumentHelp("The run of OLD to compare with (its trace id).", valueName: "id"))
    var baselineRunID: String?

    @Option(
        name: .customLong("match-on"),
        help: ArgumentHelp(
            "How runs are paired when the files have several: trace_id, name, or metadata.KEY.", valueName: "key"))
    var matchOn: String = "trace_id"

    @Option(
        help: ArgumentHelp(
            "The input format, instead of detecting it from each file's first value: \(TraceFormats.ids.joined(separator: ", ")).",
            valueName: "name"))
    var format: String?

    @Option(help: "The index page's title.")
    var title: String = "Run diffs"

    @Option(help: ArgumentHelp("Threads to use (default: all cores).", valueName: "n"))
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Print only errors, and no warnings or summary.")
    var quiet = false

    @OptionGroup(title: "Sharing")
    var redaction: RedactionArguments

    func validate() throws {
        do { try ReportWriter.checkOutputPath(output) } catch { throw ValidationError("\(error)") }
        if old == "-" && new == "-" { throw ValidationError("standard input (-) can be read only once") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let format, TraceFormats.named(format) == nil {
            throw ValidationError(
                "unknown format '\(format)'; the formats are: \(TraceFormats.ids.joined(separator: ", "))")
        }
        _ = try redaction.redactor()
    }

    func run() throws {
        let jobs = self.jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let printer = DiagnosticPrinter(quiet: quiet)
        let loader = TraceLoader(format: format.flatMap(TraceFormats.named), jobs: jobs)

        // Read both before anything is written.
        let inputs: [TraceInput]
        do {
            inputs = try TraceLoader.open([old, new])
        } catch {
            printer.fatal("\(error.path): error: cannot read: \(error.reason)")
            throw ExitCode(1)
        }
        var action = DiffAction(pipeline: loader.pipeline, title: title)
        action.baselineRunID = baselineRunID
        action.runID = runID
        action.matchOn = matchOn
        action.redactor = try redaction.redactor()
        action.names = (old, new)
        let result: DiffAction.Result
        do {
            result = try action.run(old: inputs[0], new: inputs[1])
        } catch {
            printer.print(error.diagnostics)
            printer.fatal(error.message)
            throw ExitCode(1)
        }
        printer.print(result.diagnostics)
        if result.unpaired > 0 {
            let unpaired = result.unpaired
            printer.summary(
                "\(unpaired) run\(unpaired == 1 ? "" : "s") of \(new) match\(unpaired == 1 ? "es" : "") no run of \(old) on \(matchOn)"
            )
        }
        do {
            try ReportWriter(outputDirectory: output, inputs: [old, new]).write(result.files)
        } catch {
            printer.fatal("\(output): error: \(error)")
            throw ExitCode(1)
        }
        printer.summary(
            "compared \(result.pairs) pair\(result.pairs == 1 ? "" : "s") of runs; the final output or status differs in \(result.differing); open \((output as NSString).appendingPathComponent(result.entry))"
        )
    }
}
