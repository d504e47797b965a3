import Foundation
import TraceJSON
import TraceModel
import TraceReportCore

/// How the commands load their inputs: the library's ``Pipeline``, with inputs opened from the
/// command line's paths and the limits the environment sets.
struct TraceLoader {
    var pipeline: Pipeline

    init(format: (any TraceFormatDecoder)?, jobs: Int) {
        pipeline = Pipeline(format: format, jobs: jobs)
    }

    /// The progress line told about bytes read, if any.
    var progress: ProgressLine? {
        get { pipeline.progress as? ProgressLine }
        set { pipeline.progress = newValue }
    }

    typealias Loaded = Pipeline.Loaded

    /// Why loading stopped before anything was decoded.
    struct Unreadable: Error {
        let path: String
        let reason: String
    }

    /// The most bytes read from one input: `TRACE_REPORT_MAX_INPUT_BYTES` when set to a positive
    /// number, else ``MappedFile/defaultByteLimit`` (2 GiB).
    static var byteLimit: Int {
        if let text = ProcessInfo.processInfo.environment["TRACE_REPORT_MAX_INPUT_BYTES"], let n = Int(text), n > 0 {
            return n
        }
        return MappedFile.defaultByteLimit
    }

    /// The size of the pieces a large plain file is read in: `TRACE_REPORT_PIECE_BYTES` when set
    /// to a positive number (for tests), else 32 MiB. Files over twice this are read in pieces.
    static var pieceBytes: Int {
        if let text = ProcessInfo.processInfo.environment["TRACE_REPORT_PIECE_BYTES"], let n = Int(text), n > 0 {
            return n
        }
        return TraceInput.defaultPieceBytes
    }

    /// Opens every input first, so an unreadable one stops the command before any work.
    static func open(_ paths: [String]) throws(Unreadable) -> [TraceInput] {
        var inputs: [TraceInput] = []
        for path in paths {
            do throws(MappedFileError) {
                inputs.append(try TraceInput(path: path, byteLimit: byteLimit, pieceBytes: pieceBytes))
            } catch {
                throw Unreadable(path: path, reason: error.reason)
            }
        }
        return inputs
    }

    /// Decodes, assembles and analyzes `inputs`, releasing each once decoded.
    func load(_ inputs: consuming [TraceInput], extraRunInfo: [RunInfo] = []) -> Loaded {
        pipeline.load(consume inputs, extraRunInfo: extraRunInfo)
    }
}

extension ProgressLine: LoadProgress {}
