import Foundation
import Testing
import TraceHTML
import TraceModel

/// The eval-ci example's baseline and candidate runs of case `number`.
private func evalCase(_ number: Int) throws -> (old: AnalyzedRun, new: AnalyzedRun) {
    let folder = repositoryRoot.appendingPathComponent("Examples/eval-ci")
    let old = try analyze(files: [folder.appendingPathComponent("baseline.jsonl")]).runs
    let new = try analyze(files: [folder.appendingPathComponent("candidate.jsonl")]).runs
    let id = String(format: "%03d", number)
    return (
        try #require(old.first { $0.run.traceID == "eval-docsqa-baseline-\(id)" }),
        try #require(new.first { $0.run.traceID == "eval-docsqa-candidate-\(id)" })
    )
}

@Suite("Diff pages")
struct DiffPageTests {
    @Test("the page's policy allows exactly its own inline style and script")
    func policyHashes() throws {
        let (old, new) = try evalCase(2)
        let page = DiffRenderer().render([DiffPair(old: old, new: new, fileStem: "case")]).files[0].text
        func between(_ open: String, _ close: String) throws -> String {
            let a = try #require(page.range(of: open))
            let b = try #require(page.range(of: close, range: a.upperBound..<page.endIndex))
            return String(page[a.upperBound..<b.lowerBound])
        }
        let style = try between("<style>", "</style>")
        let script = try between("<script>", "</script>")
        let policy = try between("http-equiv=\"Content-Security-Policy\" content=\"", "\"")
        #expect(policy.contains("style-src-elem 'sha256-\(SHA256.base64Digest(of: style))'"))
        #expect(policy.contains("script-src 'sha256-\(SHA256.base64Digest(of: script))'"))
        #expect(policy.hasPrefix("default-src 'none'"))
        #expect(style.contains(".diff-row"))
    }

    @Test("pages do not depend on how many render at once")
    func parallelism() throws {
        let pairs = try (1...7).map { n in
            let (old, new) = try evalCase(n)
            return DiffPair(old: old, new: new, fileStem: "case-\(n)")
        }
        let one = DiffRenderer(parallelism: 1).render(pairs)
        let four = DiffRenderer(parallelism: 4).render(pairs)
        #expect(one.files == four.files)
        #expect(one.files.map(\.relativePath) == (1...7).map { "case-\($0).html" } + ["index.html"])
        #expect(one.outcomesChanged == 2)
    }

    @Test("golden: the diff page of a case whose retrieval changed, inside a report")
    func golden() throws {
        let (old, new) = try evalCase(2)
        let files = DiffRenderer(title: "Diffs", alwaysIndex: true, reportIndex: "../index.html").render([
            DiffPair(old: old, new: new, fileStem: "eval-docsqa-candidate-002", runPage: "../runs/x.html")
        ]).files
        try assertGolden(files, named: "diff-eval-ci")
    }
}
