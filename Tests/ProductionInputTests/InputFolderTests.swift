import Foundation
import Testing
import TraceReportCore

@testable import trace_report

@Suite("Folders and compressed inputs", .serialized)
struct InputFolderTests {
    /// A folder of exports: plain, gzip, zstd, gzip without its extension, a note and a hidden file.
    func makeExports(in dir: URL) throws {
        let exports = dir.appendingPathComponent("exports")
        try write(
            Array(
                (span("plain-1", "a", name: "agent", start: 100, end: 110)
                    + span("plain-1", "b", parent: "a", name: "tool", start: 101, end: 102)).utf8),
            to: exports.appendingPathComponent("a-plain.jsonl"))
        let gz =
            span("gz-1", "a", name: "agent", start: 200, end: 210)
            + span(
                "gz-1", "b", parent: "a", name: "chat", start: 201, end: 209,
                extra: ",\"kind\":\"llm\",\"model\":\"m-1\"")
            + "{\"trace_id\": \"gz-1\", \"span_id\": broken\n"
            + span("gz-1", "c", parent: "a", name: "tool", start: 203, end: 204)
        try write(gzip(gz), to: exports.appendingPathComponent("day1/b.jsonl.gz"))
        try write(
            zstd(span("zst-1", "a", name: "agent", start: 300, end: 320, extra: ",\"error\":\"boom\"")),
            to: exports.appendingPathComponent("day1/c.jsonl.zst"))
        try write(
            gzip(span("magic-1", "a", name: "agent", start: 400, end: 401)),
            to: exports.appendingPathComponent("day2/rotated.0001"))
        try write(Array("Exported by the collector.\n".utf8), to: exports.appendingPathComponent("day2/notes.txt"))
        try write([0, 0, 0, 1], to: exports.appendingPathComponent(".DS_Store"))
    }

    @Test(
        "a folder of plain, gzip and zstd files renders as one report; a broken line is named by file and decompressed line"
    )
    func folder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeExports(in: dir)
        let result = try trace(["render", "exports", "-o", "out"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("exports/day1/b.jsonl.gz:3: error: ") })
        #expect(lines.contains("exports/day2/notes.txt: note: skipped: not JSON, gzip or zstd data"))
        #expect(!result.stderr.contains(".DS_Store"))
        #expect(result.stderr.contains("rendered 4 runs (7 span records) with 1 skipped line"))
        let index = try read(dir.appendingPathComponent("out/index.html"))
        for run in ["plain-1", "gz-1", "zst-1", "magic-1"] { #expect(index.contains(run)) }
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/runs").path)
            .sorted()
        #expect(pages == ["gz-1.html", "magic-1.html", "plain-1.html", "zst-1.html"])
        #expect(try read(dir.appendingPathComponent("out/runs/gz-1.html")).contains("m-1"))

        // The same folder named with a trailing slash, and the files given one by one, give the same report.
        let again = try trace(["render", "exports/", "-o", "out2"], in: dir)
        #expect(again.stderr == result.stderr.replacingOccurrences(of: "out/index.html", with: "out2/index.html"))
        #expect(try read(dir.appendingPathComponent("out2/index.html")) == index)
    }

    @Test("truncated and corrupt compressed files keep what was read and name the line where the text stops")
    func damaged() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 1...2000 {
            text += span(
                "long-\(i % 3)", "s\(i)", name: "step \(i) padded with enough words to fill the file", start: i,
                end: i + 1)
        }
        let gz = gzip(text)
        let zs = zstd(text)
        try write(Array(gz[0..<(gz.count / 2)]), to: dir.appendingPathComponent("in/t.jsonl.gz"))
        try write(Array(zs[0..<(zs.count / 2)]), to: dir.appendingPathComponent("in/u.jsonl.zst"))
        try write(
            [0x28, 0xB5, 0x2F, 0xFD] + Array("not really zstd".utf8), to: dir.appendingPathComponent("in/v.jsonl.zst"))
        let result = try trace(["render", "in", "-o", "out"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let gzLine = try #require(
            result.stderr.split(separator: "\n").first { $0.contains("the gzip data ends early") })
        #expect(gzLine.hasPrefix("in/t.jsonl.gz:"))
        let lineNumber = Int(gzLine.split(separator: ":")[1]) ?? 0
        #expect(lineNumber > 100 && lineNumber < 2000)
        #expect(
            result.stderr.contains(
                "in/t.jsonl.gz:\(lineNumber): error: the gzip data ends early (is the file truncated?); the lines before it were read"
            ))
        #expect(result.stderr.contains("in/u.jsonl.zst:"))
        #expect(result.stderr.contains("the zstd data ends early"))
        #expect(result.stderr.contains("in/v.jsonl.zst:1: error: the zstd data is corrupt"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/runs/long-0.html").path))
    }

    @Test("a report folder inside the input folder is not read as traces")
    func reportInsideFolder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try makeExports(in: dir)
        #expect(try trace(["render", "exports", "-o", "exports/old-report"], in: dir).status == 0)
        let result = try trace(["render", "exports", "-o", "out"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "exports/old-report/summary.json: note: skipped: a report's summary.json, not a trace"))
        #expect(
            result.stderr.contains("exports/old-report/runs.jsonl: note: skipped: a report's runs.jsonl, not a trace"))
        #expect(result.stderr.contains("exports/old-report/index.html: note: skipped: not JSON, gzip or zstd data"))
        #expect(result.stderr.contains("rendered 4 runs (7 span records) with 1 skipped line"))
    }

    @Test("a large report's runs.jsonl.gz inside the input folder is not read as traces")
    func compressedRunsInsideFolder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for r in 0..<201 {
            let start = 1_736_150_400 + r
            text +=
                #"{"trace_id":"r\#(r)","span_id":"1","name":"agent","kind":"agent","start_time":\#(start),"end_time":\#(start + 1)}"#
                + "\n"
        }
        try write(Array(text.utf8), to: dir.appendingPathComponent("exports/runs.jsonl"))
        #expect(try trace(["render", "exports/runs.jsonl", "-o", "exports/old-report"], in: dir).status == 0)
        let compressed = dir.appendingPathComponent("exports/old-report/runs.jsonl.gz")
        #expect(FileManager.default.fileExists(atPath: compressed.path))
        let result = try trace(["render", "exports", "-o", "out"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "exports/old-report/runs.jsonl.gz: note: skipped: a report's runs.jsonl.gz, not a trace"))
        #expect(result.stderr.contains("rendered 201 runs"))
    }

    @Test("a folder with no trace file is an error, not an empty report")
    func emptyFolder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(Array("hello\n".utf8), to: dir.appendingPathComponent("in/readme.md"))
        let result = try trace(["render", "in", "-o", "out"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("in/readme.md: note: skipped"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}

@Suite("Decompression limits")
struct DecompressionLimitTests {
    @Test("text beyond the limit is cut at the limit and reported, for gzip and zstd alike")
    func bomb() {
        let text = String(
            repeating: "{\"trace_id\":\"t\",\"span_id\":\"s\",\"name\":\"n\",\"start_time\":1}\n", count: 20_000)
        for (kind, bytes) in [(Decompression.Kind.gzip, gzip(text)), (.zstd, zstd(text))] {
            let full = bytes.withUnsafeBytes { Decompression.decompress($0, as: kind) }
            #expect(full.failure == nil)
            #expect(full.text == Array(text.utf8))
            let cut = bytes.withUnsafeBytes { Decompression.decompress($0, as: kind, limit: 100_000) }
            #expect(cut.text == Array(text.utf8.prefix(100_000)))
            #expect(
                cut.failure
                    == "the decompressed text is larger than 100000 bytes, the most one file may give (a decompression bomb?)"
            )
        }
        #expect(Decompression.tooLarge(Decompression.defaultLimit).contains("larger than 4 GiB"))
    }
}

@Suite("gzip output")
struct CompressionTests {
    @Test("gzip output is one member per 4 MiB of input, the same bytes on any number of threads, and reads back whole")
    func members() {
        var text: [UInt8] = []
        var i = 0
        while text.count < 2 * Compression.memberSize + 12_345 {
            text += Array("{\"trace_report_run\":1,\"id\":\"r\(i)\",\"spans\":\(i % 17)}\n".utf8)
            i += 1
        }
        let one = Compression.gzip(text, jobs: 1)
        #expect(Compression.gzip(text, jobs: 3) == one)
        #expect(one.starts(with: [0x1F, 0x8B, 0x08]))
        let back = one.withUnsafeBytes { Decompression.gunzip($0) }
        #expect(back.failure == nil)
        #expect(back.text == text)
        #expect(one.count < text.count / 4)
        let empty = Compression.gzip([], jobs: 2)
        #expect(empty.withUnsafeBytes { Decompression.gunzip($0) }.text.isEmpty)
    }
}
