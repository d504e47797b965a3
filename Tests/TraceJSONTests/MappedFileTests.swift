import Foundation
import Testing
import TraceJSON

/// A fresh temporary directory, removed by the caller.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("TraceJSONTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Mapped files")
struct MappedFileTests {
    @Test("a file's bytes are mapped and parse")
    func mapsFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trace.jsonl").path
        let text = "{\"a\":1}\n{\"b\":\"é\"}\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let file = try MappedFile(path: path)
        #expect(file.count == text.utf8.count)
        #expect(file.path == path)
        let bytes = file.withUnsafeBytes { Array($0) }
        #expect(bytes == Array(text.utf8))
        let result = file.withUnsafeBytes { JSONStreamParser.parse($0) }
        #expect(result.records.map(\.line) == [1, 2])
        #expect(result.errors.isEmpty)
    }

    @Test("an empty file has no bytes")
    func emptyFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.json").path
        try Data().write(to: URL(fileURLWithPath: path))
        let file = try MappedFile(path: path)
        #expect(file.count == 0)
        #expect(file.withUnsafeBytes { $0.count } == 0)
        #expect(file.withUnsafeBytes { JSONStreamParser.parse($0) } == JSONParseResult())
    }

    @Test("a missing file and a directory are errors naming the path")
    func errors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.jsonl").path
        #expect(throws: MappedFileError(path: missing, reason: "no such file")) { try MappedFile(path: missing) }
        #expect(throws: MappedFileError(path: directory.path, reason: "is a directory")) {
            try MappedFile(path: directory.path)
        }
        #expect("\(MappedFileError(path: "x.json", reason: "no such file"))" == "x.json: no such file")
    }

    @Test("a file that is not readable is a permission error", .enabled(if: getuid() != 0))
    func unreadable() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secret.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0)
        #expect(throws: MappedFileError(path: path, reason: "permission denied")) { try MappedFile(path: path) }
    }

    @Test("a pipe is read whole, in chunks")
    func pipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(Foundation.pipe(&fds) == 0)
        let size = 3 << 20
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writeEnd = fds[1]
        let writer = Thread {
            payload.withUnsafeBytes { buffer in
                var sent = 0
                while sent < buffer.count {
                    let n = write(writeEnd, buffer.baseAddress! + sent, buffer.count - sent)
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        let bytes = try MappedFile.readAll(fileDescriptor: fds[0])
        close(fds[0])
        #expect(bytes.count == size)
        #expect(bytes == payload)
    }

    @Test("a bad descriptor is an error")
    func badDescriptor() {
        #expect(throws: MappedFileError.self) { try MappedFile.readAll(fileDescriptor: -1) }
    }
}
