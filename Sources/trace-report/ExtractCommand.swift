import ArgumentParser
import Foundation
import TraceEval
import TraceFormats
import TraceModel
import TraceReportCore

/// `trace-report extract FILE... --run ID --label TEXT`: a failing run becomes a regression case.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Turn a run into a regression eval case: one JSON Lines dataset row.",
        discussion: """
            The row holds the run's (or one span's) input, the expected output, the run's metadata \
            and scores, the labels, and a reference to the source trace and span. The dataset format \
            is described in docs/dataset-format.md. With -o the row is appended to the file; \
            otherwise it is printed.

            EXIT STATUS
              0   the row was written
              1   the input could not be read, or it has no such run or span
              64  the command line is wrong
            """
    )

    @Argument(help: ArgumentHelp("Trace files to read; - reads standard input.", valueName: "file"))
    var files: [String]

    @Option(name: .customLong("run"), help: ArgumentHelp("The run's trace id.", valueName: "id"))
    var runID: String

    @Option(
        help: ArgumentHelp("A span of the run the case is about (its input becomes the case's input).", valueName: "id")
    )
    var span: String?

    @Option(
        help: ArgumentHelp("A root-cause label, such as \"stale policy retrieval\". Repeatable.", valueName: "text"))
    var label: [String] = []

    @Option(help: ArgumentHelp("The output the agent should have given.", valueName: "text"))
    var expected: String?

    @Flag(help: "Take the expected output from the run's (or span's) output, to pin behaviour that is right.")
    var expectedFromOutput = false

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The dataset file to append the row to.", valueName: "dataset.jsonl"))
    var output: String?

    @Option(help: ArgumentHelp("The input format (default: detected per file).", valueName: "name"))
    var format: String?

    @OptionGroup(title: "Sharing")
    var redaction: RedactionArguments

    func validate() throws {
        if expected != nil && expectedFromOutput {
            throw ValidationError("give --expected or --expected-from-output, not both")
        }
        if let format, TraceFormats.named(format) == nil {
            throw ValidationError(
                "unknown format '\(format)'; the formats are: \(TraceFormats.ids.joined(separator: ", "))")
        }
        _ = try redaction.redactor()
    }

    func run() throws {
        let printer = DiagnosticPrinter(quiet: false)
        let inputs: [TraceInput]
        do {
            inputs = try TraceLoader.open(InputExpansion.expand(files).paths)
        } catch {
            printer.fatal("\(error.path): error: cannot read: \(error.reason)")
            throw ExitCode(1)
        }
        var action = ExtractAction(
            pipeline: TraceLoader(format: format.flatMap(TraceFormats.named), jobs: 1).pipeline, runID: runID)
        action.spanID = span
        action.labels = label
        action.expected = expectedFromOutput ? .fromOutput : (expected.map { .text($0) } ?? .unknown)
        action.redactor = try redaction.redactor()
        action.inputNames = files
        let row: EvalCase
        do {
            let made = try action.run(inputs)
            printer.print(made.diagnostics)
            row = made.eval
        } catch {
            printer.print(error.diagnostics)
            printer.fatal(error.message)
            throw ExitCode(1)
        }
        let line = Array(row.line.utf8)
        if let output {
            do {
                try ReportWriter.append(line, to: output)
            } catch {
                printer.fatal("\(output): error: \(error)")
                throw ExitCode(1)
            }
            printer.summary("appended eval case \"\(row.id)\" to \(output)")
        } else {
            FileHandle.standardOutput.write(Data(line))
        }
    }
}
