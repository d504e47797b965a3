import CZlib
import CZstd

/// A read-only view of a ZIP archive held in memory: its central directory, and the contents of
/// stored, deflated (method 8) and Zstandard (method 93) entries, ZIP64 sizes and offsets
/// included.
///
/// Every offset and size read from the archive is checked against the buffer, the declared sizes
/// of an entry are checked against what inflating produces, and the CRC-32 is verified, so a
/// truncated or corrupt archive gives a ``ZipArchive/Failure`` rather than a crash. The view
/// borrows `bytes`: use it only while they are valid.
///
/// Extraction draws on one budget for the whole archive (``defaultBudget(archiveSize:)``):
/// many central-directory entries may point at the same small compressed stream, so a per-entry
/// limit alone lets a few hundred kilobytes expand to gigabytes.
struct ZipArchive {
    /// One file in the archive.
    struct Entry: Sendable, Equatable {
        /// The path inside the archive, for example `samples/1_epoch_1.json`.
        var name: String
        /// 0 for stored, 8 for deflate, 93 for Zstandard.
        var method: UInt16
        /// General purpose flags; bit 0 marks encryption.
        var flags: UInt16
        /// The CRC-32 of the uncompressed data.
        var crc32: UInt32
        /// Size of the data in the archive.
        var compressedSize: UInt64
        /// Size of the data once extracted.
        var uncompressedSize: UInt64
        /// Where the entry's local header starts.
        var localHeaderOffset: UInt64
    }

    /// Why an archive or entry could not be read.
    struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// A lowercase clause saying what is wrong.
        var message: String
        /// Whether extraction stopped because the archive's budget ran out: no later entry can
        /// be read either.
        var exhaustedBudget = false

        var description: String { message }
    }

    /// The entries, in central-directory order.
    let entries: [Entry]

    private let bytes: UnsafeRawBufferPointer

    /// The largest entry this reader extracts.
    static let maximumEntrySize: UInt64 = 1 << 31

    /// The most bytes extracted from one archive, whatever its size (2 GiB).
    static let budgetCeiling: UInt64 = 1 << 31
    /// How many times its own size an archive may extract to by default.
    static let budgetRatio: UInt64 = 64
    /// The budget of a small archive: 64 times a few kilobytes is less than an ordinary log of
    /// repetitive JSON legitimately expands to.
    static let budgetFloor: UInt64 = 32 << 20

    /// The default extraction budget for an archive of `archiveSize` bytes: 64 times its size,
    /// at least 32 MiB and at most 2 GiB.
    static func defaultBudget(archiveSize: Int) -> UInt64 {
        min(
            budgetCeiling,
            max(budgetFloor, UInt64(max(0, archiveSize)).multipliedReportingOverflow(by: budgetRatio).partialValue))
    }

    /// The bytes extraction may still produce; shared by copies of the view.
    private final class Budget {
        let total: UInt64
        var remaining: UInt64
        init(_ total: UInt64) {
            self.total = total
            remaining = total
        }
    }

    private let budget: Budget

    /// Whether `bytes` start with a ZIP local file header signature (`PK\u{3}\u{4}`).
    static func hasSignature(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// Reads the central directory of the archive in `bytes`. Extracting entries may produce at
    /// most `budget` bytes in all (by default ``defaultBudget(archiveSize:)``).
    init(bytes: UnsafeRawBufferPointer, budget: UInt64? = nil) throws(Failure) {
        self.bytes = bytes
        self.budget = Budget(budget ?? Self.defaultBudget(archiveSize: bytes.count))
        let count = bytes.count
        guard count >= 22 else { throw Failure(message: "the file is too short to be a ZIP archive (\(count) bytes)") }

        // The end of central directory record: the last signature within the final 64 KiB + 22.
        var eocd: Int? = nil
        var at = count - 22
        let lowest = max(0, count - 22 - 65_535)
        while at >= lowest {
            if Self.read32(bytes, at) == 0x0605_4B50 {
                eocd = at
                break
            }
            at -= 1
        }
        guard let eocd else {
            throw Failure(
                message: "no end of central directory record was found: the ZIP archive is truncated or corrupt")
        }
        var total = UInt64(Self.read16(bytes, eocd + 10))
        var directorySize = UInt64(Self.read32(bytes, eocd + 12))
        var directoryOffset = UInt64(Self.read32(bytes, eocd + 16))
        if total == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator sits just before the end record.
            let locator = eocd - 20
            guard locator >= 0, Self.read32(bytes, locator) == 0x0706_4B50 else {
                throw Failure(message: "the ZIP64 end of central directory locator is missing")
            }
            let recordOffset = Self.read64(bytes, locator + 8)
            guard recordOffset < UInt64(count), let record = Int(exactly: recordOffset), record + 56 <= count,
                Self.read32(bytes, record) == 0x0606_4B50
            else {
                throw Failure(message: "the ZIP64 end of central directory record is missing or out of range")
            }
            total = Self.read64(bytes, record + 32)
            directorySize = Self.read64(bytes, record + 40)
            directoryOffset = Self.read64(bytes, record + 48)
        }
        guard directoryOffset <= UInt64(count), directorySize <= UInt64(count) - directoryOffset else {
            throw Failure(
                message: "the central directory lies outside the file: the ZIP archive is truncated or corrupt")
        }
        let start = Int(directoryOffset)
        let end = start + Int(directorySize)
        guard total <= UInt64(directorySize / 46 + 1) else {
            throw Failure(message: "the central directory claims \(total) entries, more than it can hold")
        }

        var entries: [Entry] = []
        entries.reserveCapacity(Int(total))
        var p = start
        while entries.count < Int(total) {
            guard p + 46 <= end, Self.read32(bytes, p) == 0x0201_4B50 else {
                throw Failure(message: "central directory entry \(entries.count + 1) is damaged")
            }
            let flags = Self.read16(bytes, p + 8)
            let method = Self.read16(bytes, p + 10)
            let crc = Self.read32(bytes, p + 16)
            var compressed = UInt64(Self.read32(bytes, p + 20))
            var uncompressed = UInt64(Self.read32(bytes, p + 24))
            let nameLength = Int(Self.read16(bytes, p + 28))
            let extraLength = Int(Self.read16(bytes, p + 30))
            let commentLength = Int(Self.read16(bytes, p + 32))
            var offset = UInt64(Self.read32(bytes, p + 42))
            let nameStart = p + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= end else {
                throw Failure(message: "central directory entry \(entries.count + 1) runs past the directory")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<extraStart]), as: UTF8.self)
            // ZIP64 extended information: 64-bit values for the fields saturated above, in order.
            var e = extraStart
            while e + 4 <= extraStart + extraLength {
                let id = Self.read16(bytes, e)
                let size = Int(Self.read16(bytes, e + 2))
                let body = e + 4
                guard body + size <= extraStart + extraLength else { break }
                if id == 0x0001 {
                    var q = body
                    if uncompressed == 0xFFFF_FFFF, q + 8 <= body + size {
                        uncompressed = Self.read64(bytes, q)
                        q += 8
                    }
                    if compressed == 0xFFFF_FFFF, q + 8 <= body + size {
                        compressed = Self.read64(bytes, q)
                        q += 8
                    }
                    if offset == 0xFFFF_FFFF, q + 8 <= body + size {
                        offset = Self.read64(bytes, q)
                    }
                }
                e = body + size
            }
            entries.append(
                Entry(
                    name: name,
                    method: method,
                    flags: flags,
                    crc32: crc,
                    compressedSize: compressed,
                    uncompressedSize: uncompressed,
                    localHeaderOffset: offset
                )
            )
            p = next
        }
        self.entries = entries
    }

    /// The entry named `name`, if any.
    func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The uncompressed contents of `entry`.
    func contents(of entry: Entry) throws(Failure) -> [UInt8] {
        let count = UInt64(bytes.count)
        guard entry.flags & 1 == 0 else { throw Failure(message: "\"\(entry.name)\" is encrypted") }
        guard entry.localHeaderOffset <= count, count - entry.localHeaderOffset >= 30 else {
            throw Failure(message: "the local header of \"\(entry.name)\" lies outside the file")
        }
        let header = Int(entry.localHeaderOffset)
        guard Self.read32(bytes, header) == 0x0403_4B50 else {
            throw Failure(message: "the local header of \"\(entry.name)\" is damaged")
        }
        let dataStart =
            UInt64(header + 30) + UInt64(Self.read16(bytes, header + 26)) + UInt64(Self.read16(bytes, header + 28))
        guard dataStart <= count, entry.compressedSize <= count - dataStart else {
            throw Failure(
                message: "the data of \"\(entry.name)\" runs past the end of the file: the archive is truncated")
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[Int(dataStart)..<Int(dataStart + entry.compressedSize)])
        guard entry.uncompressedSize <= Self.maximumEntrySize else {
            throw Failure(message: "\"\(entry.name)\" is too large to extract (\(entry.uncompressedSize) bytes)")
        }
        guard entry.uncompressedSize <= budget.remaining else {
            throw Failure(
                message:
                    "extracting \"\(entry.name)\" (\(entry.uncompressedSize) bytes) would take the archive past its budget of "
                    + "\(budget.total) bytes extracted in all (64 times its size, at least 32 MiB and at most 2 GiB): the archive is likely a "
                    + "decompression bomb",
                exhaustedBudget: true
            )
        }
        budget.remaining -= entry.uncompressedSize
        var output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw Failure(message: "the sizes of stored entry \"\(entry.name)\" disagree")
            }
            output = Array(data)
        case 8:
            // Deflate cannot expand data by more than about 1032 times: larger claims are corrupt.
            guard entry.uncompressedSize <= entry.compressedSize * 1032 + 1024 else {
                throw Failure(message: "the declared size of \"\(entry.name)\" is impossible for its compressed size")
            }
            output = try Self.inflate(data, expected: Int(entry.uncompressedSize), name: entry.name)
        case 93:
            output = try Self.decompressZstandard(data, expected: Int(entry.uncompressedSize), name: entry.name)
        default:
            throw Failure(
                message:
                    "\"\(entry.name)\" uses compression method \(entry.method); only stored, deflate and Zstandard entries are supported"
            )
        }
        guard Self.crc32(output) == entry.crc32 else {
            throw Failure(message: "the CRC-32 of \"\(entry.name)\" does not match its data: the archive is corrupt")
        }
        return output
    }

    /// Raw deflate data inflated into exactly `expected` bytes.
    static func inflate(_ data: UnsafeRawBufferPointer, expected: Int, name: String) throws(Failure) -> [UInt8] {
        guard let inputBase = data.baseAddress, data.count > 0 else {
            throw Failure(message: "\"\(name)\" has no compressed data")
        }
        // One spare byte tells a stream longer than declared from one of the declared size.
        var output = [UInt8](repeating: 0, count: expected + 1)
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw Failure(message: "zlib could not start inflating \"\(name)\" (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }
        let (status, produced) = output.withUnsafeMutableBytes { out -> (Int32, Int) in
            let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.next_out = outBase
            stream.avail_out = uInt(out.count)
            let chunk = Int(UInt32.max)
            var inputOffset = 0
            var status = Z_OK
            repeat {
                if stream.avail_in == 0, inputOffset < data.count {
                    let n = min(chunk, data.count - inputOffset)
                    stream.next_in = UnsafeMutablePointer(
                        mutating: (inputBase + inputOffset).assumingMemoryBound(to: Bytef.self))
                    stream.avail_in = uInt(n)
                    inputOffset += n
                }
                status = CZlib.inflate(&stream, inputOffset >= data.count ? Z_FINISH : Z_NO_FLUSH)
            } while status == Z_OK
            return (status, out.count - Int(stream.avail_out))
        }
        guard status == Z_STREAM_END else {
            let reason = status == Z_DATA_ERROR ? "the compressed data is invalid" : "the compressed data ends early"
            throw Failure(message: "\"\(name)\" could not be inflated: \(reason)")
        }
        guard produced == expected else {
            throw Failure(message: "\"\(name)\" inflated to \(produced) bytes, not the \(expected) its header declares")
        }
        output.removeLast()
        return output
    }

    /// Zstandard data (one or more frames, with or without their content size) decompressed into
    /// exactly `expected` bytes.
    static func decompressZstandard(
        _ data: UnsafeRawBufferPointer, expected: Int, name: String
    ) throws(Failure) -> [UInt8] {
        guard let inputBase = data.baseAddress, data.count > 0 else {
            throw Failure(message: "\"\(name)\" has no compressed data")
        }
        guard let context = ZSTD_createDCtx() else {
            throw Failure(message: "libzstd could not start decompressing \"\(name)\"")
        }
        defer { ZSTD_freeDCtx(context) }
        // One spare byte tells a stream longer than declared from one of the declared size.
        var output = [UInt8](repeating: 0, count: expected + 1)
        let (errorName, produced, finished) = output.withUnsafeMutableBytes { out -> (String?, Int, Bool) in
            var input = ZSTD_inBuffer(src: inputBase, size: data.count, pos: 0)
            var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
            var finished = false
            while input.pos < input.size, target.pos < target.size {
                let status = ZSTD_decompressStream(context, &target, &input)
                if ZSTD_isError(status) != 0 {
                    return (String(cString: ZSTD_getErrorName(status)), target.pos, false)
                }
                // 0 means a frame ended; more input may hold a further frame.
                finished = status == 0
                if status != 0, input.pos == input.size, target.pos < target.size { break }
            }
            return (nil, target.pos, finished)
        }
        if let errorName {
            throw Failure(
                message: "\"\(name)\" could not be decompressed: the Zstandard data is invalid (\(errorName))")
        }
        guard produced <= expected else {
            throw Failure(message: "\"\(name)\" decompresses to more than the \(expected) bytes its header declares")
        }
        guard finished else {
            throw Failure(message: "\"\(name)\" could not be decompressed: the Zstandard data ends early")
        }
        guard produced == expected else {
            throw Failure(
                message: "\"\(name)\" decompressed to \(produced) bytes, not the \(expected) its header declares")
        }
        output.removeLast()
        return output
    }

    /// The CRC-32 of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer -> UInt32 in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = min(Int(UInt32.max), buffer.count - offset)
                crc = CZlib.crc32(crc, base + offset, uInt(n))
                offset += n
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    static func read16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= b.count else { return 0 }
        return UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func read32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= b.count else { return 0 }
        return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static func read64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(read32(b, at)) | UInt64(read32(b, at + 4)) << 32
    }
}
