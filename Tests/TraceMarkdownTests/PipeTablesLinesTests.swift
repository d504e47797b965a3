import Testing

@testable import TraceMarkdown

@Suite("Pipe tables: line splitting")
struct PipeTablesLinesTests {
    /// The Character-level split the byte scan replaces.
    func characterLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    @Test("The byte scan splits lines exactly where Swift's Character-level split does")
    func sameAsCharacterSplit() {
        let pieces = [
            "", "a", "|", "\n", "\r", "\r\n", "\n\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}",
            "\u{301}", "e\u{301}", "\u{2027}", "\u{2030}", "\u{C2}", "| x |", "é", "👩‍👩‍👧", "\u{1F1FA}\u{1F1F8}", " ", "\t",
        ]
        var texts: [String] = ["", "\n", "\r\n\r\n", "| a |\r\n|---|\r\n| b |", "x\u{2028}| a |\u{85}|---|"]
        // Every pair and many triples of the pieces, so each break meets every neighbour.
        for a in pieces {
            for b in pieces {
                texts.append(a + b)
                for c in pieces.prefix(12) { texts.append(a + b + c) }
            }
        }
        for text in texts {
            let lines = PipeTables.lines(text).map(String.init)
            #expect(lines == characterLines(text), "text: \(Array(text.unicodeScalars))")
            // Byte for byte too: Swift's String equality would accept canonically equal text.
            #expect(lines.map { Array($0.utf8) } == characterLines(text).map { Array($0.utf8) })
        }
    }

    @Test("A table whose rows end in CRLF or U+2028 renders as with line feeds")
    func tableAcrossLineBreaks() {
        let lf = PipeTables.html(fromMarkdown: "| a | b |\n|---|---|\n| 1 | 2 |")
        #expect(String(decoding: lf, as: UTF8.self).contains("<table>"))
        #expect(PipeTables.html(fromMarkdown: "| a | b |\r\n|---|---|\r\n| 1 | 2 |") == lf)
        #expect(PipeTables.html(fromMarkdown: "| a | b |\u{2028}|---|---|\u{2028}| 1 | 2 |") == lf)
    }

    @Test("A pipe carrying a combining mark is not a pipe: the table ends before that line")
    func combiningPipe() {
        let html = String(
            decoding: PipeTables.html(fromMarkdown: "| a | b |\n|---|---|\n| 1 | 2 |\n|\u{301} x"), as: UTF8.self)
        #expect(html.contains("<td>1</td>"))
        #expect(!html.contains("x</td>"))
        #expect(html.contains("x</p>"))
    }
}
