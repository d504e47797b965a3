public import TraceJSON

/// One input of the read stage: bytes already in memory, a file read whole, or a large plain
/// file read piece by piece when it is decoded (so it is never held whole).
public struct TraceInput: Sendable {
    /// The name used in diagnostics: the path as given, or `<stdin>`.
    public let displayName: String
    private let storage: Storage
    /// The size of the pieces a large file is read in.
    let pieceBytes: Int

    private enum Storage: Sendable {
        case file(MappedFile)
        case bytes([UInt8])
        /// A large plain file, read piece by piece when it is decoded.
        case pieces(PieceReader)
    }

    /// The size of the pieces large files are read in by default: 32 MiB.
    public static let defaultPieceBytes = 32 << 20

    /// An input held in memory, named `name` in diagnostics.
    public init(name: String, bytes: [UInt8]) {
        displayName = name
        storage = .bytes(bytes)
        pieceBytes = Self.defaultPieceBytes
    }

    /// Opens the file at `path` (`-`: standard input, read whole at once). A regular file larger
    /// than twice `pieceBytes` that is not compressed is read piece by piece when decoded;
    /// any other input is read now.
    ///
    /// - Throws: ``MappedFileError`` when the input cannot be read, is a directory or a device,
    ///   or is larger than `byteLimit`.
    public init(
        path: String, byteLimit: Int = MappedFile.defaultByteLimit, pieceBytes: Int = defaultPieceBytes
    )
        throws(MappedFileError)
    {
        self.pieceBytes = max(1, pieceBytes)
        if path == "-" {
            displayName = "<stdin>"
            do {
                storage = .bytes(try MappedFile.readAll(fileDescriptor: 0, byteLimit: byteLimit))
            } catch {
                throw MappedFileError(path: "-", reason: error.reason)
            }
        } else {
            displayName = path
            if let reader = try PieceReader(path: path, byteLimit: byteLimit), reader.size > 2 * self.pieceBytes,
                reader.head.withUnsafeBytes({ Decompression.kind(of: $0) }) == nil
            {
                storage = .pieces(reader)
            } else {
                storage = .file(try MappedFile(path: path, byteLimit: byteLimit))
            }
        }
    }
    /// The reader of a large plain file, which is decoded piece by piece.
    var pieceReader: PieceReader? {
        if case .pieces(let reader) = storage { return reader }
        return nil
    }

    /// The size of the input as read (before any decompression).
    public var byteCount: Int {
        switch storage {
        case .file(let file): file.count
        case .bytes(let bytes): bytes.count
        case .pieces(let reader): reader.size
        }
    }

    /// Calls `body` with the whole file; a large file read in pieces is read whole for it
    /// (a file that cannot be read then gives no bytes, and `problem` says why).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> (result: R, problem: String?) {
        switch storage {
        case .file(let file): return (file.withUnsafeBytes(body), nil)
        case .bytes(let bytes): return (bytes.withUnsafeBytes(body), nil)
        case .pieces(let reader):
            let file: MappedFile
            do throws(MappedFileError) {
                file = try MappedFile(path: reader.path, byteLimit: Int.max)
            } catch {
                return (body(UnsafeRawBufferPointer(start: nil, count: 0)), error.reason)
            }
            return (file.withUnsafeBytes(body), nil)
        }
    }
}
