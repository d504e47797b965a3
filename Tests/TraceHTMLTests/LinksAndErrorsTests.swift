import Foundation
import Testing
import TraceHTML
import TraceModel

@Suite("Tool calls, errors and names on run pages")
struct LinksAndErrorsTests {
    func page(_ lines: [String]) -> String {
        ReportRenderer().render(analyze(text: lines.joined(separator: "\n"))).first {
            $0.relativePath.hasPrefix("runs/")
        }!.text
    }

    @Test(
        "A tool call links to its tool span and its result; the result is labelled by tool name and links back; ids as written"
    )
    func toolLinks() {
        let html = page([
            #"{"trace_id":"t","span_id":"r","name":"agent","kind":"agent","start_time":0,"end_time":4}"#,
            #"{"trace_id":"t","span_id":"m1","parent_id":"r","name":"plan","kind":"llm","model":"gpt-4o","start_time":0,"end_time":1,"input":[{"role":"user","content":"Weather?"}],"output":{"role":"assistant","content":null,"tool_calls":[{"id":"call_Qm3s7","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Lisbon\"}"}}]}}"#,
            #"{"trace_id":"t","span_id":"tool1","parent_id":"r","name":"get_forecast","kind":"tool","start_time":1,"end_time":2,"metadata":{"tool_call_id":"call_Qm3s7"}}"#,
            #"{"trace_id":"t","span_id":"m2","parent_id":"r","name":"answer","kind":"llm","model":"gpt-4o","start_time":2,"end_time":3,"input":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_Qm3s7","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Lisbon\"}"}}]},{"role":"tool","tool_call_id":"call_Qm3s7","content":"sunny"}],"output":"Sunny."}"#,
        ])
        #expect(
            html.contains(
                "<div class=\"tool-call\" id=\"call-call_Qm3s7\"><span class=\"tool-name\">get_forecast</span><span class=\"tool-id\">call_Qm3s7 <a class=\"tool-link\" href=\"#s-tool1\">tool span</a><a class=\"tool-link\" href=\"#result-call_Qm3s7\">result</a></span>"
            ))
        #expect(
            html.contains(
                "<span class=\"msg-ref\">result of <strong class=\"tool-name\">get_forecast</strong> <a class=\"tool-link tool-ref\" id=\"result-call_Qm3s7\" href=\"#call-call_Qm3s7\">call_Qm3s7</a></span>"
            ))
        #expect(
            html.contains(
                "<p class=\"tool-links\">Runs the call <a class=\"tool-link tool-ref\" href=\"#call-call_Qm3s7\">call_Qm3s7</a>"
            ))
        #expect(count("id=\"call-call_Qm3s7\"", in: html) == 1, "each element id once")
        #expect(
            html.contains(".msg-role .msg-ref, .msg-role .msg-name, .msg-role .tool-name { text-transform: none;"),
            "ids are not upper-cased")
        // Model calls show their model on the row; full names on hover.
        #expect(html.contains("<span class=\"row-tag tag-model\" title=\"model: gpt-4o\">gpt-4o</span>"))
        #expect(html.contains("<a class=\"span-link\" href=\"#s-tool1\" title=\"get_forecast\">get_forecast</a>"))
    }

    @Test("The last lines of a stack trace are visible without scrolling; a parent shows that a span below it failed")
    func errors() {
        let stack =
            (1...30).map { "  File \\\"agent.py\\\", line \($0), in step" }.joined(separator: "\\n")
            + "\\nTimeoutError: search took longer than 30 s"
        let html = page([
            #"{"trace_id":"t","span_id":"r","name":"agent","kind":"agent","start_time":0,"end_time":4}"#,
            #"{"trace_id":"t","span_id":"p","parent_id":"r","name":"research","kind":"chain","start_time":0,"end_time":3}"#,
            #"{"trace_id":"t","span_id":"c","parent_id":"p","name":"search","kind":"tool","start_time":1,"end_time":2,"error":{"type":"TimeoutError","message":"search took longer than 30 s","stack":"\#(stack)"}}"#,
        ])
        #expect(html.contains("<details class=\"stack-head\"><summary>23 earlier lines</summary>"))
        #expect(html.contains("<pre class=\"stack stack-tail\">  File &quot;agent.py&quot;, line 24, in step"))
        #expect(html.contains("TimeoutError: search took longer than 30 s</pre>"))
        #expect(
            count("<span class=\"err-below\" title=\"a span below this one failed\">1 failed below</span>", in: html)
                == 2, "root and research")
        #expect(html.contains("details.node:not([open]) > summary .err-below"))
    }

    @Test("Streamed chunks fold into one line with the streamed text; the time to first token is derived")
    func streaming() {
        let events = ["Hel", "lo", " there", "!"].enumerated().map { i, t in
            #"{"name":"new_token","time":"2025-01-01T00:00:00.\#(300 + 10 * i)Z","attributes":{"token":"\#(t)"}}"#
        }.joined(separator: ",")
        let html = page([
            #"{"trace_id":"t","span_id":"m","name":"answer","kind":"llm","start_time":"2025-01-01T00:00:00Z","end_time":"2025-01-01T00:00:01Z","output":"Hello there!","events":[\#(events)]}"#
        ])
        #expect(
            html.contains(
                "<div><dt>Time to first token</dt><dd>300 ms (derived from the first streamed chunk)</dd></div>"))
        #expect(
            html.contains(
                "<li class=\"event-stream\" data-chunks=\"4\"><details><summary><span class=\"event-name\">4 streamed chunks</span> <span class=\"event-time\">+300 ms</span> <span class=\"stream-text\">Hello there!</span></summary>"
            ))
        #expect(
            count("<span class=\"event-name\">new_token</span>", in: html) == 4, "the chunks stay available, folded")
    }
}
