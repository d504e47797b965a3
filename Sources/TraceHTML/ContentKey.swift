import TraceJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON object used as a dictionary key, hashed once over its UTF-8 bytes.
///
/// Agent traces repeat the same messages in every model call, so a page keys rendered messages
/// by their content. The hash is computed in one keyed pass over the bytes, far cheaper than
/// hashing a serialized copy; equality falls back to comparing values, which is quick for the
/// identical strings the parser shares between repeats.
struct ContentKey: Hashable {
    let value: JSONObject
    let digest: UInt64

    init(_ value: JSONObject) {
        self.value = value
        var h = ContentHash()
        h.add(.object(value))
        self.digest = h.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    static func == (a: ContentKey, b: ContentKey) -> Bool {
        a.digest == b.digest && a.value == b.value
    }
}

/// A 64-bit hash over a JSON value's structure and bytes, keyed per process.
///
/// It is Swift's `Hasher` (SipHash with a per-process random seed) fed the raw UTF-8 bytes,
/// so texts crafted to collide (40,000 retrieval documents with one digest would make every
/// cache lookup compare with all the others) collide only by chance. The digest decides no
/// output, only cache buckets.
struct ContentHash {
    private var hasher = Hasher()

    /// The digest of what was added so far.
    var value: UInt64 {
        var copy = hasher
        return UInt64(bitPattern: Int64(copy.finalize()))
    }

    private mutating func mix(_ v: UInt64) {
        hasher.combine(v)
    }

    mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { buffer in
            hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
            hasher.combine(buffer.count)
        }
    }

    mutating func add(_ root: JSONValue) {
        var stack: [JSONValue] = [root]
        while let v = stack.popLast() {
            switch v {
            case .null: mix(1)
            case .bool(let b): mix(b ? 2 : 3)
            case .number(let n):
                mix(4)
                add(n.text)
            case .string(let s):
                mix(5)
                add(s)
            case .array(let items):
                mix(6 ^ UInt64(items.count) << 8)
                stack.append(contentsOf: items.reversed())
            case .object(let o):
                mix(7 ^ UInt64(o.members.count) << 8)
                for m in o.members.reversed() {
                    stack.append(m.value)
                    stack.append(.string(m.key))
                }
            }
        }
    }
}
