#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Word-at-a-time helpers over raw bytes.
package enum ByteScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// A mask with the high bit set in each byte of `word` that is zero.
    ///
    /// Bits above the lowest set one may be wrong, so only `trailingZeroBitCount` of the result is
    /// meaningful.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// Loads 8 bytes from any address.
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// The offset of the first `byte` in `p[0..<count]`, or `nil`.
    @inline(__always)
    package static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        guard count > 0, let hit = memchr(p, Int32(byte), count) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
    }

    /// The number of `\n` bytes in `p[0..<count]`.
    package static func countNewlines(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var total = 0
        var i = 0
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= count {
            let x = load(p + i) ^ pattern
            // Exact per-byte zero test (no borrow between bytes): high bit set where the byte was zero.
            let t = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & highBits
            total &+= t.nonzeroBitCount
            i += 8
        }
        while i < count {
            if p[i] == 0x0A { total &+= 1 }
            i += 1
        }
        return total
    }

    /// The offset of the first byte of `p[0..<count]` that is not part of well-formed UTF-8, or `nil`.
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        while i < count {
            if i + 8 <= count, load(p + i) & highBits == 0 {
                i += 8
                continue
            }
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let need: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: return i
            }
            guard i + need < count else { return i }
            let second = p[i + 1]
            guard second >= low, second <= high else { return i }
            if need >= 2 {
                guard p[i + 2] & 0xC0 == 0x80 else { return i }
            }
            if need == 3 {
                guard p[i + 3] & 0xC0 == 0x80 else { return i }
            }
            i += need + 1
        }
        return nil
    }

    /// A 64-bit hash of the length and of 48 bytes at the start, middle and end of `p[0..<count]`.
    ///
    /// Only for tables that compare the bytes on a match anyway. Inputs shorter than 64 bytes are hashed
    /// whole.
    @inline(__always)
    static func sampledHash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        guard count >= 64 else { return hash(p, count) }
        let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
        let k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        let middle = p + (count >> 1) - 8
        var a = (k0 ^ UInt64(truncatingIfNeeded: count) ^ load(p)) &* k1
        var b = (k1 ^ load(p + 8)) &* k0
        a = ((a << 29) | (a >> 35)) ^ load(middle)
        b = ((b << 31) | (b >> 33)) ^ load(middle + 8)
        a = (a &* k1) ^ load(p + count - 16)
        b = (b &* k0) ^ load(p + count - 8)
        var h = (a &* k0) ^ (b &* k1) ^ (b >> 32)
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    /// A fast 64-bit hash of `p[0..<count]`.
    ///
    /// Not for use across processes or for anything that must resist chosen input.
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
        let k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var a: UInt64 = k0 ^ UInt64(truncatingIfNeeded: count)
        var b: UInt64 = k1
        var i = 0
        if count >= 16 {
            while i + 16 <= count {
                a = (a ^ load(p + i)) &* k1
                b = (b ^ load(p + i + 8)) &* k0
                a = (a << 29) | (a >> 35)
                b = (b << 31) | (b >> 33)
                i += 16
            }
            if i < count {
                a = (a ^ load(p + count - 16)) &* k1
                b = (b ^ load(p + count - 8)) &* k0
            }
        } else if count >= 8 {
            a = (a ^ load(p)) &* k1
            b = (b ^ load(p + count - 8)) &* k0
        } else {
            var w: UInt64 = 0
            for j in 0..<count { w |= UInt64(p[j]) << (UInt64(j) * 8) }
            a = (a ^ w) &* k1
        }
        var h = a ^ (b &* k1) ^ (b >> 32)
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
