import TraceJSON

/// One input: a memory-mapped file, or standard input read whole.
struct InputFile {
    /// The name used in diagnostics: the path as given, or `<stdin>`.
    let displayName: String
    private let storage: Storage

    private enum Storage {
        case mapped(MappedFile)
        case bytes([UInt8])
    }

    init(path: String) throws {
        if path == "-" {
            displayName = "<stdin>"
            storage = .bytes(try MappedFile.readAll(fileDescriptor: 0))
        } else {
            displayName = path
            storage = .mapped(try MappedFile(path: path))
        }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .mapped(let file): try file.withUnsafeBytes(body)
        case .bytes(let bytes): try bytes.withUnsafeBytes(body)
        }
    }
}
