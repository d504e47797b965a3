import TraceFormats
import TraceJSON
public import TraceModel

/// Where the inputs and outputs of a large load's spans are read again after loading released
/// them, so that memory holds the structure of every run but the text of only the runs being
/// rendered.
///
/// A large plain file (see ``TraceInput``) in a format whose records decode alone
/// (``TraceModel/TraceFormatDecoder/decodesRecordsAlone``) is decoded a piece at a time. Once a
/// piece is decoded, its spans keep their ids, names, times, usage, errors, scores and metadata,
/// which is all that assembly, analysis, selection, evaluation and the index read, and release
/// their inputs and outputs, most of their memory. The source remembers where each run's
/// records are; ``complete(_:)`` reads them again, decodes, assembles and analyzes them as
/// loading did, and gives the runs whole for their pages.
public final class ContentSource: Sendable {
    /// A file content was released from.
    struct Input: Sendable {
        let reader: PieceReader
        let file: String
        let format: any TraceFormatDecoder
    }

    /// Bytes of one file from the start of a line where a record with spans begins to the next
    /// such line, or to the end of the piece it was read in.
    struct Stretch: Sendable {
        let input: Int32
        let line: Int
        let start: Int
        let end: Int
    }

    let inputs: [Int32: Input]
    let stretches: [Stretch]
    let stretchesByTrace: [IDKey: [Int32]]

    init(inputs: [Int32: Input], stretches: [Stretch], stretchesByTrace: [IDKey: [Int32]]) {
        self.inputs = inputs
        self.stretches = stretches
        self.stretchesByTrace = stretchesByTrace
    }

    /// Reads are joined across gaps smaller than this, so that runs whose records interleave
    /// cost one read, not one per record.
    static let joinedGapBytes = 1 << 20
    /// The most bytes one read covers, so that the reads of a batch spread over threads.
    static let readBytes = 8 << 20

    /// `runs` (as loading gave them, inputs and outputs released) made whole on up to `jobs`
    /// threads: their records
    /// read again from the files, decoded, assembled and analyzed, in the same order. A run
    /// whose records cannot be read again (the file changed) is given as it is.
    public func complete(_ runs: [AnalyzedRun], jobs: Int) -> [AnalyzedRun] {
        guard !runs.isEmpty else { return runs }
        let keys = runs.map { IDKey($0.run.traceID) }
        var ids: [Int32] = []
        for key in keys { ids += stretchesByTrace[key] ?? [] }
        ids.sort()
        var reads: [[Int32]] = []
        var last: Int32 = -1
        for id in ids where id != last {
            last = id
            let s = stretches[Int(id)]
            if let previous = reads.last?.last, let first = reads.last?.first {
                let p = stretches[Int(previous)]
                let f = stretches[Int(first)]
                if p.input == s.input, s.start - p.end < Self.joinedGapBytes, s.end - f.start <= Self.readBytes {
                    reads[reads.count - 1].append(id)
                    continue
                }
            }
            reads.append([id])
        }
        let wanted = Set(keys)
        let decoder = TraceDecoder(jobs: 1)
        let decoded = ParallelRunner.map(count: reads.count, jobs: jobs) { r -> [Span] in
            let group = reads[r]
            let first = stretches[Int(group[0])]
            guard let input = inputs[first.input] else { return [] }
            let end = stretches[Int(group[group.count - 1])].end
            var bytes: [UInt8] = []
            do {
                try input.reader.read(at: first.start, count: end - first.start, into: &bytes)
            } catch {
                return []
            }
            var spans: [Span] = []
            var k = 0
            // Each stretch of joined stretches that touch is decoded as one text.
            while k < group.count {
                let from = stretches[Int(group[k])]
                var to = from
                while k + 1 < group.count, stretches[Int(group[k + 1])].start == to.end {
                    k += 1
                    to = stretches[Int(group[k])]
                }
                k += 1
                let lower = from.start - first.start
                let upper = min(to.end - first.start, bytes.count)
                guard lower < upper else { continue }
                let trace = bytes.withUnsafeBytes {
                    decoder.decodeRecords(
                        UnsafeRawBufferPointer(rebasing: $0[lower..<upper]), firstLine: from.line, file: input.file,
                        format: input.format)
                }
                spans += trace.spans.filter { wanted.contains(IDKey($0.traceID)) }
            }
            return spans
        }
        var records: [IDKey: [Span]] = [:]
        for spans in decoded {
            for var span in spans {
                let (checked, warnings) = ValueLimits.checked(span)
                if !warnings.isEmpty { span = checked }
                records[IDKey(span.traceID), default: []].append(span)
            }
        }
        let assembler = RunAssembler()
        let analyzer = RunAnalyzer()
        return ParallelRunner.map(count: runs.count, jobs: jobs) { i in
            guard let spans = records[keys[i]], !spans.isEmpty else { return runs[i] }
            var run = assembler.assembleRun(spans).run
            run.info = runs[i].run.info
            return analyzer.analyze(run)
        }
    }

    /// What loading records, piece by piece, to build a source.
    struct Recorder {
        var inputs: [Int32: Input] = [:]
        var stretches: [Stretch] = []
        var stretchesByTrace: [IDKey: [Int32]] = [:]
        /// Whether any span's content was released.
        var released = false

        /// Notes where the records of `spans`, decoded from `piece` (which starts at byte
        /// `offset` of input `input`, on line `firstLine`), are, and releases their inputs and
        /// outputs.
        mutating func release(
            _ spans: inout [Span], piece: UnsafeRawBufferPointer, offset: Int, firstLine: Int, input: Int
        ) {
            guard !spans.isEmpty, let base = piece.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let lines = Set(spans.map(\.source.line)).sorted()
            // The offset in the piece of the start of each line in `lines`.
            var starts: [Int] = []
            starts.reserveCapacity(lines.count)
            var line = firstLine
            var position = 0
            let n = piece.count
            for target in lines {
                while line < target, position < n {
                    guard let k = ByteScan.find(0x0A, base + position, n - position) else {
                        position = n
                        break
                    }
                    position += k + 1
                    line += 1
                }
                starts.append(position)
            }
            let firstID = stretches.count
            var idOfLine: [Int: Int32] = [:]
            idOfLine.reserveCapacity(lines.count)
            for (k, target) in lines.enumerated() {
                let end = k + 1 < starts.count ? starts[k + 1] : n
                idOfLine[target] = Int32(firstID + k)
                stretches.append(
                    Stretch(input: Int32(input), line: target, start: offset + starts[k], end: offset + end))
            }
            for i in spans.indices {
                let id = idOfLine[spans[i].source.line]!
                let key = IDKey(spans[i].traceID)
                if stretchesByTrace[key]?.last != id { stretchesByTrace[key, default: []].append(id) }
                spans[i].input = nil
                spans[i].output = nil
            }
            released = true
        }
    }
}
