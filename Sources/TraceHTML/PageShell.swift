/// The HTML page around every report page: inline CSS and JS, and a Content-Security-Policy that
/// allows only them.
///
/// The policy forbids every network fetch (`default-src 'none'`), runs no script but the
/// report's own (by hash), and applies no style element but the report's own (by hash).
package enum PageShell {
    package static let template = PageTemplate(asset("templates/page.html"))
    /// The page style: the report's base style, then the eval and large-index additions.
    package static let css = bundle("page.css")
    /// The page script (see assets/bundles.txt): the shared DOM helpers, the tree and table
    /// logic, the run page, the report's base script, then the eval and large-index additions.
    package static let js = bundle("page.js")
    private static let cssBytes = Array(css.utf8)
    private static let jsBytes = Array(js.utf8)
    private static let cspBytes = Array(contentSecurityPolicy.utf8)

    /// The Content-Security-Policy of every page, from the hashes the generator wrote.
    package static let contentSecurityPolicy: String = contentSecurityPolicy(
        styleHash: bundleHash("page.css"), scriptHashes: [bundleHash("page.js")])

    /// The policy that allows only the style `css` and the script `js`, hashed here.
    static func contentSecurityPolicy(css: String, js: String) -> String {
        contentSecurityPolicy(styleHash: SHA256.base64Digest(of: css), scriptHashes: [SHA256.base64Digest(of: js)])
    }

    /// The policy that allows only the style and the scripts with these base64 SHA-256 hashes.
    static func contentSecurityPolicy(styleHash: String, scriptHashes: [String]) -> String {
        "default-src 'none'; "
            + "style-src-elem 'sha256-\(styleHash)'; "
            + "style-src-attr 'unsafe-inline'; "
            + "style-src 'sha256-\(styleHash)' 'unsafe-hashes'; "
            + "script-src \(scriptHashes.map { "'sha256-\($0)'" }.joined(separator: " ")); "
            + "img-src data:; base-uri 'none'; form-action 'none'"
    }

    /// The page element `name` of assets/bundles.txt: its files joined with a newline.
    static func bundle(_ name: String) -> String {
        guard let bundle = EmbeddedAssets.bundles.first(where: { $0.name == name }) else {
            fatalError("\(name) is not in assets/bundles.txt; run `swift run generate-embedded-assets`")
        }
        return bundle.paths.map(asset).joined(separator: "\n")
    }

    /// The base64 SHA-256 of ``bundle(_:)`` `name`, as the generator computed it.
    static func bundleHash(_ name: String) -> String {
        guard let bundle = EmbeddedAssets.bundles.first(where: { $0.name == name }) else {
            fatalError("\(name) is not in assets/bundles.txt; run `swift run generate-embedded-assets`")
        }
        return bundle.sha256
    }

    /// The embedded file at `path`; a missing file is a build defect.
    static func asset(_ path: String) -> String {
        guard let file = EmbeddedAssets.files.first(where: { $0.path == path }) else {
            fatalError("\(path) is not embedded; run `swift run generate-embedded-assets`")
        }
        return file.contents
    }

    /// A whole page: `body` inside the shell, which writes about `bodyBytes` bytes (a good guess
    /// spares a large page the copies of a growing buffer).
    package static func page(
        title: String, pageClass: String, bodyBytes: Int = 64 * 1024, body: (inout HTMLBuffer) -> Void
    ) -> [UInt8] {
        var out = HTMLBuffer(capacity: cssBytes.count + jsBytes.count + max(0, bodyBytes))
        template.render(
            escaped: ["title": title, "page_class": pageClass],
            raw: ["csp": cspBytes, "css": cssBytes, "js": jsBytes], slot: "body", into: &out, fill: body
        )
        return out.bytes
    }

    /// A whole page: `body` inside the shell.
    package static func page(title: String, pageClass: String, body: [UInt8]) -> [UInt8] {
        var out = HTMLBuffer(capacity: body.count + cssBytes.count + jsBytes.count + 1024)
        template.render(
            escaped: ["title": title, "page_class": pageClass],
            raw: ["csp": cspBytes, "css": cssBytes, "js": jsBytes, "body": body],
            into: &out
        )
        return out.bytes
    }
}
