import Foundation
import Testing
import TraceEval
import TraceFormats
import TraceHTML
import TraceJSON
import TraceModel

@testable import TraceReportCore

/// A large plain file releases its spans' inputs and outputs once decoded and reads them again,
/// a batch of runs at a time, when the pages are rendered: the report is the same, byte for
/// byte, as when the file is read whole and held.
@Suite("released content: large files read again by record give the same report", .serialized)
struct ReleasedContentTests {
    /// Renders `text` as the file `name` two ways: held whole (no release), and read in pieces
    /// of `pieceBytes` (released and read again). Returns both reports and the pieces' action.
    static func renderBoth(
        _ text: String, name: String, largeReportRuns: Int, pieceBytes: Int = 4000, jobs: Int = 2
    ) throws -> (whole: [String: Data], pieces: [String: Data], released: RenderAction.Prepared) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        func action() -> RenderAction {
            RenderAction(
                pipeline: Pipeline(jobs: jobs),
                report: ReportOptions(title: "Released", parallelism: jobs, largeReportRuns: largeReportRuns))
        }
        func files(_ prepared: RenderAction.Prepared) throws -> [String: Data] {
            var files: [String: Data] = [:]
            try prepared.write { files[$0.relativePath] = Data($0.contents) }
            return files
        }
        let whole = try action().prepare([TraceInput(name: path, bytes: Array(text.utf8))])
        #expect(whole.contentSource == nil)
        let pieces = try action().prepare([try TraceInput(path: path, pieceBytes: pieceBytes)])
        #expect(whole.diagnostics == pieces.diagnostics)
        return (try files(whole), try files(pieces), pieces)
    }

    static func expectSame(_ a: [String: Data], _ b: [String: Data], _ what: String) {
        #expect(a.keys.sorted() == b.keys.sorted(), "\(what): the same files")
        for key in a.keys.sorted() where a[key] != b[key] {
            Issue.record("\(what): \(key) differs when content is released and read again")
        }
    }

    /// Native lines of many runs, interleaved (each run's records spread over the file), with
    /// a broken line, a span written twice (start and end records that merge), and CRLF ends.
    static func interleavedNative(runs: Int) -> String {
        let lines = JobsCLITests.multiRunTrace(runs: runs).split(separator: "\n").map(String.init)
        // Deal the lines out in three hands, so a run's records are far apart.
        var dealt = stride(from: 0, to: lines.count, by: 3).map { lines[$0] }
        dealt += stride(from: 1, to: lines.count, by: 3).map { lines[$0] }
        dealt += stride(from: 2, to: lines.count, by: 3).map { lines[$0] }
        dealt.insert(#"{"trace_id":"run-3","span_id":"broken","name":"x","start_time":"#, at: 9)
        dealt.insert(
            #"{"trace_id":"run-5","span_id":"late","parent_id":"root","name":"tool","kind":"tool","start_time":1736150450.2}"#,
            at: 20)
        dealt.append(
            #"{"trace_id":"run-5","span_id":"late","name":"tool","start_time":1736150450.2,"end_time":1736150450.9,"input":{"q":"**where** is it"},"output":"found it"}"#
        )
        return dealt.joined(separator: "\r\n") + "\r\n"
    }

    @Test("Native runs interleaved across pieces: the same bytes, server-rendered pages and a large index")
    func nativeSame() throws {
        let text = Self.interleavedNative(runs: 40)
        for largeReportRuns in [1000, 8] {
            let (whole, pieces, released) = try Self.renderBoth(
                text, name: "interleaved.jsonl", largeReportRuns: largeReportRuns)
            #expect(released.contentSource != nil, "the pieces' content is released")
            #expect(
                released.runs.allSatisfy { $0.run.nodes.allSatisfy { $0.span.input == nil && $0.span.output == nil } })
            if largeReportRuns == 1000 {
                // The text of a span whose two records merge is read again from both.
                let page = try #require(pieces.first { $0.key.hasPrefix("runs/run-5") }?.value)
                #expect(String(decoding: page, as: UTF8.self).contains("found it"))
            }
            Self.expectSame(whole, pieces, "native, \(largeReportRuns == 8 ? "large" : "small") report")
            #expect(pieces["runs.jsonl"] != nil || pieces["runs.jsonl.gz"] != nil)
        }
    }

    @Test("OTLP lines holding spans of two runs each: the same bytes")
    func otlpSame() throws {
        var lines: [String] = []
        func span(_ trace: Int, _ id: String, parent: String?, _ at: Int, _ text: String) -> String {
            let start = 1_736_150_400_000_000_000 + at * 1_000_000
            let parentField = parent.map { #","parentSpanId":"\#($0)""# } ?? ""
            return
                #"{"traceId":"\#(String(format: "%032x", trace + 1))","spanId":"\#(id)"\#(parentField),"name":"step-\#(id)","startTimeUnixNano":"\#(start)","endTimeUnixNano":"\#(start + 5_000_000)","attributes":[{"key":"input.value","value":{"stringValue":"\#(text) *asked*"}},{"key":"output.value","value":{"stringValue":"\#(text) answered with `code`"}}]}"#
        }
        for t in stride(from: 0, to: 30, by: 2) {
            for s in 0..<6 {
                let id = String(format: "%016x", s + 1)
                let parent = s == 0 ? nil : String(format: "%016x", 1)
                let spans = [
                    span(t, id, parent: parent, t * 100 + s, "run \(t) step \(s)"),
                    span(t + 1, id, parent: parent, t * 100 + s, "run \(t + 1) step \(s)"),
                ]
                lines.append(
                    #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"scope":{"name":"s"},"spans":[\#(spans.joined(separator: ","))]}]}]}"#
                )
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        for largeReportRuns in [1000, 8] {
            let (whole, pieces, released) = try Self.renderBoth(
                text, name: "spans.otlp.jsonl", largeReportRuns: largeReportRuns)
            #expect(released.contentSource != nil)
            #expect(released.runs.count == 30)
            Self.expectSame(whole, pieces, "OTLP")
        }
    }

    @Test("A piece with carriage-return line ends after content was released is read again whole")
    func loneCarriageReturnFallsBack() throws {
        var text = Self.interleavedNative(runs: 30).replacingOccurrences(of: "\r\n", with: "\n")
        // Old Mac line ends near the end of the file: a later piece's line numbers then count
        // lines the bytes do not end with a line feed.
        let tail = text.index(text.endIndex, offsetBy: -3000)
        text = String(text[..<tail]) + text[tail...].replacingOccurrences(of: "\n", with: "\r")
        let (whole, pieces, released) = try Self.renderBoth(text, name: "mac.jsonl", largeReportRuns: 1000)
        #expect(released.contentSource == nil, "nothing is left released")
        #expect(released.runs.contains { $0.run.nodes.contains { $0.span.input != nil } })
        Self.expectSame(whole, pieces, "lone carriage returns")
    }

    @Test("Only formats whose records decode alone release content")
    func formatsThatJoinRecordsKeepContent() throws {
        #expect(try #require(TraceFormats.named("native")).decodesRecordsAlone)
        #expect(try #require(TraceFormats.named("otlp")).decodesRecordsAlone)
        // Langfuse update events may omit the trace id, Braintrust rows merge: decoded together.
        #expect(!(try #require(TraceFormats.named("langfuse")).decodesRecordsAlone))
        #expect(!(try #require(TraceFormats.named("braintrust")).decodesRecordsAlone))
    }
}
