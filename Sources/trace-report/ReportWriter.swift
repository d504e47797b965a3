#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraceHTML

/// The write stage: puts a rendered report on disk.
///
/// Each file is written to a temporary file beside it and renamed into place, so an interrupted
/// render never leaves a half-written page where a good one was. Run pages are written before
/// the index, so the index never links to a page that is not there yet. Pages under `runs/` left
/// from an earlier render, which the new index no longer links, are removed afterwards.
struct ReportWriter {
    /// Why writing failed.
    enum Failure: Error, CustomStringConvertible {
        case notADirectory
        case cannotWrite(path: String, reason: String)

        var description: String {
            switch self {
            case .notADirectory: "exists and is not a folder"
            case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
            }
        }
    }

    let outputDirectory: String

    func write(_ files: [OutputFile]) throws {
        var info = stat()
        if stat(outputDirectory, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw Failure.notADirectory
        }
        var madeFolders: Set<String> = []
        let ordered = files.filter { $0.relativePath != "index.html" } + files.filter { $0.relativePath == "index.html" }
        for file in ordered {
            let path = outputDirectory + "/" + file.relativePath
            let folder = String(path[..<path.lastIndex(of: "/")!])
            if !madeFolders.contains(folder) {
                try makeFolders(folder)
                madeFolders.insert(folder)
            }
            try writeAtomically(file.contents, to: path)
        }
        removeStalePages(keeping: Set(files.map(\.relativePath)))
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

    /// Removes `runs/*.html` files that this report did not write.
    private func removeStalePages(keeping written: Set<String>) {
        let folder = outputDirectory + "/runs"
        guard let dir = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".html") && !written.contains("runs/" + name) { stale.append(name) }
        }
        closedir(dir)
        for name in stale.sorted() { unlink(folder + "/" + name) }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
