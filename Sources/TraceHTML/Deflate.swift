import CZlib

/// zlib compression for the data a large run page carries (written as text with ``Base64``).
///
/// The page inflates the data with the browser's own `DecompressionStream("deflate")`, which
/// reads the zlib format (RFC 1950) that `compress2` writes. Output depends only on the input
/// bytes and the zlib build.
package enum Deflate {
    /// `bytes` compressed in the zlib format at `level` (0–9).
    package static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        var bound = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &bound, src.baseAddress, uLong(src.count), level)
            }
        }
        // compressBound is an upper bound by contract, so only memory exhaustion can fail here.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        out.removeSubrange(Int(bound)...)
        return out
    }

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
