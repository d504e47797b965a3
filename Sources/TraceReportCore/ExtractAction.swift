public import TraceEval
public import TraceModel

/// `extract` as a value: opened inputs and a run id in; one eval case out.
public struct ExtractAction {
    /// How the inputs are decoded, assembled and analyzed.
    public var pipeline: Pipeline
    /// The run to turn into an eval case.
    public var runID: String
    /// The span whose input and output the case takes; the run's root when `nil`.
    public var spanID: String?
    /// Labels for the case.
    public var labels: [String] = []
    /// What the case expects.
    public var expected: EvalCase.Expected = .unknown
    /// Applied to the run (and the span id) before the case is made.
    public var redactor: Redactor?
    /// What the inputs are called in messages.
    public var inputNames: [String] = []

    /// Creates an extract action.
    public init(pipeline: Pipeline, runID: String) {
        self.pipeline = pipeline
        self.runID = runID
    }

    /// Why no case was made.
    public typealias Failure = ActionFailure

    /// The case, and the errors met reading the inputs.
    public func run(_ inputs: consuming [TraceInput]) throws(Failure) -> (eval: EvalCase, diagnostics: [Diagnostic]) {
        let loaded = pipeline.load(consume inputs)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard var target = loaded.runs.first(where: { $0.run.traceID == runID }) else {
            let known = loaded.runs.prefix(10).map(\.run.traceID).joined(separator: ", ")
            throw Failure(
                message:
                    "error: no run \"\(runID)\" in \(inputNames.joined(separator: ", ")) (runs: \(known.isEmpty ? "none" : known)\(loaded.runs.count > 10 ? ", …" : ""))",
                diagnostics: errors)
        }
        var spanID = self.spanID
        if var redactor {
            // The run's ids are redacted too: look the span up by its redacted id.
            target = redactor.redact(target)
            spanID = spanID.map { redactor.redact($0) }
        }
        do {
            return (try EvalCase(run: target, spanID: spanID, labels: labels, expected: expected), errors)
        } catch {
            throw Failure(message: "error: \(error)", diagnostics: errors)
        }
    }
}
