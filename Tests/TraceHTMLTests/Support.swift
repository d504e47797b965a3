import Foundation
import Testing
import TraceHTML
import TraceModel
import TraceReportCore

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Reads, decodes, assembles and analyzes trace files through the library's pipeline, as the
/// CLI does.
func analyze(files: [URL], jobs: Int = 1) throws -> (runs: [AnalyzedRun], diagnostics: [Diagnostic]) {
    let inputs = try files.map { TraceInput(name: $0.lastPathComponent, bytes: [UInt8](try Data(contentsOf: $0))) }
    let loaded = Pipeline(jobs: jobs).load(inputs)
    return (loaded.runs, loaded.diagnostics)
}

func analyze(text: String) -> [AnalyzedRun] {
    Pipeline().load([TraceInput(name: "inline.jsonl", bytes: Array(text.utf8))]).runs
}

func example(_ name: String) -> URL {
    repositoryRoot.appendingPathComponent("Examples/\(name)/trace.jsonl")
}

extension OutputFile {
    var text: String { String(decoding: contents, as: UTF8.self) }
}

/// Page text with the embedded CSS and JS and their hashes replaced by placeholders, so goldens
/// show the markup and do not change with every style edit (assets have tests of their own).
func normalizedForGolden(_ html: String) -> String {
    var s = html
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        if let a = s.range(of: open), let b = s.range(of: close, range: a.upperBound..<s.endIndex) {
            s.replaceSubrange(a.upperBound..<b.lowerBound, with: "…")
        }
    }
    while let r = s.range(of: #"sha256-[A-Za-z0-9+/=]{44}"#, options: .regularExpression) {
        s.replaceSubrange(r, with: "sha256-HASH")
    }
    return s
}

/// Compares files with the golden copies in `Golden/<name>/`; with `RECORD_GOLDEN=1` rewrites them.
func assertGolden(
    _ files: [OutputFile], named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let folder = repositoryRoot.appendingPathComponent("Tests/TraceHTMLTests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try? FileManager.default.removeItem(at: folder)
        for file in files {
            let url = folder.appendingPathComponent(file.relativePath)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(normalizedForGolden(file.text).utf8).write(to: url)
        }
        Issue.record("recorded new golden \(name); run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
        return
    }
    for file in files {
        let url = folder.appendingPathComponent(file.relativePath)
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "no golden \(name)/\(file.relativePath); record with RECORD_GOLDEN=1 swift test",
                sourceLocation: sourceLocation)
            continue
        }
        let actual = normalizedForGolden(file.text)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            let got = line < a.count ? String(a[line].prefix(200)) : "<end>"
            let want = line < e.count ? String(e[line].prefix(200)) : "<end>"
            Issue.record(
                "\(name)/\(file.relativePath) differs from its golden at line \(line + 1):\n  got:  \(got)\n  want: \(want)\n(re-record with RECORD_GOLDEN=1 swift test if the change is intended)",
                sourceLocation: sourceLocation
            )
        }
    }
    let goldenNames = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter {
        $0.hasSuffix(".html")
    }
    #expect(
        Set(goldenNames) == Set(files.map(\.relativePath)), "golden \(name) has other files than the render",
        sourceLocation: sourceLocation)
}

/// Occurrences of `needle` in `haystack`.
func count(_ needle: String, in haystack: String) -> Int {
    offsets(of: needle, in: haystack).count
}

/// Byte offsets of every occurrence of `needle` in `haystack`.
func offsets(of needle: String, in haystack: String) -> [Int] {
    let h = Array(haystack.utf8)
    let n = Array(needle.utf8)
    guard !n.isEmpty, h.count >= n.count else { return [] }
    var result: [Int] = []
    h.withUnsafeBufferPointer { hp in
        n.withUnsafeBufferPointer { np in
            let first = np[0]
            var i = 0
            let last = hp.count - np.count
            while i <= last {
                if hp[i] == first {
                    var j = 1
                    while j < np.count && hp[i + j] == np[j] { j += 1 }
                    if j == np.count {
                        result.append(i)
                        i += np.count
                        continue
                    }
                }
                i += 1
            }
        }
    }
    return result
}
