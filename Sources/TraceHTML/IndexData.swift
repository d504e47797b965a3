import CZlib

/// The data a large index carries in place of server-rendered rows: each run's table row and
/// each run's page body, deflated (zlib format) and base64-encoded, so the page's script can
/// inflate them with the browser's own `DecompressionStream('deflate')`.
///
/// Both are HTML escaped here, never by the script, joined with NUL bytes: rows are the `<tr>`
/// elements the small index renders (the script reads each run's id, status, page and cell
/// values from their attributes), in start order, ``rowsPerChunk`` to a chunk; page bodies are
/// in the same order, ``bodiesPerChunk`` to a chunk, so deflate shares context across similar
/// runs.
package enum IndexData {
    /// Rows per deflated chunk of row data: the first chunk is drawn before the others inflate.
    package static let rowsPerChunk = 5000
    /// Page bodies per deflated chunk; opening a run inflates its chunk (about 2 MB of HTML
    /// for small runs).
    package static let bodiesPerChunk = 256
    /// The zlib level.
    static let level: Int32 = 9

    /// HTML fragments joined with NUL bytes (a NUL inside one, which escaping never leaves,
    /// would become U+FFFD).
    package static func join(_ bodies: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bodies.reduce(0) { $0 + $1.count + 1 })
        for (i, body) in bodies.enumerated() {
            if i > 0 { out.append(0) }
            for b in body {
                if b == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { out.append(b) }
            }
        }
        return out
    }

    /// `bytes` compressed in the zlib format, then base64-encoded.
    package static func pack(_ bytes: [UInt8]) -> [UInt8] {
        base64(deflate(bytes))
    }

    /// `bytes` compressed in the zlib format (RFC 1950), as `DecompressionStream('deflate')`
    /// reads it.
    package static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { dest in
            bytes.withUnsafeBufferPointer { src in
                compress2(dest.baseAddress, &size, src.baseAddress, uLong(src.count), level)
            }
        }
        // compress2 fails only without memory or with a buffer smaller than compressBound.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        out.removeSubrange(Int(size)...)
        return out
    }

    /// Inflates zlib-format `bytes`; `nil` when they are not a whole zlib stream.
    package static func inflate(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        return input.withUnsafeMutableBufferPointer { src -> [UInt8]? in
            stream.next_in = src.baseAddress
            stream.avail_in = uInt(src.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { dest -> Int32 in
                    stream.next_out = dest.baseAddress
                    stream.avail_out = uInt(dest.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                if status == Z_STREAM_END { return out }
                if status != Z_OK { return nil }
            }
        }
    }

    /// Standard base64 with padding.
    package static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(table[Int(n >> 18)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(table[Int(n >> 6 & 63)])
            out.append(table[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(table[Int(n >> 18)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(rest == 2 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return out
    }
}
