import Foundation
import Testing
import TraceJSON

/// Every JSON file of the shared sample corpus (`../shared/corpus` next to the package), if present.
private let corpusFiles: [String] = {
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    let skipped: Set<String> = ["eval", "md", "zip"]
    return walker.compactMap { $0 as? String }
        .filter { !skipped.contains(URL(fileURLWithPath: $0).pathExtension) }
        .map { root.appendingPathComponent($0).path }
        .filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        .sorted()
}()

/// Whether `../shared/corpus` is beside the repository.
private let corpusIsPresent = !corpusFiles.isEmpty

@Suite(
    "JSON parser on ../shared/corpus",
    .enabled(if: corpusIsPresent, "../shared/corpus is not present beside the repository"))
struct CorpusTests {
    @Test("every corpus file parses without errors", arguments: corpusFiles)
    func parses(path: String) throws {
        let file = try MappedFile(path: path)
        let result = file.withUnsafeBytes { JSONStreamParser.parse($0) }
        #expect(result.errors == [], "\(path)")
        #expect(!result.records.isEmpty, "\(path)")
        let pieces = file.withUnsafeBytes { JSONStreamParser.parse($0, threads: 4) }
        #expect(pieces == result)
    }

    @Test("concatenated pretty-printed console spans are three records")
    func consoleExporter() throws {
        let path = try #require(corpusFiles.first(where: { $0.hasSuffix("ConsoleSpanExporter-stdout.txt") }))
        let result = try MappedFile(path: path).withUnsafeBytes { JSONStreamParser.parse($0) }
        #expect(result.errors.isEmpty)
        #expect(result.records.count == 3)
        #expect(result.records.first?.line == 1)
        #expect(result.records.allSatisfy { $0.value["context"]?["trace_id"]?.stringValue?.hasPrefix("0x") == true })
    }
}

@Suite("The corpus suites run where the corpus is expected")
struct CorpusPresenceTests {
    /// `.ci/run` sets `TRACE_REPORT_REQUIRE_CORPUS=1` when `../shared/corpus` is beside the clone, so a
    /// broken path or an emptied folder fails there instead of turning every corpus suite into a skip.
    @Test("with TRACE_REPORT_REQUIRE_CORPUS=1 the corpus is found and holds files")
    func corpusFoundWhenRequired() {
        guard ProcessInfo.processInfo.environment["TRACE_REPORT_REQUIRE_CORPUS"] == "1" else { return }
        #expect(corpusIsPresent, "../shared/corpus was expected beside the repository")
        #expect(corpusFiles.count >= 50, "only \(corpusFiles.count) corpus files found")
    }
}
