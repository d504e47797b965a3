#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level tests on a string's UTF-8, for the checks that run on every text of a page.
///
/// `String` operations such as `contains` and `split` work on Characters (grapheme clusters)
/// and cost tens of instructions a byte; these read the bytes once.
enum ByteText {
    /// Whether the UTF-8 of `text` holds the bytes of `needle`.
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { hay in
            needle.withUTF8Buffer { find($0, in: hay) }
        }
    }

    /// Whether `hay` holds `needle` (not empty) as a contiguous run of bytes.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let n = needle.baseAddress, let h = hay.baseAddress, needle.count > 0 else { return needle.isEmpty }
        let first = Int32(n[0])
        var offset = 0
        while hay.count - offset >= needle.count {
            guard let hit = memchr(h + offset, first, hay.count - offset - needle.count + 1) else { return false }
            let at = UnsafeRawPointer(hit) - UnsafeRawPointer(h)
            if memcmp(h + at, n, needle.count) == 0 { return true }
            offset = at + 1
        }
        return false
    }

    /// The first byte of `text` that is not ASCII whitespace (tab, line feed, vertical tab,
    /// form feed, carriage return, space: the ASCII scalars with Unicode's White_Space), or `nil`.
    static func firstNonWhitespaceByte(_ text: String) -> UInt8? {
        for byte in text.utf8 where !(byte == 0x20 || (0x09...0x0D).contains(byte)) { return byte }
        return nil
    }
}
