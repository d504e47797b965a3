/// A growing UTF-8 byte buffer for HTML, with strict escaping of untrusted text.
///
/// Escaping works on bytes: `&`, `<`, `>`, `"` and `'` are replaced, in text and attributes
/// alike, and text that already looks like an entity is escaped again. NUL bytes become U+FFFD.
package struct HTMLBuffer: Sendable {
    /// The bytes written so far.
    package var bytes: [UInt8]

    /// Creates an empty buffer with room for `capacity` bytes.
    package init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Makes room for `count` more bytes at once, so a very long value grows the buffer once
    /// instead of doubling it (and briefly holding two copies) on the way.
    package mutating func reserveAdditional(_ count: Int) {
        let (needed, overflow) = bytes.count.addingReportingOverflow(count)
        guard !overflow, needed > bytes.capacity else { return }
        bytes.reserveCapacity(needed)
    }

    /// Appends trusted markup.
    @inlinable
    package mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends trusted markup.
    @inlinable
    package mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends trusted bytes.
    @inlinable
    package mutating func raw(bytes other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    /// Appends untrusted text, escaped for use in text content and quoted attribute values.
    package mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    /// Appends untrusted UTF-8, escaped.
    package mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return }
        let count = utf8.count
        var start = 0
        var i = 0
        while i < count {
            let c = base[i]
            let replacement: StaticString
            switch c {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            case 0: replacement = "\u{FFFD}"
            default:
                i += 1
                continue
            }
            if i > start { bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start)) }
            replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
            i += 1
            start = i
        }
        if count > start { bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start)) }
    }

    /// Appends an integer in decimal.
    package mutating func int<T: BinaryInteger>(_ v: T) {
        raw(String(v))
    }

    /// Appends ` name="value"` with the value escaped.
    package mutating func attribute(_ name: StaticString, _ value: String) {
        raw(" ")
        raw(name)
        raw("=\"")
        text(value)
        raw("\"")
    }

    /// The buffer as a string (for tests and small fragments).
    package var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// HTML escaping of a whole string, for callers that need a `String`.
package func htmlEscaped(_ s: String) -> String {
    var b = HTMLBuffer(capacity: s.utf8.count + 16)
    b.text(s)
    return b.string
}
