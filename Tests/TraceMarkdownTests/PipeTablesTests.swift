import Testing
import TraceMarkdown

@Suite("Pipe tables")
struct PipeTablesTests {
    func html(_ text: String) -> String { String(decoding: PipeTables.html(fromMarkdown: text), as: UTF8.self) }

    @Test("A GitHub pipe table renders as a table, cells as inline Markdown, between paragraphs")
    func table() {
        let text = """
            Here are the plans:

            | Plan | Price | Notes |
            |:-----|------:|:-----:|
            | **Pro** | $20 | `monthly` |
            | Team | $50 |
            after the table
            """
        #expect(
            html(text) == """
                <p>Here are the plans:</p>
                <table>
                <thead>
                <tr>
                <th class="align-left">Plan</th>
                <th class="align-right">Price</th>
                <th class="align-center">Notes</th>
                </tr>
                </thead>
                <tbody>
                <tr>
                <td class="align-left"><strong>Pro</strong></td>
                <td class="align-right">$20</td>
                <td class="align-center"><code>monthly</code></td>
                </tr>
                <tr>
                <td class="align-left">Team</td>
                <td class="align-right">$50</td>
                <td class="align-center"></td>
                </tr>
                </tbody>
                </table>
                <p>after the table</p>

                """
        )
    }

    @Test("Escaped pipes stay in their cell; rows without outer pipes work")
    func escapedPipes() {
        let out = html("a | b\n--- | ---\nx \\| y | z\n")
        #expect(out.contains("<td>x | y</td>\n<td>z</td>"))
    }

    @Test("Payloads in cells are escaped like all other text; unsafe links are dropped")
    func hostileCells() {
        let out = html(
            """
            | <script>alert(1)</script> | <img src=x onerror=alert(2)> |
            |---|---|
            | [x](javascript:alert(3)) | "quoted' & <b>bold</b> |
            | # heading? | <iframe src=https://evil.example> |
            """)
        #expect(out.contains("<table>"))
        #expect(!out.contains("<script"))
        #expect(!out.contains("<img"))
        #expect(!out.contains("<iframe"))
        #expect(!out.contains("<b>"))
        #expect(!out.contains("javascript:"))
        #expect(out.contains("<td># heading?</td>") || out.contains("<td>#"), "a cell is inline content, never a block")
    }

    @Test("Pipes in fenced code and a lone pipe line are not tables")
    func notTables() {
        let fenced = html("```\n| a | b |\n|---|---|\n```\n")
        #expect(!fenced.contains("<table>"))
        #expect(fenced.contains("<pre><code>| a | b |\n|---|---|\n</code></pre>"))
        #expect(!html("a | b\nno delimiter\n").contains("<table>"))
        #expect(!html("| a | b |\n|---|\n").contains("<table>"), "the delimiter row must match the header's width")
        #expect(html("no pipes at all") == CommonMark.html(from: "no pipes at all"))
    }
}
