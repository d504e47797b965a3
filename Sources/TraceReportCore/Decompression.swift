import CZlib
import CZstd
public import TraceModel

/// Compressed inputs: gzip and zstd, recognized by their first bytes, whatever the file is called.
///
/// The data is decompressed as a stream, in fixed-size chunks, into the text the decoders read; a
/// file of several gzip members or zstd frames (as `cat a.gz b.gz` makes) is read whole. Data that
/// is corrupt or ends early keeps the lines decompressed before the damage, and one error names
/// the file and the line where the readable text stops.
package enum Decompression {
    package enum Kind: String {
        case gzip
        case zstd
    }

    /// The compression of `bytes`, from its magic number.
    package static func kind(of bytes: UnsafeRawBufferPointer) -> Kind? {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return .gzip }
        if bytes.count >= 4, bytes[0] == 0x28, bytes[1] == 0xB5, bytes[2] == 0x2F, bytes[3] == 0xFD { return .zstd }
        return nil
    }

    /// What decompressing produced.
    package struct Output {
        package var text: [UInt8]
        /// Why the data could not be read to its end, when it could not.
        package var failure: String?
    }

    /// The most decompressed text one file may give: more is a decompression bomb, not a trace.
    package static let defaultLimit = 4 << 30

    package static func decompress(_ bytes: UnsafeRawBufferPointer, as kind: Kind, limit: Int = defaultLimit) -> Output
    {
        switch kind {
        case .gzip: gunzip(bytes, limit: limit)
        case .zstd: unzstd(bytes, limit: limit)
        }
    }

    package static func tooLarge(_ limit: Int) -> String {
        let size = limit >= 1 << 30 ? "\(limit >> 30) GiB" : limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes"
        return "the decompressed text is larger than \(size), the most one file may give (a decompression bomb?)"
    }

    private static let chunk = 256 * 1024

    package static func gunzip(_ input: UnsafeRawBufferPointer, limit: Int = defaultLimit) -> Output {
        var out: [UInt8] = []
        var stream = z_stream()
        // 15 window bits + 16: gzip framing only.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return Output(text: [], failure: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: chunk)
        var offset = 0
        var failure: String? = nil
        var memberDone = false
        while true {
            if memberDone {
                // Another gzip member follows, or only padding: stop at anything but a gzip header.
                guard offset + 1 < input.count, input[offset] == 0x1F, input[offset + 1] == 0x8B else { break }
                inflateReset(&stream)
                memberDone = false
            }
            let available = input.count - offset
            stream.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + offset })
            stream.avail_in = uInt(min(available, Int(UInt32.max)))
            let before = stream.avail_in
            let status: Int32 = buffer.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            offset += Int(before - stream.avail_in)
            out.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
            if out.count > limit {
                out.removeLast(out.count - limit)
                failure = tooLarge(limit)
                break
            }
            if status == Z_STREAM_END {
                memberDone = true
                continue
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR {
                // No progress possible: the input ended inside a member.
                if offset >= input.count {
                    failure = "the gzip data ends early (is the file truncated?)"
                } else {
                    failure = "the gzip data is corrupt"
                }
                break
            }
            let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            failure = "the gzip data is corrupt: \(reason)"
            break
        }
        return Output(text: out, failure: failure)
    }

    package static func unzstd(_ input: UnsafeRawBufferPointer, limit: Int = defaultLimit) -> Output {
        guard let stream = ZSTD_createDStream() else { return Output(text: [], failure: "zstd could not start") }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var lastResult = 0
        while true {
            var produced = 0
            let result: Int = buffer.withUnsafeMutableBytes { raw in
                var target = ZSTD_outBuffer(dst: raw.baseAddress, size: raw.count, pos: 0)
                let r = ZSTD_decompressStream(stream, &target, &source)
                produced = target.pos
                return r
            }
            if ZSTD_isError(result) != 0 {
                out.append(contentsOf: buffer[0..<produced])
                return Output(
                    text: out, failure: "the zstd data is corrupt: \(String(cString: ZSTD_getErrorName(result)))")
            }
            out.append(contentsOf: buffer[0..<produced])
            if out.count > limit {
                out.removeLast(out.count - limit)
                return Output(text: out, failure: tooLarge(limit))
            }
            lastResult = result
            // Done when all input is used and the decoder holds nothing more to give.
            if source.pos >= source.size && produced < buffer.count { break }
        }
        // A non-zero hint at the end means the last frame is incomplete.
        return Output(text: out, failure: lastResult != 0 ? "the zstd data ends early (is the file truncated?)" : nil)
    }

    /// The 1-based line where text that stopped early breaks off.
    package static func lineAfter(_ text: [UInt8]) -> Int {
        var lines = 1
        for byte in text where byte == 0x0A { lines += 1 }
        return lines
    }
}

extension TraceInput {
    /// Runs `body` over the file's text: its bytes, or their decompressed text for a gzip or
    /// zstd file. A decompression failure comes back as an error naming the file and line.
    public func withTextBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> (result: R, problem: Diagnostic?) {
        let (outcome, unreadable) = withUnsafeBytes { bytes -> (R, Diagnostic?) in
            guard let kind = Decompression.kind(of: bytes) else { return (body(bytes), nil) }
            let output = Decompression.decompress(bytes, as: kind)
            let result = output.text.withUnsafeBytes(body)
            guard let failure = output.failure else { return (result, nil) }
            let line = Decompression.lineAfter(output.text)
            let kept = output.text.isEmpty ? "nothing could be read from it" : "the lines before it were read"
            return (
                result, Diagnostic(.error, at: SourceLocation(file: displayName, line: line), "\(failure); \(kept)")
            )
        }
        if let unreadable {
            return (
                outcome.0,
                Diagnostic(.error, at: SourceLocation(file: displayName, line: 0), "cannot read: \(unreadable)")
            )
        }
        return outcome
    }
}
