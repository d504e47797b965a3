// Regenerates Sources/TraceHTML/Generated/EmbeddedAssets+Generated.swift from templates/ and
// assets/: the files, and the page's style and script elements (assets/bundles.txt) with their
// Content-Security-Policy hashes. Run from the package root: `swift run generate-embedded-assets`.
//
// This target depends on no module of the package: EmbeddedAssetsSource.swift, SHA256.swift and
// Base64.swift here are links to the files TraceHTML compiles (its freshness test calls the same
// generator), so a stale or broken generated file never stops the generator from building.
import Foundation

let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
var files: [(path: String, contents: [UInt8])] = []
for folder in ["templates", "assets"] {
    let dir = root.appendingPathComponent(folder)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
        FileHandle.standardError.write(
            Data("generate-embedded-assets: error: no \(folder)/ folder here; run from the package root\n".utf8))
        exit(1)
    }
    for name in names.sorted() where !name.hasPrefix(".") {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        files.append(("\(folder)/\(name)", [UInt8](data)))
    }
}
do {
    let source = try EmbeddedAssetsSource.generate(files: files)
    let out = root.appendingPathComponent("Sources/TraceHTML/Generated/EmbeddedAssets+Generated.swift")
    try Data(source.utf8).write(to: out, options: .atomic)
    print("wrote \(out.path) (\(files.count) files)")
} catch {
    FileHandle.standardError.write(Data("generate-embedded-assets: error: \(error)\n".utf8))
    exit(1)
}
