import TraceFormats
import TraceJSON
import TraceModel

/// Reads trace files through decode, assembly and analysis, as every subcommand needs.
struct TraceLoader {
    let format: (any TraceFormatDecoder)?
    let jobs: Int

    /// What loading produced.
    struct Loaded {
        var runs: [AnalyzedRun]
        var diagnostics: [Diagnostic]
        var spanRecords: Int
    }

    /// Why loading stopped before anything was decoded.
    struct Unreadable: Error {
        let path: String
        let reason: String
    }

    /// Opens every input first, so an unreadable one stops the command before any work.
    static func open(_ paths: [String]) throws(Unreadable) -> [InputFile] {
        var inputs: [InputFile] = []
        for path in paths {
            do {
                inputs.append(try InputFile(path: path))
            } catch let error as MappedFileError {
                throw Unreadable(path: path, reason: error.reason)
            } catch {
                throw Unreadable(path: path, reason: "\(error)")
            }
        }
        return inputs
    }

    func load(_ inputs: [InputFile], extraRunInfo: [RunInfo] = []) -> Loaded {
        var decoded = DecodedTrace()
        let decoder = TraceDecoder(format: format, candidates: TraceFormats.all, jobs: jobs)
        for input in inputs {
            let (trace, problem) = input.withTextBytes { decoder.decode($0, file: input.displayName) }
            decoded.append(trace)
            if let problem { decoded.diagnostics.append(problem) }
        }
        let spanRecords = decoded.spans.count
        let (runs, repairs) = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo + extraRunInfo)
        decoded.spans.removeAll()
        let analyzed = RunAnalyzer().analyze(runs, jobs: jobs)
        return Loaded(runs: analyzed, diagnostics: decoded.diagnostics + repairs, spanRecords: spanRecords)
    }
}
