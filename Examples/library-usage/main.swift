// Renders a trace file with the TraceReport library, the way the README shows:
//
//     swift run library-usage Examples/refund-agent/trace.jsonl /tmp/report
//
// Only reading the input and writing the files touch the disk; every stage in between is a
// value transform. This is the same render action the `render` command runs.
import Foundation
import TraceEval
import TraceHTML
import TraceReportCore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: library-usage TRACE.jsonl OUTPUT-DIR\n".utf8))
    exit(64)
}
let input = try TraceInput(path: arguments[1])  // read

var action = RenderAction(pipeline: Pipeline(jobs: 2), report: ReportOptions(title: "Nightly evals"))
action.eval = EvalOptions(gates: [.failOnError])  // as --fail-on-error
let prepared: RenderAction.Prepared
do {
    prepared = try action.prepare([input])  // decode (any known format) + assemble + analyze + evaluate
} catch {
    for diagnostic in error.diagnostics { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
    FileHandle.standardError.write(Data("\(error.message)\n".utf8))
    exit(1)
}
for diagnostic in prepared.diagnostics {
    FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
}
let output = URL(fileURLWithPath: arguments[2], isDirectory: true)
var written = 0
try prepared.write { file in  // render, a batch of pages at a time; then write
    let url = output.appendingPathComponent(file.relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(file.contents).write(to: url, options: .atomic)
    written += 1
}
print("wrote \(written) files to \(output.path); \(prepared.evalReport.gates.filter { !$0.passed }.count) gates failed")
