import Foundation
import Testing
import TraceReportFuzzing

/// `Tests/fuzz`, found from this file's path.
private let fuzzRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz")

/// Every saved input for one entry point: `Tests/fuzz/regressions/<entry>/*`, sorted by name.
private func regressions(_ entry: FuzzEntry) -> [URL] {
    let folder = fuzzRoot.appendingPathComponent("regressions/\(entry.rawValue)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
}

@Suite("Fuzz entry points")
struct FuzzRegressionTests {
    @Test(
        "every input a fuzzer ever crashed on runs through its entry point without trapping",
        arguments: FuzzEntry.allCases)
    func regressionsRun(_ entry: FuzzEntry) throws {
        for url in regressions(entry) {
            entry.run([UInt8](try Data(contentsOf: url)))
        }
    }

    @Test("hostile shapes every entry point must survive", arguments: FuzzEntry.allCases)
    func hostileShapes(_ entry: FuzzEntry) {
        let inputs: [[UInt8]] = [
            [],
            [0],
            Array("{".utf8),
            Array(String(repeating: "[", count: 50_000).utf8),
            Array(#"{"trace_id":"t","span_id":"s","name":"x","start_time":1e999,"end_time":-1e999}"#.utf8),
            Array(#"{"trace_id":"t","span_id":"s","parent_id":"s","name":"self parent"}"#.utf8),
            Array("\u{FEFF}{\"a\":\"\\ud800\"}\r\r\n".utf8),
            [0xFF, 0xFE, 0x7B, 0x00],
            Array("PK\u{3}\u{4}".utf8) + [UInt8](repeating: 0xFF, count: 64),
            Array(("| a | b |\n|---|---|\n| <script> | [x](javascript:alert(1)) |\n").utf8),
        ]
        for input in inputs {
            entry.run(input)
        }
    }
}
