import CZlib
import TraceJSON

/// gzip output for the machine-readable files of a large report (``Decompression`` reads it back).
package enum Compression {
    /// Bytes of input per gzip member: members are compressed in parallel, and their boundaries
    /// depend only on the input, so the output is the same whatever the number of threads.
    package static let memberSize = 4 << 20

    /// `bytes` as gzip data: one member per ``memberSize`` bytes (a file of several members, as
    /// `cat a.gz b.gz` makes, which `gzip -d`, `zcat` and ``Decompression/gunzip(_:limit:)`` read
    /// whole). The header records no name and no time, so the output follows from the input bytes
    /// and the zlib build only.
    package static func gzip(_ bytes: [UInt8], level: Int32 = 6, jobs: Int = 1) -> [UInt8] {
        let count = max(1, (bytes.count + memberSize - 1) / memberSize)
        let members = ParallelRunner.map(count: count, jobs: jobs) { i in
            member(bytes[(i * memberSize)..<min(bytes.count, (i + 1) * memberSize)], level: level)
        }
        return members.flatMap { $0 }
    }

    private static func member(_ bytes: ArraySlice<UInt8>, level: Int32) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: gzip framing, with zlib's header of no name and time 0.
        let started = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib deflateInit2 failed with status \(started)")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = Array(bytes)
        let status = input.withUnsafeMutableBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound is an upper bound by contract, so one call finishes the member.
        precondition(status == Z_STREAM_END, "zlib deflate failed with status \(status)")
        out.removeSubrange(Int(stream.total_out)...)
        return out
    }
}
