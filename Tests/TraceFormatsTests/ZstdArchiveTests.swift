import Foundation
import Testing
import TraceJSON
import TraceModel

@testable import TraceFormats

@Suite("ZIP archives: Zstandard entries and the extraction budget")
struct ZstdArchiveTests {
    @Test("an Inspect .eval log with Zstandard entries renders the same runs and spans as its .json twin")
    func zstdEvalMatchesJSON() throws {
        let archive = try load(fixture: "inspect/refund-zstd.eval")
        let json = try load(fixture: "inspect/refund-zstd.json")
        #expect(archive.diagnostics.isEmpty, "\(archive.diagnostics.map(\.message))")
        #expect(archive.runs.map(\.run.traceID) == ["Zq7mK2vRfN4pXc9TtLw3Ab-sample-1-epoch-1"])
        #expect(archive.runs.map(\.run.traceID) == json.runs.map(\.run.traceID))
        #expect(archive.spans.map(\.name) == json.spans.map(\.name))
        #expect(archive.spans.map(\.kind) == json.spans.map(\.kind))
        #expect(archive.spans.map(\.input) == json.spans.map(\.input))
        #expect(archive.spans.map(\.output) == json.spans.map(\.output))
        #expect(archive.spans.map(\.usage) == json.spans.map(\.usage))
        let call = try #require(archive.spans.first { $0.kind == .llm })
        #expect(call.usage.inputTokens == 21)
        #expect(
            call.output?["content"]?.stringValue?.contains("refunded in full") == true
                || "\(call.output ?? .null)".contains("refunded in full"))
        #expect(archive.runs.first?.run.info?.metadata["task"] == .string("refund_policy"))
    }

    @Test("the entries are method 93 and decompress to their declared sizes and CRCs")
    func zstdEntries() throws {
        let bytes = try fixtureBytes("inspect/refund-zstd.eval")
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(bytes: raw)
            #expect(
                archive.entries.map(\.name) == [
                    "_journal/start.json", "samples/1_epoch_1.json", "_journal/summaries/1.json", "summaries.json",
                    "reductions.json", "header.json",
                ])
            #expect(archive.entries.allSatisfy { $0.method == 93 })
            for entry in archive.entries {
                let data = try archive.contents(of: entry)
                #expect(UInt64(data.count) == entry.uncompressedSize)
                #expect(JSONStreamParser.parse(data).errors.isEmpty)
            }
        }
    }

    @Test("damaged Zstandard data is a clear error naming the entry")
    func damagedZstd() throws {
        var bytes = try fixtureBytes("inspect/refund-zstd.eval")
        let archive = try bytes.withUnsafeBytes { try ZipArchive(bytes: $0) }
        let sample = try #require(archive.entries.first { $0.name.hasPrefix("samples/") })
        // Past the local header (30 bytes + name) and the frame header, inside the first block.
        let at = Int(sample.localHeaderOffset) + 30 + sample.name.utf8.count + 12
        for i in at..<(at + 16) { bytes[i] ^= 0x5A }
        let loaded = load(bytes: bytes, file: "damaged.eval")
        let error = try #require(loaded.errors.first)
        #expect(error.location.file == "damaged.eval")
        #expect(error.message.contains("samples/1_epoch_1.json"), "\(error.message)")
        #expect(loaded.runs.map(\.run.traceID) == ["Zq7mK2vRfN4pXc9TtLw3Ab"])
    }

    @Test("many entries pointing at one deflate stream stop at the archive's budget with a clear error")
    func decompressionBomb() throws {
        let bytes = try fixtureBytes("inspect/bomb.eval")
        #expect(bytes.count < 16_000)
        #expect(ZipArchive.defaultBudget(archiveSize: bytes.count) == 32 << 20)
        let loaded = load(bytes: bytes, file: "bomb.eval")
        let budgetErrors = loaded.errors.filter { $0.message.contains("budget") }
        #expect(budgetErrors.count == 1, "\(loaded.errors.map(\.message))")
        #expect(budgetErrors.first?.message.contains("decompression bomb") == true)
        #expect(budgetErrors.first?.location.file == "bomb.eval")
        // The header still gives the eval's summary run.
        #expect(loaded.runs.map(\.run.traceID) == ["bomb1"])

        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(bytes: raw)
            var extracted: UInt64 = 0
            var failure: ZipArchive.Failure? = nil
            for entry in archive.entries {
                do {
                    extracted += UInt64(try archive.contents(of: entry).count)
                } catch {
                    failure = error as? ZipArchive.Failure
                    break
                }
            }
            #expect(extracted <= 32 << 20)
            #expect(failure?.exhaustedBudget == true)
        }
    }

    @Test("the default budget is 64 times the archive, at least 32 MiB and at most 2 GiB")
    func budgetBounds() {
        #expect(ZipArchive.defaultBudget(archiveSize: 1_000) == 32 << 20)
        #expect(ZipArchive.defaultBudget(archiveSize: 1 << 20) == 64 << 20)
        #expect(ZipArchive.defaultBudget(archiveSize: 1 << 30) == 1 << 31)
        #expect(ZipArchive.defaultBudget(archiveSize: Int.max) == 1 << 31)
    }

    @Test("an explicit budget bounds stored entries too")
    func explicitBudget() throws {
        let content = Array(#"{"version":2,"status":"success","eval":{"eval_id":"s","task":"t","model":"m"}}"#.utf8)
        let zip = InspectTests.storedZip(name: "header.json", content: content)
        try zip.withUnsafeBytes { raw in
            let tight = try ZipArchive(bytes: raw, budget: UInt64(content.count - 1))
            #expect(throws: ZipArchive.Failure.self) { try tight.contents(of: tight.entries[0]) }
            let exact = try ZipArchive(bytes: raw, budget: UInt64(content.count))
            #expect(try exact.contents(of: exact.entries[0]) == content)
            // The budget is spent: reading the entry again exceeds it.
            #expect(throws: ZipArchive.Failure.self) { try exact.contents(of: exact.entries[0]) }
        }
    }

    @Test("an entry written as several Zstandard frames (Inspect splits large entries) decompresses whole")
    func multipleFrames() throws {
        let bytes = try fixtureBytes("inspect/refund-zstd.eval")
        try bytes.withUnsafeBytes { raw in
            let archive = try ZipArchive(bytes: raw)
            let entry = try #require(archive.entry(named: "header.json"))
            let plain = try archive.contents(of: entry)
            let start = Int(entry.localHeaderOffset) + 30 + entry.name.utf8.count
            let frame = Array(bytes[start..<(start + Int(entry.compressedSize))])
            let twice = frame + frame
            let joined = try twice.withUnsafeBytes {
                try ZipArchive.decompressZstandard($0, expected: plain.count * 2, name: "twice")
            }
            #expect(joined == plain + plain)
            // One frame short of the declared size is an error, not a short read.
            #expect(throws: ZipArchive.Failure.self) {
                try frame.withUnsafeBytes {
                    try ZipArchive.decompressZstandard($0, expected: plain.count * 2, name: "short")
                }
            }
        }
    }
}
