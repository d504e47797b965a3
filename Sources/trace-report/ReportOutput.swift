import ArgumentParser
import Foundation
import TraceEval
import TraceHTML

/// What `render` and `merge` both do once a report's files are made: write them, the JUnit file
/// and the Markdown summary, then turn failed gates into the exit status.
enum ReportOutput {
    /// Writes `files` into `output` (atomically, under the folder's lock), then `--junit` and
    /// `--summary` (or `$GITHUB_STEP_SUMMARY`). A failure is printed and exits 1.
    static func write(
        _ files: [OutputFile], to output: String, inputs: [String], report: EvalReport, title: String,
        eval: EvalArguments, printer: DiagnosticPrinter
    ) throws {
        let session = try guarded(output: output, printer: printer) {
            try ReportWriter(outputDirectory: output, inputs: inputs).begin(writing: files.map(\.relativePath))
        }
        try guarded(output: output, printer: printer) {
            for file in files { try session.write(file) }
        }
        try finish(session, output: output, report: report, title: title, eval: eval, printer: printer)
    }

    /// Runs a step of writing; a failure is printed as `OUTPUT: error: …` and exits 1.
    static func guarded<R>(output: String, printer: DiagnosticPrinter, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch {
            printer.fatal("\(output): error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Ends writing the report (index, manifest, stale pages), then writes `--junit` and
    /// `--summary` (or `$GITHUB_STEP_SUMMARY`). A failure is printed and exits 1.
    static func finish(
        _ session: ReportWriter.Session, output: String, report: EvalReport, title: String, eval: EvalArguments,
        printer: DiagnosticPrinter
    ) throws {
        try guarded(output: output, printer: printer) {
            try session.finish()
            if let junit = eval.junit {
                try ReportWriter.writeFile(JUnitReport.write(report, title: title), to: junit)
            }
            let reportPath = relativeReportPath(output: output, summary: eval.summary)
            let summaryMarkdown = MarkdownSummary.write(report, title: title, reportPath: reportPath)
            if let summary = eval.summary {
                try ReportWriter.writeFile(Array(summaryMarkdown.utf8), to: summary)
            } else if let stepSummary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !stepSummary.isEmpty
            {
                try ReportWriter.append(Array(summaryMarkdown.utf8), to: stepSummary)
            }
        }
    }

    /// Prints one line per failed gate and exits 2 when any failed.
    static func checkGates(_ report: EvalReport, printer: DiagnosticPrinter) throws {
        let failedGates = report.gates.filter { !$0.passed }
        for gate in failedGates {
            printer.fatal("gate failed: \(gate.gate): \(gate.detail)")
        }
        if !failedGates.isEmpty { throw ExitCode(2) }
    }

    /// The report folder as seen from the Markdown summary's folder, for its links.
    static func relativeReportPath(output: String, summary: String?) -> String {
        guard let summary else { return output }
        let summaryDir = URL(fileURLWithPath: summary).deletingLastPathComponent().standardizedFileURL.pathComponents
        let reportDir = URL(fileURLWithPath: output).standardizedFileURL.pathComponents
        var common = 0
        while common < min(summaryDir.count, reportDir.count), summaryDir[common] == reportDir[common] { common += 1 }
        let ups = Array(repeating: "..", count: summaryDir.count - common)
        let path = (ups + reportDir[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
