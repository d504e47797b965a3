import Foundation
import Testing
import TraceReportCore

@Suite("Merging shard reports", .serialized)
struct MergeTests {
    /// The eval-ci candidate split into three shards by run, in file order within each.
    func shards(in dir: URL) throws -> [String] {
        let lines = try read(repositoryRoot.appendingPathComponent("Examples/eval-ci/candidate.jsonl")).split(
            separator: "\n")
        var ids: [String] = []
        var shardText = ["", "", ""]
        for line in lines {
            let id = String(line.split(separator: "\"trace_id\":\"")[1].prefix { $0 != "\"" })
            if !ids.contains(id) { ids.append(id) }
            shardText[ids.firstIndex(of: id)! % 3] += line + "\n"
        }
        var names: [String] = []
        for (i, text) in shardText.enumerated() {
            try write(Array(text.utf8), to: dir.appendingPathComponent("shard-\(i).jsonl"))
            names.append("shard-\(i).jsonl")
        }
        return names
    }

    let evalOptions = [
        "--baseline", "BASELINE", "--match-on", "metadata.case_id",
        "--fail-on-regression", "accuracy", "--fail-under", "accuracy=0.6",
        "--facet", "release", "--facet", "metadata.user_tier", "--title", "Docs QA evals",
    ]

    func options(_ dir: URL, junit: String, summary: String) -> [String] {
        evalOptions.map {
            $0 == "BASELINE" ? repositoryRoot.appendingPathComponent("Examples/eval-ci/baseline.jsonl").path : $0
        }
            + ["--junit", junit, "--summary", summary]
    }

    @Test(
        "three shards rendered separately and merged give the index, summary.json, JUnit, summary and gates of one render of everything"
    )
    func mergeEqualsOneRender() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try shards(in: dir)
        let scores = repositoryRoot.appendingPathComponent("Examples/eval-ci/judge-scores.ndjson").path

        // A merge has the shards' index rows, not their spans: it writes no diff pages.
        let whole = try trace(
            ["render"] + inputs + ["--scores", scores, "--no-diff-pages"]
                + options(dir, junit: "all/junit.xml", summary: "all/summary.md") + ["-o", "all/report"], in: dir)
        #expect(whole.status == 2, "\(whole.stderr)")

        for (i, input) in inputs.enumerated() {
            // Each shard gets only its own runs' scores, as a CI job would write them.
            let shard = try trace(
                ["render", input, "--scores", scores, "--title", "shard \(i)", "-o", "shard-\(i)"], in: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try trace(
            ["merge", "shard-2", "shard-0", "shard-1/"]
                + options(dir, junit: "merged/junit.xml", summary: "merged/summary.md") + ["-o", "merged/report"],
            in: dir)
        #expect(merged.status == whole.status, "\(merged.stderr)")
        let gateLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("gate failed") } }
        #expect(!gateLines(whole.stderr).isEmpty)
        #expect(gateLines(merged.stderr) == gateLines(whole.stderr))
        #expect(merged.stderr.contains("merged 7 runs from 3 reports"))

        for file in ["report/index.html", "report/summary.json", "report/runs.jsonl", "junit.xml", "summary.md"] {
            let a = try read(dir.appendingPathComponent("all/" + file))
            let b = try read(dir.appendingPathComponent("merged/" + file))
            #expect(a == b, "merged \(file) differs from one render")
        }
        let pages = try FileManager.default.contentsOfDirectory(
            atPath: dir.appendingPathComponent("all/report/runs").path
        ).sorted()
        #expect(pages.count == 7)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("merged/report/runs").path)
                .sorted() == pages)
        for page in pages {
            #expect(
                try read(dir.appendingPathComponent("all/report/runs/" + page))
                    == read(dir.appendingPathComponent("merged/report/runs/" + page)))
        }

        // Any order of the same folders gives the same bytes.
        let again = try trace(
            ["merge", "shard-0", "shard-1", "shard-2"]
                + options(dir, junit: "again/junit.xml", summary: "again/summary.md") + ["-o", "again/report"], in: dir)
        #expect(again.status == merged.status)
        for file in ["report/index.html", "report/summary.json", "junit.xml"] {
            #expect(
                try read(dir.appendingPathComponent("again/" + file))
                    == read(dir.appendingPathComponent("merged/" + file)))
        }
    }

    @Test("large shards, which write pages only for the runs that matter, merge into every run's page")
    func largeShards() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 150 small runs in two shards of 75: each shard's index carries its runs' pages and
        // writes at most 50 of them.
        var shardText = ["", ""]
        for r in 0..<150 {
            let t = 1_736_150_400 + r * 10
            let failed = r % 9 == 0
            shardText[r % 2] +=
                #"{"trace_id":"run-\#(r)","span_id":"root","name":"agent-\#(r % 4)","kind":"agent","start_time":\#(t),"end_time":\#(t + 5),"input":"question \#(r)","output":"**answer** \#(r)"\#(failed ? #","error":{"message":"failed"}"# : "")}"#
                + "\n"
                + #"{"trace_id":"run-\#(r)","span_id":"llm","parent_id":"root","name":"chat","kind":"llm","start_time":\#(t + 1),"end_time":\#(t + 2),"output":"text \#(r)"}"#
                + "\n"
        }
        for (i, text) in shardText.enumerated() {
            try write(Array(text.utf8), to: dir.appendingPathComponent("big-\(i).jsonl"))
            let shard = try trace(
                ["render", "big-\(i).jsonl", "--large-report-runs", "10", "-o", "big-shard-\(i)"], in: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
            let written = try FileManager.default.contentsOfDirectory(
                atPath: dir.appendingPathComponent("big-shard-\(i)/runs").path)
            #expect(written.count < 75, "a large shard writes pages for some runs only")
        }
        let whole = try trace(["render", "big-0.jsonl", "big-1.jsonl", "-o", "big-all"], in: dir)
        #expect(whole.status == 0, "\(whole.stderr)")
        let merged = try trace(["merge", "big-shard-1", "big-shard-0", "-o", "big-merged"], in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(
            atPath: dir.appendingPathComponent("big-all/runs").path
        ).sorted()
        #expect(pages.count == 150)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("big-merged/runs").path)
                .sorted() == pages)
        for page in pages {
            #expect(
                try read(dir.appendingPathComponent("big-all/runs/" + page))
                    == read(dir.appendingPathComponent("big-merged/runs/" + page)), "\(page)")
        }
        for file in ["index.html", "summary.json", "runs.jsonl"] {
            #expect(
                try read(dir.appendingPathComponent("big-all/" + file))
                    == read(dir.appendingPathComponent("big-merged/" + file)), "\(file)")
        }
    }

    @Test("more than 200 runs: runs.jsonl.gz and a summary.json of one line per run, merged as one render writes them")
    func manyRuns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var shardText = ["", ""]
        for r in 0..<260 {
            let t = 1_736_150_400 + r * 10
            shardText[r % 2] +=
                #"{"trace_id":"run-\#(r)","span_id":"root","name":"agent-\#(r % 3)","kind":"agent","start_time":\#(t),"end_time":\#(t + 5),"input":"question \#(r)","output":"answer \#(r)","scores":{"accuracy":\#(Double(r % 10) / 10)}\#(r % 7 == 0 ? #","error":{"message":"failed"}"# : "")}"#
                + "\n"
        }
        for (i, text) in shardText.enumerated() {
            try write(Array(text.utf8), to: dir.appendingPathComponent("many-\(i).jsonl"))
            #expect(try trace(["render", "many-\(i).jsonl", "-o", "many-shard-\(i)"], in: dir).status == 0)
            // 130 runs: the plain file.
            let plain = dir.appendingPathComponent("many-shard-\(i)/runs.jsonl")
            #expect(FileManager.default.fileExists(atPath: plain.path))
        }
        let whole = try trace(["render", "many-0.jsonl", "many-1.jsonl", "-o", "many-all"], in: dir)
        #expect(whole.status == 0, "\(whole.stderr)")
        let all = dir.appendingPathComponent("many-all")
        #expect(!FileManager.default.fileExists(atPath: all.appendingPathComponent("runs.jsonl").path))
        let compressed = [UInt8](try Data(contentsOf: all.appendingPathComponent("runs.jsonl.gz")))
        let lines = compressed.withUnsafeBytes { Decompression.gunzip($0) }
        #expect(lines.failure == nil)
        let records = String(decoding: lines.text, as: UTF8.self).split(separator: "\n")
        #expect(records.count == 260)
        #expect(records.allSatisfy { $0.hasPrefix(#"{"trace_report_run":1,"id":"run-"#) })

        // summary.json: the same keys, each run on a line of its own.
        let summary = try read(all.appendingPathComponent("summary.json"))
        let runLines = summary.split(separator: "\n").filter { $0.hasPrefix(#"    {"trace_id":"run-"#) }
        #expect(runLines.count == 260)
        #expect(runLines.allSatisfy { $0.contains(#","status":"#) && $0.contains(#","page":"runs/"#) })
        let parsed = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any]
        let runs = parsed?["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 260)
        #expect(
            Set(runs.first?.keys.map { $0 } ?? []) == [
                "trace_id", "name", "status", "duration_ms", "tokens", "cost", "scores", "labels", "metadata",
                "first_error", "page",
            ])

        // Merge reads the shards' files and writes what one render writes.
        let merged = try trace(["merge", "many-shard-1", "many-shard-0", "-o", "many-merged"], in: dir)
        #expect(merged.status == 0, "\(merged.stderr)")
        for file in ["summary.json", "runs.jsonl.gz"] {
            #expect(
                try Data(contentsOf: all.appendingPathComponent(file))
                    == Data(contentsOf: dir.appendingPathComponent("many-merged/" + file)), "\(file)")
        }
        // A merge of merged reports reads the compressed file.
        let again = try trace(["merge", "many-merged", "-o", "many-again"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            try Data(contentsOf: all.appendingPathComponent("summary.json"))
                == Data(contentsOf: dir.appendingPathComponent("many-again/summary.json")))

        // Rendering fewer runs into the folder leaves no stale runs file behind.
        #expect(try trace(["render", "many-0.jsonl", "-o", "many-all"], in: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: all.appendingPathComponent("runs.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: all.appendingPathComponent("runs.jsonl.gz").path))
    }

    @Test("a previous report's folder is a baseline, as its summary.json is")
    func baselineFolder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let baseline = repositoryRoot.appendingPathComponent("Examples/eval-ci/baseline.jsonl").path
        let candidate = repositoryRoot.appendingPathComponent("Examples/eval-ci/candidate.jsonl").path
        #expect(try trace(["render", baseline, "-o", "previous"], in: dir).status == 0)
        let gates = ["--match-on", "metadata.case_id", "--fail-on-regression", "accuracy"]
        let byFolder = try trace(["render", candidate, "--baseline", "previous"] + gates + ["-o", "a"], in: dir)
        let byFile = try trace(
            ["render", candidate, "--baseline", "previous/summary.json"] + gates + ["-o", "b"], in: dir)
        #expect(byFolder.status == 2, "\(byFolder.stderr)")
        #expect(byFile.status == 2)
        #expect(
            try read(dir.appendingPathComponent("a/index.html")) == read(dir.appendingPathComponent("b/index.html")))
        let merged = try trace(["merge", "a", "--baseline", "previous"] + gates + ["-o", "m"], in: dir)
        #expect(merged.status == 2)
        #expect(
            try read(dir.appendingPathComponent("m/index.html")) == read(dir.appendingPathComponent("a/index.html")))
    }

    @Test("a run in two shards is an error naming both folders; a folder that is not a report is named")
    func clashes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try shards(in: dir)
        #expect(try trace(["render", inputs[0], "-o", "a"], in: dir).status == 0)
        #expect(try trace(["render", inputs[0], inputs[1], "-o", "b"], in: dir).status == 0)
        let clash = try trace(["merge", "a", "b", "-o", "out"], in: dir)
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("error: run \"eval-docsqa-candidate-001\" is in both a and b"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        let runsFile = dir.appendingPathComponent("a/runs.jsonl")
        let original = try read(runsFile)
        try write(
            Array(original.replacingOccurrences(of: "\"page\":\"runs/", with: "\"page\":\"runs/../../").utf8),
            to: runsFile)
        let outside = try trace(["merge", "a", "-o", "out"], in: dir)
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("names a page outside runs/"))
        try write(Array("{\"trace_report_run\":1,\"id\":7,\"metadata\":{}}\n".utf8), to: runsFile)
        let broken = try trace(["merge", "a", "-o", "out"], in: dir)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("a/runs.jsonl:1: error: \"id\" must be a string"))
        try write(Array(original.utf8), to: runsFile)
        let notReport = try trace(["merge", "a", ".", "-o", "out"], in: dir)
        #expect(notReport.status == 1)
        #expect(notReport.stderr.contains(".: error: not a report folder written by render (no runs.jsonl)"))
    }

    @Test("merging sampled shards adds up what each selected out of how many")
    func mergedSelection() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try shards(in: dir)
        for (i, input) in inputs.enumerated() {
            #expect(try trace(["render", input, "--sample", "1", "-o", "s\(i)"], in: dir).status == 0)
        }
        #expect(try trace(["merge", "s0", "s1", "s2", "-o", "out"], in: dir).status == 0)
        let summary =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/summary.json")))
            as? [String: Any]
        #expect(summary?["selected_runs"] as? Int == 3)
        #expect(summary?["total_runs"] as? Int == 7)
        #expect(summary?["selection"] as? String == "each shard: --sample 1")
        #expect(
            try read(dir.appendingPathComponent("out/index.html")).contains(
                "<span>3 of 7 runs selected (each shard: --sample 1)</span>"))
    }
}
