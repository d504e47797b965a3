#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that could not be opened or read.
public struct MappedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as given.
    public var path: String
    /// A lowercase clause, for example "no such file", "is a directory" or "permission denied".
    public var reason: String

    /// Creates an error for a path.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}

/// The read-only contents of a file, read into memory.
///
/// Files are read with `read(2)`, not mapped: a mapped file that another process truncates while
/// it is parsed (log rotation with `copytruncate`) would kill the process with `SIGBUS`, while a
/// read file only ends early, which the parser reports as a broken last line of that file.
/// A regular file is read up to the size it had when opened; a pipe or FIFO is read to its end.
/// Devices (`/dev/zero`, a terminal) are refused, and every input is limited to
/// ``defaultByteLimit`` bytes (or the limit given), so an input that never ends stops with an
/// error instead of filling memory.
///
/// The buffer is immutable and released when the last reference goes away, so an instance may
/// be shared between threads. Bytes handed out by ``withUnsafeBytes(_:)`` must not be used after
/// that call returns.
public final class MappedFile: @unchecked Sendable {
    /// The largest input read by default: 2 GiB.
    public static let defaultByteLimit = 2 << 30
    /// The path the file was opened with.
    public let path: String
    /// The number of bytes.
    public let count: Int
    private let mapping: UnsafeMutableRawPointer?

    /// Reads the file at `path`.
    ///
    /// - Parameters:
    ///   - path: A file path.
    ///   - byteLimit: The most bytes accepted; a larger file, or a pipe that delivers more, is an
    ///     error.
    /// - Throws: ``MappedFileError`` when the file cannot be opened, is a directory or a device,
    ///   is larger than the limit, or cannot be read.
    public init(path: String, byteLimit: Int = MappedFile.defaultByteLimit) throws(MappedFileError) {
        self.path = path
        // Reads are made blocking again below.
        let (fd, info) = try Self.openForReading(path)
        defer { close(fd) }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw MappedFileError(path: path, reason: "is a directory") }
        if type == S_IFCHR || type == S_IFBLK {
            throw MappedFileError(path: path, reason: "is a device, not a file; pipe its contents into - instead")
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        var expected: Int? = nil
        if type == S_IFREG {
            let size = Int(info.st_size)
            guard size <= byteLimit else {
                throw MappedFileError(
                    path: path, reason: "is \(size) bytes, more than the input limit of \(byteLimit) bytes")
            }
            expected = size
        }
        let (buffer, n) = try Self.read(fd, path: path, expected: expected, byteLimit: byteLimit)
        mapping = buffer
        count = n
    }

    /// Reads `fd` to its end, or to `expected` bytes for a regular file (so a file that grows
    /// while read is read as it was, and one that shrinks ends early), into one allocation.
    private static func read(
        _ fd: Int32, path: String, expected: Int?, byteLimit: Int
    ) throws(MappedFileError) -> (UnsafeMutableRawPointer?, Int) {
        var capacity = max(1, min(expected ?? (1 << 20), byteLimit))
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var count = 0
        while true {
            if let expected, count >= expected { break }
            if count == capacity {
                guard expected == nil else { break }
                guard capacity < byteLimit else {
                    buffer.deallocate()
                    throw MappedFileError(
                        path: path, reason: "delivers more than the input limit of \(byteLimit) bytes")
                }
                let larger = UnsafeMutableRawPointer.allocate(byteCount: min(capacity * 2, byteLimit), alignment: 16)
                larger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = larger
                capacity = min(capacity * 2, byteLimit)
            }
            let n = systemRead(fd, buffer + count, min(capacity - count, 1 << 26))
            if n == 0 { break }
            if n < 0 {
                let code = errno
                if code == EINTR || code == EAGAIN { continue }
                buffer.deallocate()
                throw MappedFileError(path: path, reason: reason(code))
            }
            count += n
        }
        if count == 0 {
            buffer.deallocate()
            return (nil, 0)
        }
        return (buffer, count)
    }

    deinit {
        mapping?.deallocate()
    }

    /// Calls `body` with the file's bytes, valid only during the call.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: mapping, count: count))
    }

    /// Reads everything from an open file descriptor (for example 0, standard input, for the path `-`)
    /// in 1 MiB chunks until the end.
    ///
    /// - Parameter fileDescriptor: An open, readable descriptor; it is not closed.
    /// - Returns: The bytes read.
    /// - Throws: ``MappedFileError`` with the path `fd N` when a read fails.
    public static func readAll(
        fileDescriptor: Int32, byteLimit: Int = MappedFile.defaultByteLimit
    ) throws(MappedFileError) -> [UInt8] {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        while true {
            guard bytes.count <= byteLimit else {
                throw MappedFileError(
                    path: "fd \(fileDescriptor)", reason: "delivers more than the input limit of \(byteLimit) bytes")
            }
            let n = systemRead(fileDescriptor, buffer, min(chunk, byteLimit + 1 - bytes.count))
            if n == 0 { return bytes }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw MappedFileError(path: "fd \(fileDescriptor)", reason: reason(code))
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// Opens `path` for reading, non-blocking (opening a FIFO with no writer must not wait
    /// forever), and reads its status. The caller closes the descriptor.
    static func openForReading(_ path: String) throws(MappedFileError) -> (fd: Int32, info: stat) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: reason(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = MappedFileError(path: path, reason: reason(errno))
            close(fd)
            throw error
        }
        return (fd, info)
    }

    /// A lowercase reason for an `errno` value.
    static func reasonText(_ code: Int32) -> String { reason(code) }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "is a directory"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a parent of the path is not a directory"
        case ENAMETOOLONG: return "path too long"
        case ELOOP: return "too many symbolic links"
        case EMFILE, ENFILE: return "too many open files"
        case ENOMEM: return "not enough memory to map the file"
        default:
            guard let text = strerror(code) else { return "error \(code)" }
            let message = String(cString: text)
            guard let first = message.first else { return "error \(code)" }
            return first.lowercased() + message.dropFirst()
        }
    }
}

#if canImport(Glibc)
    private let systemRead = Glibc.read
#elseif canImport(Musl)
    private let systemRead = Musl.read
#elseif canImport(Darwin)
    private let systemRead = Darwin.read
#endif

/// A regular file read in pieces that each end at a record boundary, so a large input is never
/// held whole: each piece is handed over, then its memory is reused for the next.
///
/// Opening checks the file as ``MappedFile`` does (no directories, no devices, the byte limit)
/// and reads its first bytes, so a caller can tell a compressed or archived file (which must be
/// read whole) before reading on. The file is read up to the size it had when opened; one that
/// shrinks meanwhile ends early.
package final class PieceReader: @unchecked Sendable {
    /// The path the file was opened with.
    package let path: String
    /// The file's size when opened.
    package let size: Int
    /// The first bytes of the file (up to 64 KiB).
    package let head: [UInt8]

    /// Opens the regular file at `path`; `nil` when it is not a regular file (read it with
    /// ``MappedFile`` instead).
    package init?(path: String, byteLimit: Int = MappedFile.defaultByteLimit) throws(MappedFileError) {
        self.path = path
        let (fd, info) = try MappedFile.openForReading(path)
        defer { close(fd) }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        guard size <= byteLimit else {
            throw MappedFileError(
                path: path, reason: "is \(size) bytes, more than the input limit of \(byteLimit) bytes")
        }
        self.size = size
        var head = [UInt8](repeating: 0, count: min(size, 1 << 16))
        var count = 0
        while count < head.count {
            let n = head.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw MappedFileError(path: path, reason: Self.reason(errno))
            }
            count += n
        }
        head.removeLast(head.count - count)
        self.head = head
    }

    /// Reads the file from the start in blocks of about `pieceBytes`, calling `body` with each
    /// piece: text that ends where a record boundary (see
    /// ``JSONStreamParser/lateRecordBoundary(_:)``) or the file ends. A stretch with no
    /// boundary grows the block until one is found, so one huge value is one piece.
    package func forEachPiece(
        pieceBytes: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(MappedFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: Self.reason(errno)) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: max(1 << 16, pieceBytes))
        var filled = 0
        var remaining = size
        while true {
            // Fill the buffer, or read to the end.
            while filled < buffer.count, remaining > 0 {
                let want = min(buffer.count - filled, remaining, 1 << 26)
                let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + filled, want) }
                if n == 0 {
                    remaining = 0
                    break
                }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw MappedFileError(path: path, reason: Self.reason(errno))
                }
                filled += n
                remaining -= n
            }
            if remaining == 0 {
                if filled > 0 { buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<filled])) } }
                return
            }
            let cut = buffer.withUnsafeBytes {
                JSONStreamParser.lateRecordBoundary(UnsafeRawBufferPointer(rebasing: $0[..<filled]))
            }
            guard let cut else {
                // No boundary yet (one long value): make room for all that is left at once, so
                // the buffer is copied once instead of on every doubling.
                let grown = filled + remaining
                var larger = [UInt8]()
                larger.reserveCapacity(grown)
                larger.append(contentsOf: buffer[..<filled])
                larger.append(contentsOf: repeatElement(0, count: grown - filled))
                buffer = larger
                continue
            }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<cut])) }
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + cut, byteCount: filled - cut)
            }
            filled -= cut
        }
    }

    /// Reads `count` bytes at `offset` into `buffer` (replacing what it held): fewer when the
    /// file has since shrunk.
    package func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws(MappedFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: Self.reason(errno)) }
        defer { close(fd) }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: count))
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + filled, min(count - filled, 1 << 26), off_t(offset + filled))
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw MappedFileError(path: path, reason: Self.reason(errno))
            }
            filled += n
        }
        buffer.removeLast(count - filled)
    }

    private static func reason(_ code: Int32) -> String {
        MappedFile.reasonText(code)
    }
}
