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
            storage = .file(try MappedFile(path: path, byteLimit: Self.byteLimit))
        }
    }

    /// The size of the input as read (before any decompression).
    var byteCount: Int {
        withUnsafeBytes { $0.count }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .file(let file): try file.withUnsafeBytes(body)
        case .bytes(let bytes): try bytes.withUnsafeBytes(body)
        }
    }
}
