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

/// The read-only contents of a file, mapped into memory.
///
/// Regular files are mapped with `mmap`, so reading a large trace costs no copy; anything else that can
/// be opened (a pipe, `/dev/stdin`, a process substitution) is read into memory instead. The mapping is
/// immutable and is released when the last reference goes away, so an instance may be shared between
/// threads. Bytes handed out by ``withUnsafeBytes(_:)`` must not be used after that call returns.
///
/// This is a class only so the mapping has one owner that unmaps it; keep it inside the reading code
/// and pass parsed values, not the file, to other modules.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with.
    public let path: String
    /// The number of bytes.
    public let count: Int
    private let mapping: UnsafeMutableRawPointer?
    private let isMapped: Bool

    /// Maps the file at `path`.
    ///
    /// - Parameter path: A file path.
    /// - Throws: ``MappedFileError`` when the file cannot be opened, is a directory or cannot be read.
    public init(path: String) throws(MappedFileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: Self.reason(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFileError(path: path, reason: Self.reason(errno)) }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw MappedFileError(path: path, reason: "is a directory") }
        if type == S_IFREG {
            let size = Int(info.st_size)
            if size == 0 {
                mapping = nil
                count = 0
                isMapped = false
                return
            }
            #if canImport(Glibc) || canImport(Musl)
                let flags = MAP_PRIVATE | MAP_POPULATE
            #else
                let flags = MAP_PRIVATE
            #endif
            guard let p = mmap(nil, size, PROT_READ, flags, fd, 0), p != MAP_FAILED else {
                throw MappedFileError(path: path, reason: Self.reason(errno))
            }
            mapping = p
            count = size
            isMapped = true
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try Self.readAll(fileDescriptor: fd)
        } catch {
            throw MappedFileError(path: path, reason: error.reason)
        }
        count = bytes.count
        isMapped = false
        if bytes.isEmpty {
            mapping = nil
        } else {
            let p = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
            bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            mapping = p
        }
    }

    deinit {
        guard let mapping else { return }
        if isMapped {
            munmap(mapping, count)
        } else {
            mapping.deallocate()
        }
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
    public static func readAll(fileDescriptor: Int32) throws(MappedFileError) -> [UInt8] {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        while true {
            let n = read(fileDescriptor, buffer, chunk)
            if n == 0 { return bytes }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw MappedFileError(path: "fd \(fileDescriptor)", reason: reason(code))
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// A lowercase reason for an `errno` value.
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
