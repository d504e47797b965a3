// Renders a trace file with the TraceReport library, the way the README shows:
//
//     swift run library-usage Examples/refund-agent/trace.jsonl /tmp/report
//
// Only reading the input and writing the files touch the disk; every stage in between is a
// value transform.
import Foundation
import TraceFormats
import TraceHTML
import TraceModel

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: library-usage TRACE.jsonl OUTPUT-DIR\n".utf8))
    exit(64)
}
let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[1])))

let decoded = TraceDecoder(candidates: TraceFormats.all, jobs: 2)  // read + decode
    .decode(bytes, file: arguments[1])
let (runs, repairs) = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo)  // assemble
let analyzed = RunAnalyzer().analyze(runs, jobs: 2)  // analyze
let files = ReportRenderer(options: ReportOptions(title: "Nightly evals")).render(analyzed)  // render

for diagnostic in decoded.diagnostics + repairs {
    FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
}
let output = URL(fileURLWithPath: arguments[2], isDirectory: true)
for file in files {  // write
    let url = output.appendingPathComponent(file.relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(file.contents).write(to: url, options: .atomic)
}
print("wrote \(files.count) files to \(output.path)")
