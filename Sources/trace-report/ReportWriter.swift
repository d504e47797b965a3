import Foundation
import TraceHTML

/// The write stage: puts a rendered report on disk.
///
/// Each file is written to a temporary file beside it and renamed into place, so an interrupted
/// render never leaves a half-written page where a good one was. Run pages are written before
/// the index, so the index never links to a page that is not there yet. Pages under `runs/` left
/// from an earlier render, which the new index no longer links, are removed.
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
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: outputDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Failure.notADirectory
        }
        let root = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        let ordered = files.filter { $0.relativePath != "index.html" } + files.filter { $0.relativePath == "index.html" }
        for file in ordered {
            let url = root.appendingPathComponent(file.relativePath)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents).write(to: url, options: .atomic)
            } catch {
                throw Failure.cannotWrite(path: url.path, reason: (error as NSError).localizedDescription)
            }
        }
        // Remove stale run pages of an earlier render into the same folder.
        let runsFolder = root.appendingPathComponent("runs")
        let written = Set(files.map(\.relativePath))
        if let names = try? fm.contentsOfDirectory(atPath: runsFolder.path) {
            for name in names.sorted() where name.hasSuffix(".html") && !written.contains("runs/" + name) {
                try? fm.removeItem(at: runsFolder.appendingPathComponent(name))
            }
        }
    }
}
