/// The shell of a large run's page: the page style and script plus the viewer that draws the
/// run from its data, under the same policy with their own hashes.
///
/// The data (span table, then details chunks) comes after the scripts, so the written rows answer
/// clicks, and the viewer draws the tree, while the rest of a large page is still being read.
extension PageShell {
    package static let dataTemplate = PageTemplate(asset("templates/data-page.html"))
    /// The data page style: the page style, then the viewer's.
    package static let dataCSS = bundle("data-page.css")
    /// The viewer script, a second script element after the page script.
    package static let viewerJS = bundle("viewer.js")
    private static let dataCSSBytes = Array(dataCSS.utf8)
    private static let jsBytes = Array(js.utf8)
    private static let viewerBytes = Array(viewerJS.utf8)

    /// The Content-Security-Policy of a data page: as ``contentSecurityPolicy`` with the
    /// viewer's style and script hashes.
    package static let dataContentSecurityPolicy: String = contentSecurityPolicy(
        styleHash: bundleHash("data-page.css"), scriptHashes: [bundleHash("page.js"), bundleHash("viewer.js")])
    private static let dataCSPBytes = Array(dataContentSecurityPolicy.utf8)

    /// A large run's page: `body` inside the shell, the page script and the viewer after it,
    /// then `data` (the span table and the details chunks).
    package static func dataPage(title: String, body: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = HTMLBuffer(
            capacity: body.count + data.count + dataCSSBytes.count + jsBytes.count + viewerBytes.count + 1024)
        dataTemplate.render(
            escaped: ["title": title, "page_class": "run-page run-data"],
            raw: [
                "csp": dataCSPBytes, "css": dataCSSBytes, "js": jsBytes, "viewer": viewerBytes, "body": body,
                "data": data,
            ],
            into: &out
        )
        return out.bytes
    }
}
