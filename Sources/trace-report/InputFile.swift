import Foundation
import TraceJSON

/// One input: a file read whole, or standard input read whole.
struct InputFile {
    /// The name used in diagnostics: the path as given, or `<stdin>`.
    let displayName: String
    private let storage: Storage

    private enum Storage {
        case file(MappedFile)
        case bytes([UInt8])
        /// A large plain file, read piece by piece when it is decoded.
        case pieces(PieceReader)
    }

    /// Files larger than this that are not compressed are read piece by piece, so a large input
    /// is never held whole (`TRACE_REPORT_PIECE_BYTES` sets both this and the piece size, for
    /// tests).
    static var pieceThreshold: Int { pieceBytes * 2 }

    /// The size of the pieces a large file is read in: 32 MiB.
    static var pieceBytes: Int {
        if let text = ProcessInfo.processInfo.environment["TRACE_REPORT_PIECE_BYTES"], let n = Int(text), n > 0 {
            return n
        }
        return 32 << 20
    }

    /// The most bytes read from one input: `TRACE_REPORT_MAX_INPUT_BYTES` when set to a positive
    /// number, else ``MappedFile/defaultByteLimit`` (2 GiB).
    static var byteLimit: Int {
        if let text = ProcessInfo.processInfo.environment["TRACE_REPORT_MAX_INPUT_BYTES"], let n = Int(text), n > 0 {
            return n
        }
        return MappedFile.defaultByteLimit
    }

    init(path: String) throws {
        if path == "-" {
            displayName = "<stdin>"
            do {
                storage = .bytes(try MappedFile.readAll(fileDescriptor: 0, byteLimit: Self.byteLimit))
            } catch {
                throw MappedFileError(path: "-", reason: error.reason)
            }
        } else {
            displayName = path
            if let reader = try PieceReader(path: path, byteLimit: Self.byteLimit), reader.size > Self.pieceThreshold,
                reader.head.withUnsafeBytes({ Decompression.kind(of: $0) }) == nil
            {
                storage = .pieces(reader)
            } else {
                storage = .file(try MappedFile(path: path, byteLimit: Self.byteLimit))
            }
        }
    }

    /// The reader of a large plain file, which is decoded piece by piece.
    var pieceReader: PieceReader? {
        if case .pieces(let reader) = storage { return reader }
        return nil
    }

    /// The size of the input as read (before any decompression).
    var byteCount: Int {
        switch storage {
        case .file(let file): file.count
        case .bytes(let bytes): bytes.count
        case .pieces(let reader): reader.size
        }
    }

    /// Calls `body` with the whole file; a large file read in pieces is read whole for it
    /// (a file that cannot be read then gives no bytes, and `problem` says why).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> (result: R, problem: String?) {
        switch storage {
        case .file(let file): return (file.withUnsafeBytes(body), nil)
        case .bytes(let bytes): return (bytes.withUnsafeBytes(body), nil)
        case .pieces(let reader):
            let file: MappedFile
            do throws(MappedFileError) {
                file = try MappedFile(path: reader.path, byteLimit: Self.byteLimit)
            } catch {
                return (body(UnsafeRawBufferPointer(start: nil, count: 0)), error.reason)
            }
            return (file.withUnsafeBytes(body), nil)
        }
    }
}
