/// The HTML page around every report page: inline CSS and JS, and a Content-Security-Policy that
/// allows only them.
///
/// The policy forbids every network fetch (`default-src 'none'`), runs no script but the
/// report's own (by hash), and applies no style element but the report's own (by hash).
package enum PageShell {
    package static let template = PageTemplate(asset("templates/page.html"))
    /// The page style: the report's base style, then the eval and large-index additions.
    package static let css =
        asset("assets/report.css") + "\n" + asset("assets/eval.css") + "\n" + asset("assets/index-table.css")
    /// The page script: the shared DOM helpers, the pure tree and table logic, the run page,
    /// the report's base script (index page, text fields, boot), then the eval and large-index
    /// additions. One script element, so one hash.
    package static let js = [
        "assets/dom.js", "assets/tree-model.js", "assets/table-model.js", "assets/run-page.js",
        "assets/report.js", "assets/eval.js", "assets/index-table.js",
    ].map(asset).joined(separator: "\n")
    private static let cssBytes = Array(css.utf8)
    private static let jsBytes = Array(js.utf8)
    private static let cspBytes = Array(contentSecurityPolicy.utf8)

    /// The Content-Security-Policy of every page.
    package static let contentSecurityPolicy: String = contentSecurityPolicy(css: css, js: js)

    /// The policy that allows only the style `css` and the script `js`.
    static func contentSecurityPolicy(css: String, js: String) -> String {
        "default-src 'none'; "
            + "style-src-elem 'sha256-\(SHA256.base64Digest(of: css))'; "
            + "style-src-attr 'unsafe-inline'; "
            + "style-src 'sha256-\(SHA256.base64Digest(of: css))' 'unsafe-hashes'; "
            + "script-src 'sha256-\(SHA256.base64Digest(of: js))'; "
            + "img-src data:; base-uri 'none'; form-action 'none'"
    }

    /// The embedded file at `path`; a missing file is a build defect.
    static func asset(_ path: String) -> String {
        guard let file = EmbeddedAssets.files.first(where: { $0.path == path }) else {
            fatalError("\(path) is not embedded; run `swift run generate-embedded-assets`")
        }
        return file.contents
    }

    /// A whole page: `body` inside the shell.
    package static func page(title: String, pageClass: String, body: (inout HTMLBuffer) -> Void) -> [UInt8] {
        var out = HTMLBuffer(capacity: cssBytes.count + jsBytes.count + 64 * 1024)
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
