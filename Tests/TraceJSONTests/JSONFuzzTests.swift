import Foundation
import Testing
import TraceJSON

/// A small deterministic random generator (SplitMix64), so failures reproduce.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Mutated input")
struct JSONFuzzTests {
    private static let seedText = Array(
        """
        {"trace_id":"t1","span_id":"s1","input":{"messages":[{"role":"user","content":"Hello **world** é 中 🚀\\n\\"quoted\\" \\u00e9\\ud83d\\ude80"}]},"n":-12.5e+3,"ok":true,"none":null}
        {
            "pretty": [1, 2, {"a": []}],
            "long": "\(String(repeating: "Markdown text with a tab\\t and é ", count: 4))"
        }
        [1,2,3] "scalar" 42

        {"last":{"deep":[[[[{"x":false}]]]]}}

        """.utf8
    )

    /// Set `JSON_FUZZ_ITERATIONS` to run more edits per batch than the default 150.
    @Test("random edits never crash or hang, and pieces always agree with the whole", arguments: 0..<8)
    func mutations(batch: Int) {
        var random = SplitMix(state: UInt64(batch) &* 7919 &+ 1)
        let alphabet =
            Array(#"{}[]:,"\ u0123456789abcdefeEtrunl-+.#x"#.utf8) + [0x0A, 0x0D, 0x09, 0x00, 0xC3, 0xFF, 0xED]
        let iterations = ProcessInfo.processInfo.environment["JSON_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 150
        for _ in 0..<iterations {
            var bytes = Self.seedText
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let i = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: i)
                default: bytes[i] = alphabet.randomElement(using: &random)!
                }
            }
            let whole = JSONStreamParser.parse(bytes)
            #expect(whole.records.count + whole.errors.count >= 1)
            for error in whole.errors {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
            }
            bytes.withUnsafeBytes { buffer in
                let pieces = JSONStreamParser.split(buffer, into: 4)
                var joined = JSONParseResult()
                for (index, piece) in pieces.enumerated() {
                    let end = index + 1 < pieces.count ? pieces[index + 1].offset : buffer.count
                    let part = JSONStreamParser.parse(
                        UnsafeRawBufferPointer(rebasing: buffer[piece.offset..<end]),
                        firstLine: piece.firstLine
                    )
                    joined.records += part.records
                    joined.errors += part.errors
                }
                #expect(joined == whole)
            }
        }
    }
}
