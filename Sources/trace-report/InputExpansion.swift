import TraceReportCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the command line's inputs into files: a folder stands for every trace file under it.
///
/// Files in a folder are read in byte order of their paths, whatever order the file system lists
/// them in, so a report does not depend on the machine. Hidden files and folders (names starting
/// with `.`) are passed over silently; files that are clearly not traces — empty, or starting
/// with something other than JSON, gzip or zstd data — are skipped with a note. A path that is
/// not a folder is kept as given, so a missing file is still reported by the reader.
enum InputExpansion {
    struct Expanded {
        var paths: [String]
        /// One line per skipped file: `DIR/FILE: note: skipped: reason`.
        var notes: [String]
    }

    static func expand(_ arguments: [String]) -> Expanded {
        var expanded = Expanded(paths: [], notes: [])
        for argument in arguments {
            guard argument != "-", isDirectory(argument) else {
                expanded.paths.append(argument)
                continue
            }
            var root = argument
            while root.count > 1, root.hasSuffix("/") { root.removeLast() }
            var files: [String] = []
            collect(root, into: &files, depth: 0)
            files.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for file in files {
                if let reason = notATrace(file) {
                    expanded.notes.append("\(file): note: skipped: \(reason)")
                } else {
                    expanded.paths.append(file)
                }
            }
        }
        return expanded
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Adds every regular file under `folder` (following links to files, not to folders).
    private static func collect(_ folder: String, into files: inout [String], depth: Int) {
        guard depth < 64, let dir = opendir(folder) else { return }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(dir)
        for name in names {
            let path = folder == "/" ? "/" + name : folder + "/" + name
            var link = stat()
            guard lstat(path, &link) == 0 else { continue }
            switch link.st_mode & S_IFMT {
            case S_IFDIR:
                collect(path, into: &files, depth: depth + 1)
            case S_IFREG:
                files.append(path)
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG { files.append(path) }
            default:
                break
            }
        }
    }

    /// Why a file is clearly not a trace, from its first bytes; `nil` when it may be one.
    static func notATrace(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }  // The reader reports why it cannot be opened.
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        if count == 0 { return "empty file" }
        let bytes = head[0..<count]
        if bytes.starts(with: [0x1F, 0x8B]) {
            // A large report's runs list is gzip-compressed: look at the start of its text.
            let start = head.withUnsafeBytes { Decompression.gunzip(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if reportFile(start.text[...]) != nil { return "a report's runs.jsonl.gz, not a trace" }
            return nil
        }
        if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) || bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return nil
        }
        var first = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { first += 3 }
        while first < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[first]) { first += 1 }
        guard first < bytes.endIndex else { return count < head.count ? "only white space" : nil }
        if bytes[first] == UInt8(ascii: "{") {
            switch reportFile(bytes[first...]) {
            case "summary"?: return "a report's summary.json, not a trace"
            case "runs"?: return "a report's runs.jsonl, not a trace"
            default: return nil
            }
        }
        if bytes[first] == UInt8(ascii: "[") { return nil }
        return "not JSON, gzip or zstd data"
    }

    /// Which of a report folder's own files `text` starts as: `"summary"` (its summary), `"runs"`
    /// (its runs list) or `nil`.
    private static func reportFile(_ text: ArraySlice<UInt8>) -> String? {
        let head = String(decoding: text.prefix(64), as: UTF8.self)
        let compact = head.filter { $0 != " " && $0 != "\n" && $0 != "\r" && $0 != "\t" }
        if compact.hasPrefix("{\"trace_report_summary\":") { return "summary" }
        if compact.hasPrefix("{\"trace_report_run\":") { return "runs" }
        return nil
    }
}
