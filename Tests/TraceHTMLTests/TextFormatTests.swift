import Foundation
import Testing
import TraceHTML
import TraceModel

@Suite("Each output in its own form")
struct TextFormatTests {
    static let patch =
        "diff --git a/src/marshmallow/fields.py b/src/marshmallow/fields.py\\nindex 0b18e7d..b2c4e1f 100644\\n--- a/src/marshmallow/fields.py\\n+++ b/src/marshmallow/fields.py\\n@@ -1474,7 +1474,7 @@ class TimeDelta(Field):\\n         seconds = value.total_seconds()\\n-        return int(seconds / base_unit)\\n+        return int(round(seconds / base_unit))\\n- * a list item, not Markdown\\n"

    func page(_ lines: [String]) -> String {
        let files = ReportRenderer().render(analyze(text: lines.joined(separator: "\n")))
        return files.first { $0.relativePath.hasPrefix("runs/") }!.text
    }

    @Test("A patch is a diff block with added and removed lines marked, never Markdown", arguments: ["\\n", "\\r\\n"])
    func patch(lineBreak: String) throws {
        let patch = "\\r\\n" == lineBreak ? Self.patch.replacingOccurrences(of: "\\n", with: "\\r\\n") : Self.patch
        let html = page([
            #"{"trace_id":"t","span_id":"r","name":"trajectory","kind":"agent","start_time":0,"end_time":1,"output":"\#(patch)"}"#
        ])
        #expect(html.contains("<div class=\"tf\" data-format=\"diff\"><pre class=\"diff\">"))
        #expect(html.contains("<span class=\"d-del\">-        return int(seconds / base_unit)\n</span>"))
        #expect(html.contains("<span class=\"d-add\">+        return int(round(seconds / base_unit))\n</span>"))
        #expect(html.contains("<span class=\"d-hunk\">@@ -1474,7 +1474,7 @@ class TimeDelta(Field):\n</span>"))
        #expect(html.contains("<span class=\"d-meta\">--- a/src/marshmallow/fields.py\n</span>"))
        #expect(html.contains("<span class=\"d-del\">- * a list item, not Markdown\n</span>"))
        #expect(!html.contains("<li>a list item"))
    }

    @Test("JSON inside a string is pretty-printed with its escapes decoded; the text as written stays for the raw view")
    func jsonString() throws {
        let result = #"{\"title\":\"Lisbon \\u2013 forecast\",\"days\":[1,2]}"#
        let html = page([
            #"{"trace_id":"t","span_id":"r","name":"get_forecast","kind":"tool","start_time":0,"end_time":1,"output":"\#(result)"}"#
        ])
        #expect(
            html.contains(
                "<div class=\"tf\" data-format=\"json\"><pre class=\"json\">{\n  &quot;title&quot;: &quot;Lisbon – forecast&quot;,"
            ))
        #expect(
            html.contains(
                "<pre class=\"tf-raw\" hidden>{&quot;title&quot;:&quot;Lisbon \\u2013 forecast&quot;,&quot;days&quot;:[1,2]}</pre>"
            ))
    }

    @Test("Fenced code is code; prose is Markdown in model output and text elsewhere; a table in an answer is a table")
    func forms() throws {
        let html = page([
            #"{"trace_id":"t","span_id":"r","name":"agent","kind":"agent","start_time":0,"end_time":3,"output":"| City | High |\n|---|--:|\n| Lisbon | 27 |"}"#,
            #"{"trace_id":"t","span_id":"c","parent_id":"r","name":"write_code","kind":"llm","start_time":0,"end_time":1,"output":"```python\nprint(\"<hi>\")\n```"}"#,
            #"{"trace_id":"t","span_id":"s","parent_id":"r","name":"shell","kind":"tool","start_time":1,"end_time":2,"output":"**not bold** in a tool's output"}"#,
        ])
        #expect(html.contains("<div class=\"tf\" data-format=\"markdown\"><div class=\"md\"><table>"))
        #expect(html.contains("<td class=\"align-right\">27</td>"))
        #expect(
            html.contains(
                "<div class=\"tf\" data-format=\"code\"><pre class=\"code\"><code data-language=\"python\">print(&quot;&lt;hi&gt;&quot;)</code></pre></div>"
            ))
        #expect(
            html.contains(
                "<div class=\"tf\" data-format=\"text\"><pre class=\"text\">**not bold** in a tool&#39;s output</pre></div>"
            ))
        // Every rendered text block says its form.
        let blocks = html.components(separatedBy: "<div class=\"tf\"").dropFirst()
        #expect(blocks.count >= 4)
        #expect(blocks.allSatisfy { $0.hasPrefix(" data-format=\"") })
    }
}
