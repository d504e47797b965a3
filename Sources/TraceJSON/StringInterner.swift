#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A table from the raw bytes of a JSON string (between the quotes, escapes left as written) to the
/// `String` already built from them, so a repeated string shares one storage and is decoded once.
///
/// Entries point into the buffer being parsed, which outlives the table.
struct StringInterner {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: Int = 0
        var length: Int = 0
        var string: String = ""
    }

    private let base: UnsafePointer<UInt8>
    private var slots: [Slot]
    private var mask: Int
    private var used = 0

    init(base: UnsafePointer<UInt8>, capacity: Int = 256) {
        self.base = base
        var size = 16
        while size < capacity { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// The most slots a lookup visits before it gives up; a string that gives up is not interned.
    private static let maximumProbes = 16

    /// Where a lookup ended: the string when found, else the slot to fill (-1: do not store).
    struct Probe {
        var string: String?
        var slot: Int
        var hash: UInt64
    }

    /// Looks up the bytes `base[offset..<offset + length]`.
    @inline(__always)
    func find(offset: Int, length: Int) -> Probe {
        let h = ByteScan.sampledHash(base + offset, length) | 1
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { buffer in
            let s = buffer.baseAddress!
            for _ in 0..<Self.maximumProbes {
                let slotHash = s[i].hash
                if slotHash == 0 { return Probe(string: nil, slot: i, hash: h) }
                if slotHash == h, s[i].length == length,
                    s[i].offset == offset || memcmp(base + s[i].offset, base + offset, length) == 0
                {
                    return Probe(string: s[i].string, slot: i, hash: h)
                }
                i = (i + 1) & mask
            }
            return Probe(string: nil, slot: -1, hash: h)
        }
    }

    /// Stores `string` for the bytes looked up by `probe`, which must have missed.
    @inline(__always)
    mutating func insert(_ string: String, offset: Int, length: Int, probe: Probe) {
        guard probe.slot >= 0 else { return }
        slots[probe.slot] = Slot(hash: probe.hash, offset: offset, length: length, string: string)
        used += 1
        if used * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.hash != 0 {
            var i = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[i].hash != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
