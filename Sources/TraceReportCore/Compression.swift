import TraceHTML
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
        Deflate.compress(Array(bytes), level: level, windowBits: 15 + 16)
    }
}
