import Foundation
import Testing

/// One trace-report JSONL span line.
func diffSpan(
    _ trace: String, _ id: String, parent: String? = nil, name: String, start: Int, end: Int, output: String? = nil,
    input: String? = nil
) -> String {
    func quoted(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
    }
    var fields = ["\"trace_id\":\(quoted(trace))", "\"span_id\":\(quoted(id))", "\"name\":\(quoted(name))"]
    if let parent { fields.append("\"parent_id\":\(quoted(parent))") }
    fields.append("\"start_time\":\(1_754_900_000 + start)")
    fields.append("\"end_time\":\(1_754_900_000 + end)")
    if let input { fields.append("\"input\":\(quoted(input))") }
    if let output { fields.append("\"output\":\(quoted(output))") }
    return "{" + fields.joined(separator: ",") + "}"
}

/// The `<li>` of the row whose `data-span-id` is `id`, up to its end.
func diffRow(_ page: String, spanID id: String) -> String? {
    guard let at = page.range(of: "data-span-id=\"\(id)\"") else { return nil }
    let start = page[..<at.lowerBound].range(of: "<li ", options: .backwards)!.lowerBound
    let end = page[at.upperBound...].range(of: "</li>")!.upperBound
    return String(page[start..<end])
}

@Suite("trace-report diff", .serialized)
struct DiffCLITests {
    let loop = "Examples/eval-ci"

    @Test("The eval-ci candidate: each changed case points at the retrieval that changed and shows the new answer")
    func evalExample() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "diff", "\(loop)/baseline.jsonl", "\(loop)/candidate.jsonl", "--match-on", "metadata.case_id", "-o",
            out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("compared 7 pairs of runs; the final output or status differs in 2"))
        let files = try tree(out)
        #expect(files.keys.sorted() == (1...7).map { "eval-docsqa-candidate-00\($0).html" } + ["index.html"])

        let page = String(decoding: files["eval-docsqa-candidate-002.html"]!, as: UTF8.self)
        // The pointed-out span is the retrieval, not the answer or the root it fed.
        #expect(page.components(separatedBy: "data-first-difference=\"true\"").count == 2)
        let first = try #require(diffRow(page, spanID: "r2-ret"))
        #expect(first.contains("data-first-difference=\"true\""))
        #expect(first.contains("data-diff=\"changed\""))
        #expect(first.contains("<del class=\"dl\">-   id: config/http</del>"))
        #expect(first.contains("<ins class=\"dl\">+   id: config/http-v1</ins>"))
        #expect(page.contains("<a href=\"#first-difference\">search_docs</a> — same input, different output"))
        // The final output's difference, as a line diff.
        #expect(
            page.contains(
                "<del class=\"dl\">- The default is **30 seconds** (`http.timeout = &quot;30s&quot;`) [config/http].</del>"
            ))
        #expect(
            page.contains(
                "<ins class=\"dl\">+ The default is **60 seconds** (`http.timeout = &quot;60s&quot;`) [config/http-v1].</ins>"
            ))
        #expect(diffRow(page, spanID: "r2-emb")?.contains("data-diff=\"same\"") == true)
        #expect(diffRow(page, spanID: "r2-llm")?.contains("data-diff=\"changed\"") == true)

        // A case whose answer did not change points at nothing.
        let same = String(decoding: files["eval-docsqa-candidate-001.html"]!, as: UTF8.self)
        #expect(!same.contains("data-first-difference=\"true\""))
        #expect(same.contains("no difference led to a different result"))

        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(index.components(separatedBy: "data-final=\"changed\"").count == 3)
        #expect(index.contains("<a href=\"eval-docsqa-candidate-005.html#first-difference\">search_docs</a>"))
    }

    @Test("--run and --baseline-run pick one pair: one page, no index")
    func pickedRuns() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "diff", "\(loop)/baseline.jsonl", "\(loop)/candidate.jsonl", "--run", "eval-docsqa-candidate-005",
            "--baseline-run", "eval-docsqa-baseline-005", "-o", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(out)
        #expect(files.keys.sorted() == ["eval-docsqa-candidate-005.html"])
        let page = String(decoding: files["eval-docsqa-candidate-005.html"]!, as: UTF8.self)
        #expect(diffRow(page, spanID: "r5-ret")?.contains("data-first-difference=\"true\"") == true)
        #expect(page.contains("orbit secret add NAME value"))
    }

    @Test("Runs that cannot be paired, or a picked run that is not there, stop with a hint and write nothing")
    func unpaired() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let target = out.appendingPathComponent("diff")
        let result = try run(["diff", "\(loop)/baseline.jsonl", "\(loop)/candidate.jsonl", "-o", target.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no run of Examples/eval-ci/candidate.jsonl matches a run of"))
        #expect(result.stderr.contains("--match-on"))
        #expect(!FileManager.default.fileExists(atPath: target.path))

        let missing = try run([
            "diff", "\(loop)/baseline.jsonl", "\(loop)/candidate.jsonl", "--run", "nope", "-o", target.path,
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Examples/eval-ci/candidate.jsonl: error: --run names no run \"nope\""))
        #expect(!FileManager.default.fileExists(atPath: target.path))

        let usage = try run(["diff", "\(loop)/baseline.jsonl", "-o", target.path])
        #expect(usage.status == 64)
    }

    @Test("The same inputs give the same bytes, in two processes")
    func deterministic() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        for name in ["a", "b"] {
            let result = try run([
                "diff", "\(loop)/baseline.jsonl", "\(loop)/fixed.jsonl", "--match-on", "metadata.case_id", "-o",
                out.appendingPathComponent(name).path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try tree(out.appendingPathComponent("a"))
        let b = try tree(out.appendingPathComponent("b"))
        #expect(a.count == 8)
        #expect(a == b)
    }

    @Test("Markup in span names and outputs is escaped, and --redact leaves no secret in any byte")
    func hostileAndRedacted() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let name = "<img src=x onerror=alert(1)>"
        let old = [
            diffSpan("t1", "root", name: name, start: 0, end: 10, output: "<script>alert('old')</script>"),
            diffSpan("t1", "tool", parent: "root", name: "lookup", start: 1, end: 2, output: "mail ada@example.com"),
        ]
        let new = [
            diffSpan("t2", "root", name: name, start: 0, end: 10, output: "<script>alert('new')</script>"),
            diffSpan("t2", "tool", parent: "root", name: "lookup", start: 1, end: 2, output: "mail ada@example.com"),
            diffSpan("t2", "x\"><b>", parent: "root", name: "</li><li>", start: 3, end: 4, output: "&amp; <b>"),
        ]
        try old.joined(separator: "\n").write(
            to: out.appendingPathComponent("old.jsonl"), atomically: true, encoding: .utf8)
        try new.joined(separator: "\n").write(
            to: out.appendingPathComponent("new.jsonl"), atomically: true, encoding: .utf8)
        let target = out.appendingPathComponent("diff")
        let result = try run([
            "diff", out.appendingPathComponent("old.jsonl").path, out.appendingPathComponent("new.jsonl").path,
            "--redact", "-o", target.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(target)
        #expect(files.keys.sorted() == ["t2.html"])
        let page = String(decoding: files["t2.html"]!, as: UTF8.self)
        #expect(!page.contains("<img src=x"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<b>"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(page.contains("data-span-id=\"x&quot;&gt;&lt;b&gt;\""))
        #expect(page.contains("&amp;amp; &lt;b&gt;"))
        // The same address in both runs: the same placeholder, so the span is the same.
        #expect(!page.contains("ada@example.com"))
        #expect(diffRow(page, spanID: "tool")?.contains("data-diff=\"same\"") == true)
        #expect(page.contains("data-redacted=\"2\""))
    }

    @Test("render --baseline writes the diff pages and links each matched run page and the index to them")
    func renderLinks() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = out.appendingPathComponent("report")
        let result = try run([
            "render", "\(loop)/candidate.jsonl", "--baseline", "\(loop)/baseline.jsonl", "--match-on",
            "metadata.case_id", "-o", report.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(report)
        #expect(files.keys.filter { $0.hasPrefix("diff/") }.count == 8)
        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(index.contains("<a href=\"diff/index.html\">Span-by-span diffs against the baseline</a> (7 runs)"))
        let runPage = String(decoding: files["runs/eval-docsqa-candidate-002.html"]!, as: UTF8.self)
        #expect(runPage.contains("<a href=\"../diff/eval-docsqa-candidate-002.html\">Compare with the baseline run"))
        let diffPage = String(decoding: files["diff/eval-docsqa-candidate-002.html"]!, as: UTF8.self)
        #expect(diffRow(diffPage, spanID: "r2-ret")?.contains("data-first-difference=\"true\"") == true)
        #expect(diffPage.contains("<a href=\"../runs/eval-docsqa-candidate-002.html\">Run page</a>"))
        // The same pages as `trace-report diff` writes, apart from their links.
        let alone = out.appendingPathComponent("alone")
        _ = try run([
            "diff", "\(loop)/baseline.jsonl", "\(loop)/candidate.jsonl", "--match-on", "metadata.case_id", "-o",
            alone.path,
        ])
        let standalone = String(
            decoding: try Data(contentsOf: alone.appendingPathComponent("eval-docsqa-candidate-002.html")),
            as: UTF8.self)
        func main(_ page: String) -> Substring { page[page.range(of: "<main")!.lowerBound...] }
        #expect(main(standalone) == main(diffPage))

        // A baseline that is a summary.json has no spans to compare: no diff pages, no links.
        let again = out.appendingPathComponent("again")
        let second = try run([
            "render", "\(loop)/fixed.jsonl", "--baseline", report.appendingPathComponent("summary.json").path,
            "--match-on", "metadata.case_id", "-o", again.path,
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let againFiles = try tree(again)
        #expect(againFiles.keys.filter { $0.hasPrefix("diff/") }.isEmpty)
        #expect(!String(decoding: againFiles["index.html"]!, as: UTF8.self).contains("diff/index.html"))
    }

    @Test("render --baseline --redact: no secret of either run in any byte, diff pages included")
    func renderRedacted() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let key = "sk-proj-Abcdefghijklmnopqrstuvwx1234567890"
        let old = [
            diffSpan("run-1", "root", name: "agent", start: 0, end: 10, output: "sent to bob@example.org"),
            diffSpan("run-1", "call", parent: "root", name: "llm", start: 1, end: 2, output: "key \(key)"),
        ]
        let new = [
            diffSpan("run-1", "root", name: "agent", start: 0, end: 10, output: "sent to carol@example.org"),
            diffSpan("run-1", "call", parent: "root", name: "llm", start: 1, end: 2, output: "key \(key)"),
        ]
        try old.joined(separator: "\n").write(
            to: out.appendingPathComponent("old.jsonl"), atomically: true, encoding: .utf8)
        try new.joined(separator: "\n").write(
            to: out.appendingPathComponent("new.jsonl"), atomically: true, encoding: .utf8)
        let report = out.appendingPathComponent("report")
        let result = try run([
            "render", out.appendingPathComponent("new.jsonl").path, "--baseline",
            out.appendingPathComponent("old.jsonl").path, "--redact", "-o", report.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(report)
        let page = String(decoding: try #require(files["diff/run-1.html"]), as: UTF8.self)
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            for secret in ["bob@example.org", "carol@example.org", key] {
                #expect(!text.contains(secret), "\(path) contains \(secret)")
            }
        }
        // Two addresses, two placeholders: the root's output changed; the key is the same in both.
        #expect(diffRow(page, spanID: "root")?.contains("data-diff=\"changed\"") == true)
        #expect(diffRow(page, spanID: "call")?.contains("data-diff=\"same\"") == true)
    }
}
