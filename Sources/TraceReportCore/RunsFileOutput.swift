public import TraceEval
public import TraceHTML

/// Where a report folder keeps its ``RunsFile``: `runs.jsonl`, or, for more than
/// ``compressAbove`` runs, `runs.jsonl.gz` (the same lines, gzip-compressed: a tenth of the bytes
/// for a report of many small runs, where the plain file alone outweighed half the input).
public enum RunsFileOutput {
    /// The compressed file's name.
    public static let compressedName = RunsFile.fileName + ".gz"
    /// Runs files of more records than this are written compressed.
    public static let compressAbove = 200

    /// The runs file of `records` as it is written into a report folder.
    public static func file(_ records: [RunsFile.Record], jobs: Int) -> OutputFile {
        let text = RunsFile.write(records)
        guard records.count > compressAbove else { return OutputFile(relativePath: RunsFile.fileName, contents: text) }
        return OutputFile(relativePath: compressedName, contents: Compression.gzip(text, jobs: jobs))
    }
}
