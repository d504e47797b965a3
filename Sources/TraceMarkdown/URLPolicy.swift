/// Decides which link and image URLs from untrusted Markdown may reach the HTML.
///
/// Links use an allowlist: `http`, `https` and `mailto`, plus URLs without a
/// scheme (fragments, relative paths, queries). Images are stricter, because a
/// browser fetches an `<img>` as soon as the page opens: only inline
/// `data:image/{png,gif,jpeg,webp};base64,` URLs are embeddable.
enum URLPolicy {
    /// Schemes a link may use, lowercase ASCII.
    static let allowedLinkSchemes: [[UInt8]] = [Array("http".utf8), Array("https".utf8), Array("mailto".utf8)]

    /// Image MIME subtypes that may be embedded as `data:` URLs, lowercase ASCII.
    static let embeddableImageTypes: [[UInt8]] = [
        Array("png".utf8), Array("gif".utf8), Array("jpeg".utf8), Array("webp".utf8),
    ]

    /// Removes what a browser's URL parser ignores, so that the checks see the URL the browser would see.
    ///
    /// The WHATWG URL parser strips leading and trailing C0 controls and spaces and removes
    /// every ASCII tab and newline, so `" java\tscript:"` is parsed as `javascript:`.
    ///
    /// - Parameter url: A link destination after Markdown entity and backslash decoding.
    /// - Returns: The destination without those bytes.
    static func normalizedDestination(_ url: [UInt8]) -> [UInt8] {
        if !url.contains(where: { $0 <= 0x20 }) { return url }
        var start = url.startIndex
        var end = url.endIndex
        while start < end, url[start] <= 0x20 { start += 1 }
        while end > start, url[end - 1] <= 0x20 { end -= 1 }
        return url[start..<end].filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// Returns whether a normalized link destination may become an `href`.
    ///
    /// The check is deliberately stricter than a browser: any `:` before the first
    /// `/`, `\`, `?` or `#` is read as the end of a scheme, and that scheme must be
    /// allowlisted. Destinations that start with two slashes (in either direction)
    /// are rejected, because from a report opened with `file://` they name another
    /// host (a UNC path on Windows).
    ///
    /// - Parameter destination: The output of ``normalizedDestination(_:)``.
    /// - Returns: `true` for allowlisted schemes and scheme-less URLs.
    static func isAllowedLinkDestination(_ destination: [UInt8]) -> Bool {
        if destination.count >= 2, isSlash(destination[0]), isSlash(destination[1]) {
            return false
        }
        for (index, byte) in destination.enumerated() {
            switch byte {
            case UInt8(ascii: ":"):
                return allowedLinkSchemes.contains { equalsIgnoringASCIICase(destination[..<index], $0) }
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                return true
            default:
                continue
            }
        }
        return true
    }

    /// Returns whether an image URL is an inline image that needs no fetch.
    ///
    /// Accepts exactly `data:image/<type>;base64,<payload>` where `<type>` is one of
    /// ``embeddableImageTypes`` (any ASCII case in the prefix) and the payload holds
    /// only base64 characters. Anything else, including whitespace, is refused.
    ///
    /// - Parameter url: An image source after Markdown entity and backslash decoding.
    /// - Returns: `true` if the image may be rendered as `<img>`.
    static func isEmbeddableImageSource(_ url: [UInt8]) -> Bool {
        let prefix = Array("data:image/".utf8)
        let marker = Array(";base64,".utf8)
        guard url.count > prefix.count, equalsIgnoringASCIICase(url[..<prefix.count], prefix) else {
            return false
        }
        var rest = url[prefix.count...]
        guard
            let type = embeddableImageTypes.first(where: { type in
                rest.count >= type.count + marker.count
                    && equalsIgnoringASCIICase(rest.prefix(type.count), type)
                    && equalsIgnoringASCIICase(rest.dropFirst(type.count).prefix(marker.count), marker)
            })
        else {
            return false
        }
        rest = rest.dropFirst(type.count + marker.count)
        return !rest.isEmpty && rest.allSatisfy(isBase64Byte)
    }

    private static func isSlash(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\")
    }

    private static func isBase64Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }

    /// Compares `bytes` with a lowercase ASCII `expected`, folding only ASCII letters.
    private static func equalsIgnoringASCIICase(_ bytes: ArraySlice<UInt8>, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else { return false }
        return zip(bytes, expected).allSatisfy { byte, lower in
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            return folded == lower
        }
    }
}
