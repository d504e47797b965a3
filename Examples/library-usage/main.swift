// Renders a trace file with the TraceReport library, the way the README shows:
//
//     swift run library-usage Examples/refund-agent/trace.jsonl /tmp/report
//
// Only reading the input and writing the files touch the disk; every stage in between is a
// value transform.
import Foundation
import TraceHTML
import TraceReportCore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: library-usage TRACE.jsonl OUTPUT-DIR\n".utf8))
    exit(64)
}
let input = try TraceInput(path: arguments[1])  // read

let loaded = Pipeline(jobs: 2).load([input])  // decode (any known format) + assemble + analyze
let files = ReportRenderer(options: ReportOptions(title: "Nightly evals")).render(loaded.runs)  // render

for diagnostic in loaded.diagnostics {
    FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
}
let output = URL(fileURLWithPath: arguments[2], isDirectory: true)
for file in files {  // write
    let url = output.appendingPathComponent(file.relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(file.contents).write(to: url, options: .atomic)
}
print("wrote \(files.count) files to \(output.path)")
