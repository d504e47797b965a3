import CZlib
import CZstd
import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `trace-report` beside the test bundle.
private let executable: URL = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("trace-report")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return repositoryRoot.appendingPathComponent(".build/debug/trace-report")
}()

struct Execution {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs trace-report with `arguments` in `directory`.
func trace(_ arguments: [String], in directory: URL) throws -> Execution {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["GITHUB_STEP_SUMMARY"] = nil
    process.environment = env
    process.currentDirectoryURL = directory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes at once so a full stderr pipe cannot block the process.
    let errData = LockedData()
    let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.done { usleep(1000) }
    return Execution(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    func set(_ d: Data) { lock.lock(); data = d; finished = true; lock.unlock() }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return finished }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("trace-report-inputs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
}

func read(_ url: URL) throws -> String {
    try String(contentsOf: url, encoding: .utf8)
}

/// `text` as a gzip file, made with zlib.
func gzip(_ text: String) -> [UInt8] {
    var input = Array(text.utf8)
    var stream = z_stream()
    precondition(
        deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
    let produced: Int = input.withUnsafeMutableBytes { inBytes in
        output.withUnsafeMutableBytes { outBytes in
            stream.next_in = inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBytes.count)
            stream.next_out = outBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBytes.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outBytes.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<produced])
}

/// `text` as a zstd file, made with libzstd.
func zstd(_ text: String) -> [UInt8] {
    let input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
    let produced = input.withUnsafeBytes { inBytes in
        output.withUnsafeMutableBytes { outBytes in
            ZSTD_compress(outBytes.baseAddress, outBytes.count, inBytes.baseAddress, inBytes.count, 3)
        }
    }
    precondition(ZSTD_isError(produced) == 0)
    return Array(output[0..<produced])
}

/// One native span line.
func span(
    _ trace: String, _ id: String, parent: String? = nil, name: String, start: Int, end: Int? = nil, extra: String = ""
) -> String {
    var line = "{\"trace_id\":\"\(trace)\",\"span_id\":\"\(id)\""
    if let parent { line += ",\"parent_id\":\"\(parent)\"" }
    line += ",\"name\":\"\(name)\",\"start_time\":\(start)"
    if let end { line += ",\"end_time\":\(end)" }
    return line + extra + "}\n"
}
