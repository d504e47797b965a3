import Dispatch
import TraceJSON
import Synchronization

/// The read and decode stages for one input: JSON text in, normalized spans and diagnostics out.
///
/// Large inputs are cut at record boundaries and the pieces are parsed and decoded on up to
/// ``jobs`` threads; the result is the same, in the same order, whatever the number of jobs.
public struct TraceDecoder: Sendable {
    /// The most threads to use.
    public var jobs: Int
    /// The decoder for the input's format.
    public var format: any TraceFormatDecoder

    /// Pieces smaller than this are not worth a thread.
    static let minimumPieceBytes = 1 << 20

    /// Creates a decoder.
    public init(format: any TraceFormatDecoder = NativeTraceDecoder(), jobs: Int = 1) {
        self.format = format
        self.jobs = max(1, jobs)
    }

    /// Decodes the JSON text `bytes`, read from `file` (used only in diagnostics).
    public func decode(_ bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        let wanted = max(1, min(jobs, bytes.count / Self.minimumPieceBytes))
        let pieces = JSONStreamParser.split(bytes, into: wanted)
        if pieces.count == 1 {
            return decodePiece(bytes, firstLine: 1, file: file)
        }
        let slots = Mutex([DecodedTrace?](repeating: nil, count: pieces.count))
        let base = UInt(bitPattern: bytes.baseAddress)
        let count = bytes.count
        DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
            let from = pieces[index].offset
            let to = index + 1 < pieces.count ? pieces[index + 1].offset : count
            let piece = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base)! + from, count: to - from)
            let result = decodePiece(piece, firstLine: pieces[index].firstLine, file: file)
            slots.withLock { $0[index] = result }
        }
        var merged = DecodedTrace()
        for result in slots.withLock({ $0 }) {
            merged.append(result!)
        }
        return merged
    }

    /// Decodes JSON text held in an array.
    public func decode(_ bytes: [UInt8], file: String) -> DecodedTrace {
        bytes.withUnsafeBytes { decode($0, file: file) }
    }

    private func decodePiece(_ bytes: UnsafeRawBufferPointer, firstLine: Int, file: String) -> DecodedTrace {
        let parsed = JSONStreamParser.parse(bytes, firstLine: firstLine)
        var decoded = format.decode(parsed.records, file: file)
        if !parsed.errors.isEmpty {
            var syntax = parsed.errors.map {
                Diagnostic(.error, at: SourceLocation(file: file, line: $0.line), "\($0.message) (column \($0.column)); line skipped")
            }
            // Keep diagnostics in line order.
            syntax.append(contentsOf: decoded.diagnostics)
            syntax.sort { $0.location.line < $1.location.line }
            decoded.diagnostics = syntax
        }
        return decoded
    }
}
