import TraceEval
public import TraceHTML
public import TraceModel

/// `diff` as a value: two opened inputs and options in; the diff pages and a count of pairs
/// whose final output or status differs out. It never touches the disk.
public struct DiffAction {
    /// How both inputs are decoded, assembled and analyzed.
    public var pipeline: Pipeline
    /// The pages' title.
    public var title: String
    /// The old run to compare, by trace id; every run when `nil`.
    public var baselineRunID: String?
    /// The new run to compare, by trace id; every run when `nil`.
    public var runID: String?
    /// How runs pair when several are compared: `trace_id`, `name` or `metadata.KEY`.
    public var matchOn = "trace_id"
    /// Applied to both runs of every pair with one redactor, so a value both runs have gets the
    /// same placeholder in both.
    public var redactor: Redactor?
    /// What the old and new inputs are called in messages.
    public var names: (old: String, new: String) = ("old", "new")

    /// Creates a diff action.
    public init(pipeline: Pipeline, title: String) {
        self.pipeline = pipeline
        self.title = title
    }

    /// Why nothing is written.
    public typealias Failure = ActionFailure

    /// The diff pages and what they found.
    public struct Result: Sendable {
        /// The pages: one per pair, and an index when there are several.
        public var files: [OutputFile]
        /// The page a reader opens first.
        public var entry: String
        /// How many pairs were compared.
        public var pairs: Int
        /// How many pairs differ in final output or status.
        public var differing: Int
        /// Runs of the new input that match no old run.
        public var unpaired: Int
        /// Problems reading the inputs.
        public var diagnostics: [Diagnostic]
    }

    /// Loads both inputs, pairs their runs and renders the diff pages.
    public func run(old: TraceInput, new: TraceInput) throws(Failure) -> Result {
        let oldLoaded = pipeline.load([old])
        let newLoaded = pipeline.load([new])
        let diagnostics = oldLoaded.diagnostics + newLoaded.diagnostics
        for (name, loaded) in [(names.old, oldLoaded), (names.new, newLoaded)] where loaded.runs.isEmpty {
            throw Failure(
                message: "error: no spans could be read from \(name); nothing was written", diagnostics: diagnostics)
        }

        // Pick and pair.
        let oldRuns = try Self.pick(
            baselineRunID, from: oldLoaded.runs, file: names.old, option: "--baseline-run", diagnostics)
        let newRuns = try Self.pick(runID, from: newLoaded.runs, file: names.new, option: "--run", diagnostics)
        var pairs: [(old: AnalyzedRun, new: AnalyzedRun)] = []
        var unpaired = 0
        if oldRuns.count == 1 && newRuns.count == 1 {
            pairs = [(oldRuns[0], newRuns[0])]
        } else {
            let matches = EvalReport.baselineMatches(
                newRuns.map { EvalRun($0) }, baseline: oldRuns.map { EvalRun($0) }, matchOn: matchOn)
            for (n, match) in zip(newRuns, matches) {
                if let match { pairs.append((oldRuns[match], n)) }
            }
            if pairs.isEmpty {
                throw Failure(
                    message:
                        "error: no run of \(names.new) matches a run of \(names.old) on \(matchOn) (\(newRuns.count) runs, \(oldRuns.count) in the baseline); pair them with --match-on, or pick one of each with --run and --baseline-run; nothing was written",
                    diagnostics: diagnostics)
            }
            unpaired = newRuns.count - pairs.count
        }

        var manifest: RedactionManifest? = nil
        if var redactor {
            pairs = pairs.map { (redactor.redact($0.old), redactor.redact($0.new)) }
            manifest = redactor.manifest
        }

        let stems = ReportRenderer.fileStems(for: pairs.map(\.new))
        let renderer = DiffRenderer(title: title, parallelism: pipeline.jobs, redaction: manifest)
        let (files, differing) = renderer.render(
            zip(pairs, stems).map { DiffPair(old: $0.old, new: $0.new, fileStem: $1) })
        return Result(
            files: files, entry: pairs.count == 1 ? stems[0] + ".html" : "index.html", pairs: pairs.count,
            differing: differing, unpaired: unpaired, diagnostics: diagnostics)
    }

    /// The run named `id`, or every run when no id is given.
    private static func pick(
        _ id: String?, from runs: [AnalyzedRun], file: String, option: String, _ diagnostics: [Diagnostic]
    ) throws(Failure) -> [AnalyzedRun] {
        guard let id else { return runs }
        if let run = runs.first(where: { $0.run.traceID == id }) { return [run] }
        let known = runs.prefix(10).map(\.run.traceID).joined(separator: ", ")
        throw Failure(
            message: "\(file): error: \(option) names no run \"\(id)\" (runs: \(known)\(runs.count > 10 ? ", …" : ""))",
            diagnostics: diagnostics)
    }
}
