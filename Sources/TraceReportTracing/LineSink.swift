#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the tracer could not open or write its trace file.
public struct TraceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The trace file's path.
    public var path: String
    /// What went wrong, as the system said it.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}

/// Where finished span lines go: a buffer that is written out when it fills, on
/// ``TraceReportTracer/forceFlush()`` and on ``TraceReportTracer/shutdown()``.
final class LineSink: @unchecked Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var closed = false
        var firstError: TraceFileError?
    }

    private let state = Locked(State())
    private let capacity: Int
    private let destination: Destination

    enum Destination {
        /// An open file descriptor, closed on shutdown when `owned`.
        case file(descriptor: Int32, path: String, owned: Bool)
        /// A function that receives each flushed chunk of whole lines.
        case function(@Sendable ([UInt8]) -> Void)
    }

    init(destination: Destination, capacity: Int) {
        self.destination = destination
        self.capacity = max(0, capacity)
    }

    deinit {
        close()
    }

    /// Opens `path` for writing, replacing what was there.
    static func open(path: String) throws(TraceFileError) -> Int32 {
        let fd = systemOpen(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TraceFileError(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Adds one encoded line (with its newline); writes the buffer out when it is full.
    ///
    /// Lines arriving after ``close()`` are dropped.
    func append(_ line: [UInt8]) {
        state.withLock { state in
            guard !state.closed else { return }
            state.buffer.append(contentsOf: line)
            if state.buffer.count >= capacity { drain(&state) }
        }
    }

    /// Writes out everything buffered.
    func flush() {
        state.withLock { drain(&$0) }
    }

    /// Writes out everything buffered, closes an owned file and drops later lines.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            drain(&state)
            state.closed = true
            if case .file(let fd, _, true) = destination {
                _ = systemClose(fd)
            }
        }
    }

    /// The first write error, if any write failed.
    var error: TraceFileError? {
        state.withLock { $0.firstError }
    }

    /// Writes the buffer while the lock is held, so lines from concurrent spans never interleave.
    private func drain(_ state: inout State) {
        guard !state.buffer.isEmpty else { return }
        defer { state.buffer.removeAll(keepingCapacity: true) }
        switch destination {
        case .function(let write):
            write(state.buffer)
        case .file(let fd, let path, _):
            guard state.firstError == nil else { return }
            var written = 0
            state.buffer.withUnsafeBytes { bytes in
                while written < bytes.count {
                    let n = systemWrite(fd, bytes.baseAddress! + written, bytes.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        state.firstError = TraceFileError(path: path, reason: String(cString: strerror(errno)))
                        return
                    }
                    written += n
                }
            }
        }
    }
}

// The C calls by other names: `LineSink` has methods called `open` and `close`.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
