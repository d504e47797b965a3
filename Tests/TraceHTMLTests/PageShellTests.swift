import Foundation
import Testing

@testable import TraceHTML

@Suite("PageShell hashes")
struct PageShellTests {
    /// The text of element `paths` from the files on disk, joined as the page joins them.
    private func joinedFromDisk(_ paths: [String]) throws -> String {
        try paths.map { try String(contentsOf: repositoryRoot.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    @Test("Each generated hash is the SHA-256 of its element as the page writes it, and of the files on disk")
    func generatedHashes() throws {
        #expect(EmbeddedAssets.bundles.map(\.name) == ["page.css", "page.js", "data-page.css", "viewer.js"])
        for bundle in EmbeddedAssets.bundles {
            let text = PageShell.bundle(bundle.name)
            #expect(SHA256.base64Digest(of: text) == bundle.sha256, "\(bundle.name): stale hash")
            #expect(
                SHA256.base64Digest(of: try joinedFromDisk(bundle.paths)) == bundle.sha256,
                "\(bundle.name) differs from assets/; run `swift run generate-embedded-assets`")
        }
        #expect(PageShell.js == PageShell.bundle("page.js"))
        #expect(PageShell.js.hasPrefix(PageShell.asset("assets/dom.js") + "\n"))
        #expect(PageShell.js.hasSuffix("\n" + PageShell.asset("assets/index-table.js")))
        #expect(PageShell.dataCSS == PageShell.css + "\n" + PageShell.asset("assets/run-viewer.css"))
    }

    @Test("The policies name the hashes of the style and scripts the pages carry")
    func policies() {
        #expect(
            PageShell.contentSecurityPolicy == PageShell.contentSecurityPolicy(css: PageShell.css, js: PageShell.js))
        let data = PageShell.dataContentSecurityPolicy
        #expect(data.contains("style-src-elem 'sha256-\(SHA256.base64Digest(of: PageShell.dataCSS))';"))
        #expect(
            data.contains(
                "script-src 'sha256-\(SHA256.base64Digest(of: PageShell.js))' "
                    + "'sha256-\(SHA256.base64Digest(of: PageShell.viewerJS))';"))
        #expect(data.hasPrefix("default-src 'none'; "))
    }

    @Test("The generator joins the listed files, hashes them, and names a bad line of assets/bundles.txt")
    func bundleList() throws {
        let list = "# comment\n\nboth.js: assets/a.js assets/b.js\n"
        let source = try EmbeddedAssetsSource.generate(files: [
            ("assets/bundles.txt", Array(list.utf8)), ("assets/a.js", Array("a();".utf8)),
            ("assets/b.js", Array("b();".utf8)),
        ])
        let hash = SHA256.base64Digest(of: "a();\nb();")
        #expect(source.contains("(\"both.js\", [\"assets/a.js\", \"assets/b.js\"], \"\(hash)\"),"))

        #expect(
            throws: EmbeddedAssetsSource.Failure.badBundle(
                line: 2, reason: "x.js: assets/gone.js is not in templates/ or assets/")
        ) {
            try EmbeddedAssetsSource.generate(files: [("assets/bundles.txt", Array("# c\nx.js: assets/gone.js\n".utf8))]
            )
        }
        #expect(throws: EmbeddedAssetsSource.Failure.badBundle(line: 1, reason: "expected `name: path path …`")) {
            try EmbeddedAssetsSource.bundles(in: "page.js assets/a.js")
        }
        #expect(throws: EmbeddedAssetsSource.Failure.badBundle(line: 2, reason: "x is listed twice")) {
            try EmbeddedAssetsSource.bundles(in: "x: a\nx: b")
        }
        #expect(try EmbeddedAssetsSource.bundles(in: "  x :  a  b \n") == [.init(name: "x", paths: ["a", "b"])])
    }
}
