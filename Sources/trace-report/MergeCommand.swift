import ArgumentParser
import Foundation
import TraceEval
import TraceHTML
import TraceJSON
import TraceModel
import TraceReportCore

/// `trace-report merge DIR... -o DIR`: one report from the report folders of several shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine report folders written by render (one per shard) into one report.",
        discussion: """
            Each folder must have been written by `trace-report render` (it holds runs.jsonl). Run \
            pages are copied unchanged; the index, score statistics, groups, baseline comparison and \
            gates are computed over all runs, and summary.json, JUnit and the Markdown summary are \
            written for the whole, exactly as one render of all the shards' inputs would write them. \
            The folders may be given in any order. A run id found in two folders is an error.

            EXIT STATUS
              0   the report was written and every gate passed
              1   a folder could not be read, two folders hold the same run, a gate names a score \
            no run has, or the report could not be written; nothing is written then
              2   the report was written, and a gate failed
              64  the command line is wrong
            """
    )

    @Argument(help: ArgumentHelp("Report folders written by render.", valueName: "dir"))
    var folders: [String]

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The folder to write the merged report into.", valueName: "dir"))
    var output: String

    @Option(help: "The index page's title.")
    var title: String = "Trace report"

    @Flag(name: .shortAndLong, help: "Print only errors, and no summary.")
    var quiet = false

    @OptionGroup(title: "Evals")
    var eval: EvalArguments

    func validate() throws {
        if folders.isEmpty { throw ValidationError("give at least one report folder") }
        if !eval.scores.isEmpty {
            throw ValidationError("--scores belongs to render: give it to the render of each shard")
        }
        _ = try eval.options()
    }

    /// One shard's runs, with the folder they came from.
    private struct Shard {
        var folder: String
        var records: [RunsFile.Record]
        var totalRuns: Int?
        var selection: String?
    }

    func run() throws {
        let printer = DiagnosticPrinter(quiet: quiet)

        // Read every shard before writing anything.
        var shards: [Shard] = []
        for folder in folders {
            var folder = folder
            while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
            let runsPath: String
            let data: [UInt8]
            switch RunsFileIO.read(folder: folder) {
            case .missing:
                printer.fatal(
                    "\(folder): error: not a report folder written by render (no \(RunsFile.fileName)); nothing was written"
                )
                throw ExitCode(1)
            case .unreadable(let path, let reason):
                printer.fatal("\(path): error: \(reason); nothing was written")
                throw ExitCode(1)
            case .text(let path, let bytes):
                runsPath = path
                data = bytes
            }
            let records: [RunsFile.Record]
            do {
                records = try RunsFile.read(data)
            } catch {
                printer.fatal("\(runsPath):\(error.line): error: \(error.message); nothing was written")
                throw ExitCode(1)
            }
            var totalRuns: Int? = nil
            var selection: String? = nil
            if let summary = FileManager.default.contents(atPath: folder + "/summary.json") {
                let parsed = JSONStreamParser.parse([UInt8](summary))
                totalRuns = parsed.records.first?.value["total_runs"]?.numberValue?.int64.map(Int.init)
                selection = parsed.records.first?.value["selection"]?.stringValue
            }
            shards.append(Shard(folder: folder, records: records, totalRuns: totalRuns, selection: selection))
        }

        // Runs: one list, each id once, in the order one render of everything would list them.
        var owner: [String: String] = [:]
        var entries: [(record: RunsFile.Record, folder: String)] = []
        for shard in shards {
            for record in shard.records {
                if let other = owner[record.eval.traceID] {
                    printer.fatal(
                        "error: run \"\(record.eval.traceID)\" is in both \(other) and \(shard.folder); give each run to one shard; nothing was written"
                    )
                    throw ExitCode(1)
                }
                owner[record.eval.traceID] = shard.folder
                entries.append((record, shard.folder))
            }
        }
        entries.sort { a, b in
            let sa = a.record.rootStartUnixNano ?? Int64.max
            let sb = b.record.rootStartUnixNano ?? Int64.max
            return sa != sb ? sa < sb : a.record.eval.traceID < b.record.eval.traceID
        }
        let indexRuns = entries.map { $0.record.indexRun() }
        let stems = ReportRenderer.fileStems(for: indexRuns)
        var records = entries.map(\.record)
        for i in records.indices { records[i].eval.page = "runs/\(stems[i]).html" }
        let evalRuns = records.map(\.eval)
        let anySelected = shards.contains { $0.totalRuns != nil }
        let totalRuns: Int? = anySelected ? shards.reduce(0) { $0 + ($1.totalRuns ?? $1.records.count) } : nil
        // Each shard's selection, when all shards selected alike.
        let selections = Set(shards.map { $0.selection ?? "" })
        let selection: String? =
            anySelected && selections.count == 1
            ? selections.first.flatMap { $0.isEmpty ? nil : "each shard: " + $0 } : nil

        // Eval: baseline, thresholds, facets, gates.
        let options = try eval.options()
        if let message = RenderAction.unknownGateScore(options, runs: evalRuns) {
            printer.fatal(message)
            throw ExitCode(1)
        }
        var baselineRuns: [EvalRun]? = nil
        if !eval.baseline.isEmpty {
            baselineRuns = try loadBaseline(printer: printer)
        }
        let report = EvalReport(runs: evalRuns, baseline: baselineRuns, options: options)

        // Pages are carried over byte for byte; a run a large shard wrote no page for gets the
        // page its index carries (the bytes "Save as a page" and --page give).
        var files: [OutputFile] = []
        var carried: [String: [String: [UInt8]]] = [:]
        for (i, entry) in entries.enumerated() {
            let page = entry.record.eval.page ?? "runs/\(stems[i]).html"
            let name = page.dropFirst("runs/".count)
            guard page.hasPrefix("runs/"), page.hasSuffix(".html"), !name.contains("/"), !name.hasPrefix(".") else {
                printer.fatal(
                    "\(entry.folder)/\(RunsFile.fileName): error: run \"\(entry.record.eval.traceID)\" names a page outside runs/: \(page); nothing was written"
                )
                throw ExitCode(1)
            }
            let source = entry.folder + "/" + page
            if FileManager.default.fileExists(atPath: source) == false {
                if carried[entry.folder] == nil {
                    let index = FileManager.default.contents(atPath: entry.folder + "/index.html").map { [UInt8]($0) }
                    carried[entry.folder] = index.map(IndexData.carriedBodies(inIndex:)) ?? [:]
                }
                if let body = carried[entry.folder]?[page] {
                    files.append(
                        OutputFile(
                            relativePath: "runs/\(stems[i]).html",
                            contents: ReportRenderer.standalonePage(runName: indexRuns[i].name, body: body)))
                    continue
                }
            }
            guard let contents = FileManager.default.contents(atPath: source) else {
                printer.fatal(
                    "\(source): error: cannot read the page of run \"\(entry.record.eval.traceID)\"; nothing was written"
                )
                throw ExitCode(1)
            }
            files.append(OutputFile(relativePath: "runs/\(stems[i]).html", contents: [UInt8](contents)))
        }
        let failureGroups = FailureGroups(candidates: records.map(\.failureCandidate), eval: report)
        files.append(
            ReportRenderer(options: ReportOptions(title: title, totalRuns: totalRuns, selection: selection))
                .renderIndex(
                    indexRuns, fileStems: stems, eval: report, failureGroups: failureGroups,
                    rowTexts: records.map(\.rowText)))
        files.append(
            OutputFile(
                relativePath: "summary.json",
                contents: SummaryJSON.write(
                    report, title: title, failureGroups: failureGroups, totalRuns: totalRuns, selection: selection)))
        files.append(RunsFileOutput.file(records, jobs: max(1, ProcessInfo.processInfo.activeProcessorCount)))
        files.sort { $0.relativePath < $1.relativePath }

        try ReportOutput.write(
            files, to: output, inputs: [], report: report, title: title, eval: eval, printer: printer)
        let indexPath = (output as NSString).appendingPathComponent("index.html")
        printer.summary(
            "merged \(records.count) run\(records.count == 1 ? "" : "s") from \(shards.count) report\(shards.count == 1 ? "" : "s"); open \(indexPath)"
        )
        try ReportOutput.checkGates(report, printer: printer)
    }

    /// Baseline runs from summary.json files, report folders (their summary.json) or trace files.
    private func loadBaseline(printer: DiagnosticPrinter) throws -> [EvalRun] {
        var runs: [EvalRun] = []
        var tracePaths: [String] = []
        for path in eval.baseline {
            let file = InputExpansion.isDirectory(path) ? path + "/summary.json" : path
            guard let data = FileManager.default.contents(atPath: file) else {
                printer.fatal("\(file): error: cannot read baseline")
                throw ExitCode(1)
            }
            let parsed = JSONStreamParser.parse([UInt8](data))
            if parsed.records.count == 1, SummaryJSON.isSummary(parsed.records[0].value) {
                let (summaryRuns, problems) = SummaryJSON.runs(from: parsed.records[0].value, file: file)
                printer.print(problems)
                runs += summaryRuns
            } else {
                tracePaths.append(path)
            }
        }
        if !tracePaths.isEmpty {
            let inputs: [TraceInput]
            do {
                inputs = try TraceLoader.open(tracePaths)
            } catch {
                printer.fatal("\(error.path): error: cannot read baseline: \(error.reason)")
                throw ExitCode(1)
            }
            let loaded = TraceLoader(format: nil, jobs: max(1, ProcessInfo.processInfo.activeProcessorCount)).load(
                inputs)
            printer.print(loaded.diagnostics.filter { $0.severity == .error })
            runs += ReportRenderer.evalRuns(loaded.runs)
        }
        if runs.isEmpty {
            printer.fatal(
                "error: no runs could be read from the baseline \(eval.baseline.joined(separator: ", ")); nothing was written"
            )
            throw ExitCode(1)
        }
        return runs
    }
}
