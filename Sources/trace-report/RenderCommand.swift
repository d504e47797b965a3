import ArgumentParser
import Foundation
import TraceFormats
import TraceHTML
import TraceJSON
import TraceModel

/// `trace-report render FILE... -o DIR`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render trace files into an HTML report folder.",
        discussion: """
            Spans of one run may be spread over several lines and files, in any order. A line that \
            cannot be read is reported on standard error as FILE:LINE: error: … and skipped; every \
            other run still renders. Repairs (orphan spans, cycles, duplicate records, clock skew) \
            are reported as warnings.

            Files are written atomically: a page is replaced only once its new contents are complete.

            EXIT STATUS
              0   the report was written (skipped lines and repairs are reported on standard error)
              1   nothing could be rendered, an input could not be read, or the report could not be \
            written; with --strict, also when any line was skipped or repaired
              64  the command line is wrong
            """
    )

    @Argument(help: ArgumentHelp("Trace files to read; - reads standard input.", valueName: "file"))
    var files: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The folder to write the report into.", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("The input format, instead of detecting it from each file's first value: \(TraceFormats.ids.joined(separator: ", ")).", valueName: "name"))
    var format: String?

    @Option(help: "The index page's title.")
    var title: String = "Trace report"

    @Option(help: ArgumentHelp("Threads to use (default: all cores).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "Exit with status 1 when any line was skipped or any span repaired.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only errors, and no warnings or summary.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one trace file, or - for standard input") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if let format, TraceFormats.named(format) == nil {
            throw ValidationError("unknown format '\(format)'; the formats are: \(TraceFormats.ids.joined(separator: ", "))")
        }
    }

    func run() throws {
        let jobs = self.jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let printer = DiagnosticPrinter(quiet: quiet)
        var timings = PhaseTimings(enabled: ProcessInfo.processInfo.environment["TRACE_REPORT_TIMINGS"] == "1")

        // Read: every input must be readable before anything is written.
        var inputs: [InputFile] = []
        for path in files {
            do {
                inputs.append(try InputFile(path: path))
            } catch let error as MappedFileError {
                printer.fatal("\(path): error: cannot read: \(error.reason)")
                throw ExitCode(1)
            } catch {
                printer.fatal("\(path): error: cannot read: \(error)")
                throw ExitCode(1)
            }
        }

        // Decode, assemble, analyze, render.
        var decoded = DecodedTrace()
        let decoder = TraceDecoder(format: format.flatMap(TraceFormats.named), candidates: TraceFormats.all, jobs: jobs)
        for input in inputs {
            decoded.append(input.withUnsafeBytes { decoder.decode($0, file: input.displayName) })
        }
        inputs.removeAll()
        timings.mark("read+decode")
        let spanCount = decoded.spans.count
        let (runs, repairs) = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo)
        decoded.spans.removeAll()
        timings.mark("assemble")
        let analyzed = RunAnalyzer().analyze(runs, jobs: jobs)
        timings.mark("analyze")
        let diagnostics = decoded.diagnostics + repairs
        printer.print(diagnostics)

        guard !analyzed.isEmpty else {
            printer.fatal("error: no spans could be read from \(files.joined(separator: ", ")); nothing was written")
            throw ExitCode(1)
        }
        let report = ReportRenderer(options: ReportOptions(title: title, parallelism: jobs)).render(analyzed)
        timings.mark("render")

        // Write.
        do {
            try ReportWriter(outputDirectory: output).write(report)
        } catch {
            printer.fatal("\(output): error: \(error)")
            throw ExitCode(1)
        }
        timings.mark("write")
        timings.report()
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let indexPath = (output as NSString).appendingPathComponent("index.html")
        printer.summary(
            "rendered \(analyzed.count) run\(analyzed.count == 1 ? "" : "s") (\(spanCount) span record\(spanCount == 1 ? "" : "s")) "
                + "with \(errors) skipped line\(errors == 1 ? "" : "s") and \(warnings) warning\(warnings == 1 ? "" : "s"); open \(indexPath)"
        )
        if strict && !diagnostics.isEmpty { throw ExitCode(1) }
    }
}
