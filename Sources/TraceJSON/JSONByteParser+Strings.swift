/// Strings at least this long (in source bytes) are interned.
private let internMinimumLength = 64

/// String reading for ``JSONByteParser``: finding the closing quote, interning, and decoding escapes.
extension JSONByteParser {
    /// Reads the string whose opening quote is at `pos` and moves past the closing quote.
    @inline(__always)
    mutating func parseString(isKey: Bool) throws(ParseFailure) -> String {
        let quote = pos
        let start = pos + 1
        let scan = Self.scanString(base, end, from: start)
        let p = scan.stop
        switch scan.problem {
        case .none: break
        case .endOfInput: throw ParseFailure(quote, "unterminated string", resume: end)
        case .lineBreak: throw ParseFailure(quote, "unterminated string")
        case .controlCharacter:
            throw ParseFailure(p, "unescaped control character \(Self.describe(base[p])) in string")
        }
        let escaped = scan.escaped
        let length = p - start
        pos = p + 1
        let nonASCII = scan.nonASCII
        if isKey {
            let probe = keyStrings.find(offset: start, length: length)
            if let s = probe.string { return s }
            let s = try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
            keyStrings.insert(s, offset: start, length: length, probe: probe)
            return s
        }
        if length >= internMinimumLength {
            let probe = longStrings.find(offset: start, length: length)
            if let s = probe.string { return s }
            let s = try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
            longStrings.insert(s, offset: start, length: length, probe: probe)
            return s
        }
        return try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
    }

    /// What ``scanString(_:_:from:)`` found.
    struct StringScan {
        enum Problem { case none, endOfInput, lineBreak, controlCharacter }
        /// The offset of the closing quote, or of the byte that is a problem.
        var stop: Int
        var nonASCII: Bool
        var escaped: Bool
        var problem: Problem
    }

    /// Finds the closing quote of a string whose contents start at `start`, eight bytes at a time.
    @inline(__always)
    static func scanString(_ base: UnsafePointer<UInt8>, _ end: Int, from start: Int) -> StringScan {
        var p = start
        var seen: UInt64 = 0
        var escaped = false
        while true {
            if p + 8 <= end {
                let w = ByteScan.load(base + p)
                let special =
                    ByteScan.zeroBytes(w ^ 0x2222_2222_2222_2222) | ByteScan.zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                    | ((w &- 0x2020_2020_2020_2020) & ~w & ByteScan.highBits)
                if special == 0 {
                    seen |= w
                    p += 8
                    continue
                }
                let k = special.trailingZeroBitCount >> 3
                seen |= w & ((1 &<< UInt64(k &* 8)) &- 1)
                p += k
            } else {
                guard p < end else {
                    return StringScan(stop: end, nonASCII: false, escaped: escaped, problem: .endOfInput)
                }
                let b = base[p]
                if b != Byte.quote, b != Byte.backslash, b >= 0x20 {
                    seen |= UInt64(b)
                    p += 1
                    continue
                }
            }
            let b = base[p]
            if b == Byte.quote {
                return StringScan(stop: p, nonASCII: seen & ByteScan.highBits != 0, escaped: escaped, problem: .none)
            }
            if b == Byte.backslash {
                escaped = true
                p += 1
                // A line break is never skipped as an escaped byte: strings do not span lines.
                if p < end, base[p] == Byte.newline || base[p] == Byte.carriageReturn {
                    return StringScan(stop: p, nonASCII: false, escaped: escaped, problem: .lineBreak)
                }
                p += 1
                continue
            }
            let problem: StringScan.Problem =
                b == Byte.newline || b == Byte.carriageReturn ? .lineBreak : .controlCharacter
            return StringScan(stop: p, nonASCII: false, escaped: escaped, problem: problem)
        }
    }

    /// Builds the string from its source bytes `base[start..<start + length]`, checking UTF-8 when
    /// `nonASCII`.
    @inline(__always)
    private mutating func makeString(
        start: Int, length: Int, escaped: Bool, nonASCII: Bool
    ) throws(ParseFailure)
        -> String
    {
        var bytes = UnsafeBufferPointer(start: base + start, count: length)
        if escaped {
            bytes = try decodeEscapes(start: start, length: length)
        }
        if !nonASCII {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        let bad = ByteScan.firstInvalidUTF8(base + start, length) ?? 0
        throw ParseFailure(start + bad, "invalid UTF-8 in string")
    }

    /// Decodes the escapes of `base[start..<start + length]` into the scratch buffer and returns the
    /// decoded bytes, valid until the next call.
    private mutating func decodeEscapes(start: Int, length: Int) throws(ParseFailure) -> UnsafeBufferPointer<UInt8> {
        if scratchCapacity < length {
            scratch.deallocate()
            scratchCapacity = max(length, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let out = scratch
        var o = 0
        var i = start
        let stop = start + length
        while i < stop {
            let run = ByteScan.find(Byte.backslash, base + i, stop - i) ?? (stop - i)
            if run > 0 {
                (out + o).update(from: base + i, count: run)
                o += run
                i += run
                if i >= stop { break }
            }
            let e = base[i + 1]
            var byte: UInt8 = 0
            switch e {
            case Byte.quote, Byte.backslash, Byte.slash: byte = e
            case UInt8(ascii: "n"): byte = 0x0A
            case UInt8(ascii: "t"): byte = 0x09
            case UInt8(ascii: "r"): byte = 0x0D
            case UInt8(ascii: "b"): byte = 0x08
            case UInt8(ascii: "f"): byte = 0x0C
            case UInt8(ascii: "u"):
                guard i + 6 <= stop, let unit = Self.hex4(base + i + 2) else {
                    throw ParseFailure(i, "invalid \\u escape in string")
                }
                i += 6
                var scalar = unit
                if unit >= 0xD800, unit <= 0xDBFF {
                    if i + 6 <= stop, base[i] == Byte.backslash, base[i + 1] == UInt8(ascii: "u"),
                        let low = Self.hex4(base + i + 2), low >= 0xDC00, low <= 0xDFFF
                    {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if unit >= 0xDC00, unit <= 0xDFFF {
                    scalar = 0xFFFD
                }
                o += Self.encodeUTF8(scalar, into: out + o)
                continue
            default:
                throw ParseFailure(i, "invalid escape \(Self.describe(e)) in string")
            }
            out[o] = byte
            o += 1
            i += 2
        }
        return UnsafeBufferPointer(start: out, count: o)
    }

    @inline(__always)
    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case Byte.zero...Byte.nine: d = UInt32(c &- Byte.zero)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c &- UInt8(ascii: "a") &+ 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c &- UInt8(ascii: "A") &+ 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if scalar < 0x80 {
            out[0] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        if scalar < 0x10000 {
            out[0] = UInt8(0xE0 | (scalar >> 12))
            out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }
}
