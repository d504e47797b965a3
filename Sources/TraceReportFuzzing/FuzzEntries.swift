import TraceEval
import TraceFormats
import TraceHTML
import TraceJSON
import TraceMarkdown
import TraceModel
import TraceReportCore

/// The entry points the fuzz targets under `Fuzz/` drive, one per way untrusted bytes enter the
/// product. Each takes arbitrary bytes and must return without trapping, hanging or growing
/// memory without bound; the regression tests replay every saved input through the same function.
public enum FuzzEntry: String, CaseIterable, Sendable {
    /// The JSON stream parser, whole and split across threads.
    case json
    /// Every format decoder on the same bytes, each forced.
    case decoders
    /// The ZIP reader of Inspect `.eval` archives (the bytes follow a local-file-header signature).
    case zip
    /// Markdown rendering through cmark and the link policy.
    case markdown
    /// The whole pipeline in memory: detect, decode, assemble, analyze, evaluate, render.
    case pipeline

    /// Runs this entry point on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .json: Self.json(bytes)
        case .decoders: Self.decoders(bytes)
        case .zip: Self.zip(bytes)
        case .markdown: Self.markdown(bytes)
        case .pipeline: Self.pipeline(bytes)
        }
    }

    static func json(_ bytes: [UInt8]) {
        let whole = JSONStreamParser.parse(bytes)
        _ = whole.records.count + whole.errors.count
        bytes.withUnsafeBytes { raw in
            let split = JSONStreamParser.parse(raw, threads: 3)
            _ = split.records.count
        }
    }

    static func decoders(_ bytes: [UInt8]) {
        for format in TraceFormats.all {
            let decoded = TraceDecoder(format: format, candidates: TraceFormats.all, jobs: 1).decode(
                bytes, file: "fuzz")
            _ = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo)
        }
    }

    static func zip(_ bytes: [UInt8]) {
        let archive: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + bytes
        let decoded = TraceDecoder(candidates: TraceFormats.all, jobs: 1).decode(archive, file: "fuzz.eval")
        _ = decoded.spans.count
    }

    static func markdown(_ bytes: [UInt8]) {
        _ = CommonMark.html(from: String(decoding: bytes, as: UTF8.self))
    }

    static func pipeline(_ bytes: [UInt8]) {
        let loaded = Pipeline(jobs: 1).load([TraceInput(name: "fuzz.jsonl", bytes: bytes)])
        let analyzed = loaded.runs
        _ = loaded.problems
        let evalRuns = ReportRenderer.evalRuns(analyzed)
        let report = EvalReport(runs: evalRuns, baseline: evalRuns, options: EvalOptions(thresholds: ["score": 0.5]))
        let files = ReportRenderer(options: ReportOptions(title: "fuzz")).render(analyzed, eval: report)
        _ = files.count
        _ = SummaryJSON.write(report, title: "fuzz")
        _ = MarkdownSummary.write(report, title: "fuzz", reportPath: "report")
    }
}
