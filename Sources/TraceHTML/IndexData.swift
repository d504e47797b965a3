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
        Deflate.compress(bytes, level: level)
    }

    /// Inflates zlib-format `bytes`; `nil` when they are not a whole zlib stream.
    package static func inflate(_ bytes: [UInt8]) -> [UInt8]? {
        Deflate.decompress(bytes)
    }

    /// Standard base64 with padding.
    package static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        Base64.encode(bytes, into: &out)
        return out
    }
}
