import Testing

@testable import TraceMarkdown

/// The plain-text fast path must give exactly cmark's bytes whenever it answers, and must
/// answer for ordinary prose (or it saves nothing).
@Suite("Plain-text fast path")
struct PlainTextFastPathTests {
    static let optionSets: [CommonMarkOptions] = [.default, .hardBreaks, .noBreaks, [.hardBreaks, .noBreaks], .smart]

    /// cmark's HTML, never through the fast path.
    static func viaCmark(_ bytes: [UInt8], _ options: CommonMarkOptions) -> [UInt8] {
        bytes.withUnsafeBufferPointer { CommonMark.renderValidating($0, options: options, plainTextFastPath: false) }
    }

    static func viaFastPath(_ bytes: [UInt8], _ options: CommonMarkOptions) -> [UInt8]? {
        guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
        return bytes.withUnsafeBufferPointer { PlainText.html($0, options: options) }
    }

    /// Checks one input under every option set; returns how many took the fast path.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Int {
        var taken = 0
        for options in optionSets {
            guard let fast = viaFastPath(bytes, options) else { continue }
            taken += 1
            let slow = viaCmark(bytes, options)
            #expect(
                fast == slow,
                "input \(Array(bytes)) options \(options.rawValue): fast \(String(decoding: fast, as: UTF8.self).debugDescription) cmark \(String(decoding: slow, as: UTF8.self).debugDescription)"
            )
        }
        return taken
    }

    /// A small deterministic generator (64-bit LCG).
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Pieces that are mostly prose, with every character class the rules name mixed in.
    static let pieces: [String] = [
        "word", "Word", "text", "the", "a", "é", "検索", "✅", "🙂", "naïve", "x",
        " ", " ", " ", "  ", "\n", "\n", "\n\n", "\n\n\n",
        "1", "42", "2024", "3.", "7)", "1.5", ".", ")", "(", ",", ";", ":", "?", "!", "'", "\"", "/", "%", "$", "@",
        "^", "{", "}",
        "#", "-", "+", "=", ">", "---", "===", "# ", "- ", "+ ", "> ", "1. ", "2) ",
        "*", "_", "`", "~", "[", "]", "\\", "&", "&amp;", "<", "|", "\t", "\r", "\r\n", "\u{0}", "\u{7F}", "\u{85}",
        "\u{A0}",
        "\u{FEFF}", "\u{2028}", "\u{200B}", "    ", "www.example.com", "https://example.com", "a@b.c", "--", "...",
    ]

    @Test("Generated strings: the fast path equals cmark whenever it answers")
    func generated() {
        var gen = Generator(state: 0x5EED)
        var taken = 0
        let total = 30_000
        for _ in 0..<total {
            var s = ""
            let length = 1 + gen.next(14)
            // Half the strings draw only from prose pieces, so the fast path is taken often.
            let proseOnly = gen.next(2) == 0
            for _ in 0..<length {
                let piece = proseOnly ? Self.pieces[gen.next(42)] : Self.pieces[gen.next(Self.pieces.count)]
                s += piece
            }
            taken += Self.check(Array(s.utf8))
        }
        #expect(taken > total / 10, "the fast path was taken only \(taken) times")
    }

    @Test("Random bytes, invalid UTF-8 included: the fast path equals cmark whenever it answers")
    func randomBytes() {
        var gen = Generator(state: 0xB17E5)
        for _ in 0..<20_000 {
            let length = gen.next(24)
            // Bias towards letters, spaces and newlines so that some inputs qualify.
            let bytes = (0..<length).map { _ -> UInt8 in
                switch gen.next(4) {
                case 0: return UInt8(gen.next(256))
                case 1: return [0x20, 0x0A, 0x0A, 0x22, 0x3E, 0x2E][gen.next(6)]
                default: return UInt8(ascii: "a") + UInt8(gen.next(26))
                }
            }
            Self.check(bytes)
        }
    }

    @Test("Sampled chat text: every line, paragraph and document of the corpus")
    func sampled() {
        var taken = 0
        for document in ChatCorpus.documents(count: 200) {
            Self.check(Array(document.utf8))
            for paragraph in document.split(separator: "\n\n", omittingEmptySubsequences: false) {
                taken += Self.check(Array(paragraph.utf8))
            }
            for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
                taken += Self.check(Array(line.utf8))
            }
        }
        #expect(taken > 0)
    }

    @Test("Every single and double byte sequence of the interesting bytes")
    func exhaustiveShort() {
        let alphabet: [UInt8] = Array(0x00...0x7F) + [0xC2, 0x85, 0xA0, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF]
        for a in alphabet {
            Self.check([a])
            Self.check([UInt8(ascii: "x"), a])
            Self.check([a, UInt8(ascii: "x")])
            for b in alphabet {
                Self.check([a, b])
                Self.check([UInt8(ascii: "w"), a, b, UInt8(ascii: "w")])
                Self.check([UInt8(ascii: "w"), 0x0A, a, b])
            }
        }
    }

    @Test("Prose takes the fast path; anything that may be Markdown does not")
    func decisions() {
        let plain = [
            "Hello world", "I checked order A-99172: it was delivered on May 27, 18 days ago.",
            "Line one\nline two\n\nSecond paragraph \"quoted\" -> done!", "2024 was a good year", "café 検索 ✅", "",
        ]
        for text in plain {
            #expect(Self.viaFastPath(Array(text.utf8), .default) != nil, "\(text.debugDescription)")
            #expect(
                CommonMark.html(from: text)
                    == String(decoding: Self.viaCmark(Array(text.utf8), .default), as: UTF8.self))
        }
        let markdown = [
            "*em*", "a_b", "`code`", "[x](y)", "a\\b", "&amp;", "<b>", "# head", "- item", "1. one", "> quote",
            "    code", "a  \nb", "tab\there", "a|b", "x\r\ny", "\u{FEFF}bom", "trailing ", "a ~~b~~",
        ]
        for text in markdown {
            #expect(Self.viaFastPath(Array(text.utf8), .default) == nil, "\(text.debugDescription)")
        }
        #expect(Self.viaFastPath(Array("plain".utf8), .smart) == nil)
        #expect(CommonMark.html(from: "a \"b\"\nc > d") == "<p>a &quot;b&quot;\nc &gt; d</p>\n")
        #expect(CommonMark.html(from: "a\nb", options: .hardBreaks) == "<p>a<br />\nb</p>\n")
        #expect(CommonMark.html(fromUTF8: Array("one\n\n\ntwo\n".utf8)) == Array("<p>one</p>\n<p>two</p>\n".utf8))
    }
}
