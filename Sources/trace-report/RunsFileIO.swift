import Foundation
import TraceEval
import TraceHTML
import TraceReportCore

/// Reads a report folder's ``RunsFile``: `runs.jsonl`, or `runs.jsonl.gz` (see
/// ``RunsFileOutput``).
enum RunsFileIO {
    /// What reading a report folder's runs file gave.
    enum Read {
        /// No runs file in the folder.
        case missing
        /// The file's text, by its path.
        case text(path: String, bytes: [UInt8])
        /// The file could not be decompressed, and why.
        case unreadable(path: String, reason: String)
    }

    /// The runs file of the report in `folder`: `runs.jsonl` when there is one (a render removes
    /// the other kind an earlier render left, so only an older version leaves both, and then its
    /// plain file is the newer), else `runs.jsonl.gz`.
    static func read(folder: String) -> Read {
        let plain = folder + "/" + RunsFile.fileName
        if let data = FileManager.default.contents(atPath: plain) { return .text(path: plain, bytes: [UInt8](data)) }
        let compressed = folder + "/" + RunsFileOutput.compressedName
        guard let data = FileManager.default.contents(atPath: compressed) else { return .missing }
        let output = data.withUnsafeBytes { Decompression.gunzip($0) }
        if let failure = output.failure { return .unreadable(path: compressed, reason: failure) }
        return .text(path: compressed, bytes: output.text)
    }
}
