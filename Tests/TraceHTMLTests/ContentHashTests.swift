import Testing
import TraceJSON

@testable import TraceHTML

@Suite("Content keys are hashed with a per-process key")
struct ContentHashTests {
    /// The unkeyed 64-bit mix the content cache once used.
    static func unkeyed(_ s: String) -> UInt64 {
        var value: UInt64 = 0x9E37_79B9_7F4A_7C15
        func mix(_ v: UInt64) {
            value = (value ^ v) &* 0xBF58_476D_1CE4_E5B9
            value ^= value >> 31
        }
        let bytes = Array(s.utf8)
        var i = 0
        while i + 8 <= bytes.count {
            var w: UInt64 = 0
            for j in 0..<8 { w |= UInt64(bytes[i + j]) << (8 * UInt64(j)) }
            mix(w)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        mix(tail ^ UInt64(bytes.count) << 56)
        return value
    }

    /// The state after one 8-byte block of the unkeyed mix.
    static func afterFirstBlock(_ block: [UInt8]) -> UInt64 {
        var w: UInt64 = 0
        for j in 0..<8 { w |= UInt64(block[j]) << (8 * UInt64(j)) }
        var value = (0x9E37_79B9_7F4A_7C15 ^ w) &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 31
        return value
    }

    /// Printable ASCII documents that all share one unkeyed digest: each differs in its first
    /// block, and its second block cancels the difference.
    static func collidingDocuments(_ count: Int) -> [String] {
        let base = Array("doc-0000".utf8)
        let second = Array("AAAAAAAA".utf8)
        let target = afterFirstBlock(base)
        var documents = [String(decoding: base + second, as: UTF8.self)]
        var k = 1
        while documents.count < count {
            let first = Array(String(format4: k).utf8)
            k += 1
            let d = afterFirstBlock(first) ^ target
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: d >> (8 * UInt64($0))) }
            guard bytes.allSatisfy({ $0 < 0x80 }) else { continue }
            // second' = second ^ d, kept printable by choosing the base byte per position.
            var block: [UInt8] = []
            for (j, x) in bytes.enumerated() {
                let candidate = second[j] ^ x
                guard candidate >= 0x20, candidate < 0x7F else { break }
                block.append(candidate)
            }
            guard block.count == 8 else { continue }
            documents.append(String(decoding: first + block, as: UTF8.self))
        }
        return documents
    }

    @Test("Documents crafted to collide under a fixed hash get distinct digests")
    func craftedCollisions() {
        let documents = Self.collidingDocuments(4)
        #expect(Set(documents).count == 4)
        #expect(Set(documents.map(Self.unkeyed)).count == 1, "the documents do collide without a key")
        #expect(Set(documents.map { ContentKey(JSONObject([("content", .string($0))])).digest }).count == 4)
    }
}

extension String {
    /// `doc-` and `n` in four base-36 digits: an 8-byte block.
    init(format4 n: Int) {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var v = n
        var s = ""
        for _ in 0..<4 {
            s = String(digits[v % 36]) + s
            v /= 36
        }
        self = "doc-" + s
    }
}
