import Foundation
import TraceEval
import TraceHTML
import TraceReportCore

/// Where a report folder keeps its ``RunsFile``: `runs.jsonl`, or, for more than
/// ``compressAbove`` runs, `runs.jsonl.gz` (the same lines, gzip-compressed: a tenth of the bytes
/// for a report of many small runs, where the plain file alone outweighed half the input).
enum RunsFileIO {
    /// The compressed file's name.
    static let compressedName = RunsFile.fileName + ".gz"
    /// Runs files of more records than this are written compressed.
    static let compressAbove = 200

    /// The runs file of `records` as it is written into a report folder.
    static func output(_ records: [RunsFile.Record], jobs: Int) -> OutputFile {
        let text = RunsFile.write(records)
        guard records.count > compressAbove else { return OutputFile(relativePath: RunsFile.fileName, contents: text) }
        return OutputFile(relativePath: compressedName, contents: Compression.gzip(text, jobs: jobs))
    }

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
        let compressed = folder + "/" + compressedName
        guard let data = FileManager.default.contents(atPath: compressed) else { return .missing }
        let output = data.withUnsafeBytes { Decompression.gunzip($0) }
        if let failure = output.failure { return .unreadable(path: compressed, reason: failure) }
        return .text(path: compressed, bytes: output.text)
    }
}
