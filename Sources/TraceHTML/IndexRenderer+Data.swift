import TraceJSON
import TraceModel

/// What the index of a large report carries instead of a server-rendered row per run.
struct LargeIndex: Sendable {
    /// Run positions in start order (runs without a recorded start last, in input order).
    var order: [Int]
    /// Whether each run (by position) has a page of its own under `runs/`.
    var hasPage: [Bool]
    /// Every run's page body, packed by ``IndexData`` in chunks, in start order, each with the
    /// start-order position of its first run.
    var bodyChunks: [(first: Int, packed: [UInt8])]
    /// How many rows (the first in start order) are rendered for readers without JavaScript.
    var noScriptRows: Int
    /// Threads for encoding the rows.
    var parallelism: Int = 1
}

// MARK: - The run table as data

extension IndexRenderer {
    /// The note under the first rows, the row data and the page bodies.
    func tableData(
        _ large: LargeIndex, scoreNames: [String], otherThan columns: Set<String>?, into out: inout HTMLBuffer
    ) {
        let shown = min(large.noScriptRows, runs.count)
        out.raw("<p class=\"more-runs\" id=\"more-runs\" data-shown=\"")
        out.int(shown)
        out.raw("\" data-total=\"")
        out.int(runs.count)
        out.raw("\">")
        out.text(
            "Showing the first \(Formatting.count(Int64(shown))) of \(Formatting.count(Int64(runs.count))) runs, "
                + "in start order. The other \(Formatting.count(Int64(runs.count - shown))) are in this page as data: "
                + "the full table, its sorting and filtering, and opening those runs need JavaScript.")
        out.raw("</p>\n")
        let chunkCount = (runs.count + IndexData.rowsPerChunk - 1) / IndexData.rowsPerChunk
        let packed = ParallelRunner.map(count: chunkCount, jobs: large.parallelism) { c -> [UInt8] in
            let positions = large.order[
                (c * IndexData.rowsPerChunk)..<min(runs.count, (c + 1) * IndexData.rowsPerChunk)]
            let rows = positions.map { i -> [UInt8] in
                var html = HTMLBuffer(capacity: 2048)
                row(at: i, scoreNames: scoreNames, otherThan: columns, into: &html)
                return html.bytes
            }
            return IndexData.pack(fragments: rows)
        }
        for (c, chunk) in packed.enumerated() {
            out.raw("<script type=\"application/x-trace-report-rows\" class=\"run-rows\" data-first=\"")
            out.int(c * IndexData.rowsPerChunk)
            out.raw("\">")
            out.raw(bytes: chunk)
            out.raw("</script>\n")
        }
        for chunk in large.bodyChunks {
            out.raw("<script type=\"application/x-trace-report-bodies\" class=\"run-bodies\" data-first=\"")
            out.int(chunk.first)
            out.raw("\">")
            out.raw(bytes: chunk.packed)
            out.raw("</script>\n")
        }
    }
}
