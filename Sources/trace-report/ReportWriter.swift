import Foundation
import TraceHTML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write stage: puts a rendered report on disk.
///
/// Each file is written to a temporary file beside it and renamed into place, so an interrupted
/// render never leaves a half-written page where a good one was. Run pages are written before
/// the index, so the index never links to a page that is not there yet.
///
/// The folder is shared with its owner, so the writer is careful with it:
/// - a render holds a lock on the folder (`flock` on `.trace-report.lock`) while it writes, and a
///   second render into the same folder refuses instead of interleaving with the first;
/// - no file that is one of the inputs is ever replaced or removed;
/// - every render records the pages it wrote in `.trace-report-manifest`; afterwards, only pages
///   the previous manifest lists and the new report no longer has are removed, never through a
///   symbolic link, so the user's own files in the folder (even under `runs/`) stay;
/// - temporary files left by a render that was killed are removed.
struct ReportWriter {
    /// Why writing failed.
    enum Failure: Error, CustomStringConvertible {
        case notADirectory
        case cannotWrite(path: String, reason: String)
        case locked(path: String)
        case unsafeOutput(reason: String)
        case wouldOverwriteInput(path: String)

        var description: String {
            switch self {
            case .notADirectory: "exists and is not a folder"
            case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
            case .locked(let path):
                "another trace-report render is writing to this folder (\(path) is locked); nothing was written"
            case .unsafeOutput(let reason): reason
            case .wouldOverwriteInput(let path):
                "the report would overwrite its own input \(path); choose another output folder; nothing was written"
            }
        }
    }

    /// The name of the lock file inside the output folder; removed when the render ends.
    static let lockName = ".trace-report.lock"
    /// The name of the file listing the pages a render wrote.
    static let manifestName = ".trace-report-manifest"
    /// The first line of a manifest.
    static let manifestHeader = "trace-report manifest 1"

    let outputDirectory: String
    /// Paths of the files the report was made from, which it must never replace.
    var inputs: [String] = []

    /// Refuses output folders that cannot be meant: the empty path and the file system root.
    static func checkOutputPath(_ path: String) throws {
        if path.isEmpty { throw Failure.unsafeOutput(reason: "the output folder must not be empty") }
        if path.allSatisfy({ $0 == "/" }) {
            throw Failure.unsafeOutput(reason: "the output folder must not be the root folder /")
        }
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            if String(cString: resolved) == "/" {
                throw Failure.unsafeOutput(reason: "the output folder must not be the root folder /")
            }
        }
    }

    func write(_ files: [OutputFile]) throws {
        let session = try begin(writing: files.map(\.relativePath))
        for file in files { try session.write(file) }
        try session.finish()
    }

    /// Takes the folder for a report whose files are handed over one at a time: checks the
    /// folder, takes its lock and refuses an input in the way. `paths` are the files known
    /// ahead; any input inside the folder at a name the report may write (its top-level files,
    /// or a page under `runs/` or `diff/`) is refused too, so nothing is written when the
    /// report would replace an input.
    func begin(writing paths: [String] = []) throws -> Session {
        try Self.checkOutputPath(outputDirectory)
        var info = stat()
        if stat(outputDirectory, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw Failure.notADirectory
        }
        try makeFolders(outputDirectory)
        let lock = try Lock(folder: outputDirectory)
        do {
            let protected = Self.identities(of: inputs)
            for relative in paths + Self.reportNames {
                if let id = Self.identity(of: outputDirectory + "/" + relative), protected.contains(id) {
                    throw Failure.wouldOverwriteInput(path: outputDirectory + "/" + relative)
                }
            }
            if let clash = Self.inputInReportPlace(inputs, folder: outputDirectory) {
                throw Failure.wouldOverwriteInput(path: clash)
            }
            let previous = Self.readManifest(outputDirectory + "/" + Self.manifestName)
            return Session(writer: self, lock: lock, protected: protected, previous: previous)
        } catch {
            lock.release()
            throw error
        }
    }

    /// The top-level files a report writes.
    static let reportNames = ["index.html", "summary.json", "runs.jsonl", "runs.jsonl.gz", manifestName]

    /// The first input (as given) that lies inside `folder` where a report writes: one of
    /// ``reportNames``, or an `.html` file directly under `runs/` or `diff/`.
    static func inputInReportPlace(_ inputs: [String], folder: String) -> String? {
        guard let root = realpath(folder, nil) else { return nil }
        let base = String(cString: root) + "/"
        free(root)
        for input in inputs where input != "-" {
            guard let resolved = realpath(input, nil) else { continue }
            let path = String(cString: resolved)
            free(resolved)
            guard path.hasPrefix(base) else { continue }
            let relative = String(path.dropFirst(base.count))
            let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
            if reportNames.contains(relative)
                || (parts.count == 2 && (parts[0] == "runs" || parts[0] == "diff") && parts[1].hasSuffix(".html"))
            {
                return folder + "/" + relative
            }
        }
        return nil
    }

    /// A report being written: files go to disk as they are handed over (the index is held back
    /// and written last), and ``finish()`` records the manifest, removes stale pages and
    /// releases the folder.
    final class Session {
        private let writer: ReportWriter
        private let lock: Lock
        private let protected: Set<[UInt64]>
        private let previous: [String]
        private var madeFolders: Set<String> = []
        private var written: [String] = []
        private var index: OutputFile?
        private var open = true

        fileprivate init(writer: ReportWriter, lock: Lock, protected: Set<[UInt64]>, previous: [String]) {
            self.writer = writer
            self.lock = lock
            self.protected = protected
            self.previous = previous
        }

        deinit {
            if open { lock.release() }
        }

        /// Writes `file` now, or, for `index.html`, at ``finish()``.
        func write(_ file: OutputFile) throws {
            if file.relativePath == "index.html" {
                index = file
                return
            }
            try put(file)
        }

        private func put(_ file: OutputFile) throws {
            let path = writer.outputDirectory + "/" + file.relativePath
            if let id = ReportWriter.identity(of: path), protected.contains(id) {
                throw Failure.wouldOverwriteInput(path: path)
            }
            let folder = String(path[..<path.lastIndex(of: "/")!])
            if !madeFolders.contains(folder) {
                try writer.makeFolders(folder)
                madeFolders.insert(folder)
            }
            try writer.writeAtomically(file.contents, to: path)
            written.append(file.relativePath)
        }

        /// Writes the index, the manifest of what was written, removes the pages an earlier
        /// render wrote that this one did not, and releases the folder.
        func finish() throws {
            defer {
                if open { lock.release() }
                open = false
            }
            if let index {
                try put(index)
                self.index = nil
            }
            let manifestPath = writer.outputDirectory + "/" + ReportWriter.manifestName
            try writer.writeAtomically(
                Array(([ReportWriter.manifestHeader] + written.sorted()).joined(separator: "\n").utf8) + [0x0A],
                to: manifestPath)
            writer.removeStalePages(listed: previous, keeping: Set(written), protected: protected)
            writer.removeDeadTemporaryFiles()
        }
    }

    /// The exclusive lock a render holds on its output folder.
    ///
    /// `flock` is released by the kernel when the process dies, so a killed render never leaves
    /// the folder locked. The lock file is removed at the end; a render that opened it just
    /// before then sees, after locking, that the path now names another file, and retries.
    struct Lock {
        let fd: Int32
        let path: String

        init(folder: String) throws {
            path = folder + "/" + ReportWriter.lockName
            while true {
                let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
                guard fd >= 0 else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
                if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                    close(fd)
                    throw Failure.locked(path: path)
                }
                var held = stat()
                var named = stat()
                if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_ino == named.st_ino,
                    held.st_dev == named.st_dev
                {
                    self.fd = fd
                    return
                }
                close(fd)
            }
        }

        func release() {
            unlink(path)
            close(fd)
        }
    }

    /// Device and inode of an existing file, following symbolic links.
    static func identity(of path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    static func identities(of paths: [String]) -> Set<[UInt64]> {
        Set(paths.filter { $0 != "-" }.compactMap(identity(of:)))
    }

    /// The pages a previous render recorded, or none when there is no manifest of ours.
    static func readManifest(_ path: String) -> [String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < 64 << 20 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n <= 0 { break }
            count += n
        }
        let lines = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.first == manifestHeader else { return [] }
        return Array(lines.dropFirst())
    }

    func makeFolders(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw Failure.cannotWrite(path: prefix, reason: String(cString: strerror(errno)))
            }
            var info = stat()
            if stat(prefix, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
                throw Failure.cannotWrite(path: prefix, reason: "not a folder")
            }
            prefix += "/"
        }
    }

    func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return nil
        }
        if close(fd) != 0 || failure != nil {
            let reason = String(cString: strerror(failure ?? errno))
            unlink(temporary)
            throw Failure.cannotWrite(path: path, reason: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure.cannotWrite(path: path, reason: reason)
        }
    }

    /// Writes one file atomically, creating its folder.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let writer = ReportWriter(outputDirectory: ".")
        if let slash = path.lastIndex(of: "/") {
            let folder = String(path[..<slash])
            if !folder.isEmpty { try writer.makeFolders(folder) }
        }
        try writer.writeAtomically(bytes, to: path)
    }

    /// Appends to a file, creating it if needed (for `$GITHUB_STEP_SUMMARY`).
    static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        try bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
                written += n
            }
        }
    }

    /// Removes the pages the previous manifest lists that this report did not write: only plain
    /// page names directly under `runs/`, only regular files (a symbolic link is never followed
    /// or removed), never an input, and nothing when `runs` itself is a symbolic link.
    fileprivate func removeStalePages(listed previous: [String], keeping written: Set<String>, protected: Set<[UInt64]>)
    {
        var info = stat()
        // The runs file is plain or compressed by the number of runs: the kind not written now
        // would hold an earlier render's runs.
        for name in ["runs.jsonl", "runs.jsonl.gz"] where previous.contains(name) && !written.contains(name) {
            let path = outputDirectory + "/" + name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if protected.contains([UInt64(info.st_dev), UInt64(info.st_ino)]) { continue }
            unlink(path)
        }
        let folder = outputDirectory + "/runs"
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        for relative in previous.sorted() where !written.contains(relative) {
            guard relative.hasPrefix("runs/"), relative.hasSuffix(".html") else { continue }
            let name = relative.dropFirst("runs/".count)
            guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else { continue }
            let path = folder + "/" + name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if protected.contains([UInt64(info.st_dev), UInt64(info.st_ino)]) { continue }
            unlink(path)
        }
    }

    /// Removes `NAME.tmp-PID` files of the report's own kinds (`.html`, `.json`, the manifest)
    /// whose process no longer runs: what a render killed while writing leaves behind.
    fileprivate func removeDeadTemporaryFiles() {
        for folder in [outputDirectory, outputDirectory + "/runs"] {
            var info = stat()
            guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, let dir = opendir(folder) else {
                continue
            }
            var dead: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard let marker = name.range(of: ".tmp-", options: .backwards) else { continue }
                let base = name[..<marker.lowerBound]
                guard base.hasSuffix(".html") || base.hasSuffix(".json") || base == Self.manifestName,
                    let pid = Int32(name[marker.upperBound...]), pid > 0, pid != getpid()
                else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { dead.append(name) }
            }
            closedir(dir)
            for name in dead.sorted() {
                let path = folder + "/" + name
                if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
            }
        }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
    private let systemRead = Darwin.read
#endif
