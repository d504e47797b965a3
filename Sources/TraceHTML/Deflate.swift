import CZlib

/// zlib compression for the data a large report carries (written as text with ``Base64``), and
/// the gzip members of its runs list.
///
/// The page inflates the data with the browser's own `DecompressionStream("deflate")`, which
/// reads the zlib format (RFC 1950) that ``compress(_:level:windowBits:)`` writes by default.
/// Output depends only on the input bytes and the zlib build.
package enum Deflate {
    /// `bytes` compressed in the zlib format at `level` (0–9).
    ///
    /// At level 9 the search for matches is cut at 256 candidates (zlib's own table says 4096;
    /// the other level-9 settings are kept). A report's HTML repeats its markup so often that the
    /// long searches rarely find a longer match: measured on the page bodies of a large index,
    /// deflating got 1.3–1.5 times faster for 0.25 % more bytes on agent runs with long chats
    /// and 0.85 % on small runs.
    ///
    /// - Parameter windowBits: zlib's `windowBits`: 15 for the zlib format, 15 + 16 for gzip
    ///   (with zlib's header of no name and time 0).
    package static func compress(_ bytes: [UInt8], level: Int32 = 9, windowBits: Int32 = 15) -> [UInt8] {
        compress(parts: [bytes], level: level, windowBits: windowBits)
    }

    /// The bytes of `parts` one after the other, compressed as ``compress(_:level:windowBits:)``
    /// compresses them joined (deflate's output does not depend on how its input is handed over),
    /// without joining them.
    package static func compress(parts: [[UInt8]], level: Int32 = 9, windowBits: Int32 = 15) -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(
            &stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        // Only memory exhaustion fails here, and below: the output has the bound's room.
        precondition(status == Z_OK, "zlib deflateInit failed with status \(status)")
        defer { deflateEnd(&stream) }
        if level == 9 {
            status = deflateTune(&stream, 32, 258, 258, Self.level9Chain)
            precondition(status == Z_OK, "zlib deflateTune failed with status \(status)")
        }
        // deflateBound is an upper bound by contract, so the output never runs out of room.
        let total = parts.reduce(0) { $0 + $1.count }
        let bound = Int(deflateBound(&stream, uLong(total))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        out.withUnsafeMutableBufferPointer { dst in
            stream.next_out = dst.baseAddress
            stream.avail_out = uInt(dst.count)
            for (k, part) in parts.enumerated() {
                let last = k == parts.count - 1
                part.withUnsafeBufferPointer { src in
                    stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
                    stream.avail_in = uInt(src.count)
                    status = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
                }
                precondition(
                    last ? status == Z_STREAM_END : status == Z_OK || status == Z_BUF_ERROR,
                    "zlib deflate failed with status \(status)")
                precondition(stream.avail_in == 0, "zlib deflate left input unread")
            }
            if parts.isEmpty { status = deflate(&stream, Z_FINISH) }
        }
        precondition(status == Z_STREAM_END, "zlib deflate failed with status \(status)")
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }

    /// The most match candidates level 9 looks at.
    static let level9Chain: Int32 = 256

    /// `bytes` inflated from the zlib format, or `nil` when they are not a whole zlib stream.
    package static func decompress(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { src in
            stream.next_in = src.baseAddress
            stream.avail_in = uInt(src.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { dst in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = uInt(dst.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    out.append(contentsOf: dst[0..<(dst.count - Int(stream.avail_out))])
                }
            } while status == Z_OK
        }
        return status == Z_STREAM_END ? out : nil
    }
}
