/// Builds the `<a>` tags for links that pass ``URLPolicy``.
///
/// The escaping matches libcmark's own link rendering (`houdini_escape_href` for the
/// URL, `escape_html` for the title), so a kept link looks exactly as cmark would
/// render it, plus the `rel` attribute.
enum LinkMarkup {
    /// The `rel` value every rendered link carries.
    static let rel = "noopener noreferrer nofollow"

    /// The closing tag for ``openingTag(href:title:)``.
    static let closingTag = "</a>"

    /// Returns `<a href="…" title="…" rel="…">`, with `title` left out when empty.
    ///
    /// - Parameters:
    ///   - href: The link destination, already checked by ``URLPolicy``.
    ///   - title: The link title; may be empty.
    /// - Returns: The opening tag as UTF-8 bytes, without a terminating NUL.
    static func openingTag(href: [UInt8], title: [UInt8]) -> [UInt8] {
        var tag: [UInt8] = []
        tag.reserveCapacity(href.count + title.count + 64)
        tag.append(contentsOf: #"<a href=""#.utf8)
        appendEscapedHref(href, to: &tag)
        if !title.isEmpty {
            tag.append(contentsOf: #"" title=""#.utf8)
            appendEscapedAttribute(title, to: &tag)
        }
        tag.append(contentsOf: #"" rel=""#.utf8)
        tag.append(contentsOf: rel.utf8)
        tag.append(contentsOf: #"">"#.utf8)
        return tag
    }

    /// Appends `url` with every byte outside the URL-safe set percent-encoded,
    /// and `&` and `'` written as entities.
    static func appendEscapedHref(_ url: [UInt8], to output: inout [UInt8]) {
        for byte in url {
            if isHrefSafe(byte) {
                output.append(byte)
            } else if byte == UInt8(ascii: "&") {
                output.append(contentsOf: "&amp;".utf8)
            } else if byte == UInt8(ascii: "'") {
                output.append(contentsOf: "&#x27;".utf8)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends `text` with `&`, `<`, `>` and `"` written as entities.
    static func appendEscapedAttribute(_ text: [UInt8], to output: inout [UInt8]) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            default: output.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// ASCII letters, digits and `-_.+!*(),%#@?=;:/$` pass through unchanged.
    private static func isHrefSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "!"),
            UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "%"),
            UInt8(ascii: "#"), UInt8(ascii: "@"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: ";"),
            UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "$"):
            true
        default:
            false
        }
    }
}
