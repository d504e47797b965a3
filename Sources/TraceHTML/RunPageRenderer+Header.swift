import TraceEval
import TraceJSON
import TraceModel

/// The run header: name, stats, scores, labels, metadata, findings and the run as an eval case.
extension RunPageRenderer {
    mutating func header(into out: inout HTMLBuffer) {
        out.raw(
            "<header class=\"run-header\">\n<nav class=\"crumbs\"><a href=\"../index.html\">All runs</a></nav>\n<h1 class=\"run-name\">"
        )
        out.text(run.name)
        out.raw("</h1> ")
        Self.statusPill(run.status, into: &out)
        problemsMarker(into: &out)
        out.raw("\n<dl class=\"run-stats\">")
        stat("Duration", Self.durationText(run), into: &out)
        stat("Spans", Formatting.count(Int64(run.run.nodes.count)), into: &out)
        stat("Errors", Formatting.count(Int64(run.errorCount)), into: &out)
        stat("Tokens", run.hasTokens ? Formatting.count(run.totalTokens) : Self.notRecorded, into: &out)
        if run.hasTokens {
            stat("In / out", Formatting.count(run.inputTokens) + " / " + Formatting.count(run.outputTokens), into: &out)
        }
        stat("Cost", run.hasCost ? Formatting.cost(run.totalCost) : Self.notRecorded, into: &out)
        stat("Start", Self.startText(run), into: &out)
        stat("Trace ID", run.run.traceID, into: &out)
        if let format = run.run.nodes.first?.span.sourceFormat {
            stat("Source format", format, into: &out)
        }
        out.raw("</dl>\n")
        if let diffPage {
            out.raw("<p class=\"run-diff-link\"><a")
            out.attribute("href", diffPage)
            out.raw(">Compare with the baseline run, span by span</a></p>\n")
        }
        glance(into: &out)
        if !run.scores.isEmpty {
            out.raw("<div class=\"scores\">")
            for score in run.scores { Self.score(score, into: &out) }
            out.raw("</div>\n")
        }
        if !run.labels.isEmpty {
            Self.labels(run.labels, into: &out)
            out.raw("\n")
        }
        var metadata = run.run.info?.metadata ?? JSONObject()
        metadata.appendMissing(from: run.run.root?.metadata.members ?? [])
        if !metadata.isEmpty {
            out.raw("<details class=\"run-metadata\"><summary>Metadata</summary>")
            Self.metadataTable(metadata, into: &out)
            out.raw("</details>\n")
        }
        var findings: [(String, Int)] = []
        if let i = run.firstErrorIndex { findings.append(("First error", i)) }
        if let i = run.slowestIndex, run.run.nodes[i].span.timeSource != .placeholder,
            (run.metrics[i].durationNanos ?? 0) > 0
        {
            findings.append(("Slowest span", i))
        }
        if let i = run.mostExpensiveIndex { findings.append((run.hasCost ? "Most expensive" : "Most tokens", i)) }
        if !findings.isEmpty {
            out.raw("<ul class=\"run-findings\">")
            for (title, i) in findings {
                let node = run.run.nodes[i]
                out.raw("<li><span class=\"finding-title\">")
                out.text(title)
                out.raw("</span> <a href=\"#")
                out.text(anchors[i])
                out.raw("\">")
                out.text(node.span.name)
                out.raw("</a> <span class=\"finding-detail\">")
                if title == "First error", let error = node.span.error {
                    out.text(Self.errorSummary(error))
                } else if title == "Slowest span" {
                    out.text(spanDurationText(i))
                } else if run.hasCost {
                    out.text(Formatting.cost(run.metrics[i].costSelf))
                } else {
                    out.text(Formatting.count(run.metrics[i].tokensSelf) + " tokens")
                }
                out.raw("</span></li>")
            }
            out.raw("</ul>\n")
        }
        criticalSummary(into: &out)
        evalCase(into: &out)
        out.raw("</header>\n")
    }

    /// The run as a regression eval case (a dataset row, as `trace-report extract` writes it),
    /// visible as text; the page's script adds a button that copies it.
    private func evalCase(into out: inout HTMLBuffer) {
        guard var row = try? EvalCase(run: run) else { return }
        // Reports carry no paths: the trace file's name stays out of the page.
        row.source.file = nil
        let size = Self.textBytes(row.json, upTo: ContentRenderer.markdownByteLimit + 1)
        let text = size > ContentRenderer.markdownByteLimit ? "" : JSONText.compact(row.json)
        guard size <= ContentRenderer.markdownByteLimit, text.utf8.count <= ContentRenderer.markdownByteLimit else {
            // A row this long is the run's own long values again: the page would carry them twice.
            out.raw(
                "<details class=\"eval-case\"><summary>Eval case</summary><p class=\"eval-case-hint\">This run as a dataset row for a regression eval is "
            )
            out.raw("over ")
            out.raw(Formatting.count(Int64(ContentRenderer.markdownByteLimit)))
            out.raw(" bytes, too long to carry in the page twice; <code>trace-report extract --run ")
            out.text(Self.shellQuoted(run.run.traceID))
            out.raw("</code> writes it.</p></details>\n")
            return
        }
        out.raw(
            "<details class=\"eval-case\"><summary>Eval case</summary><p class=\"eval-case-hint\">This run as a dataset row for a regression eval (JSON Lines; <code>trace-report extract</code> writes the same row, with a label and expected output).</p><pre class=\"json eval-case-json\" id=\"eval-case-json\">"
        )
        out.text(text)
        out.raw("</pre></details>\n")
    }

    /// The bytes of the strings and member names in `value`, counted up to `limit` (a lower
    /// bound of its JSON's length that never reads more than it must).
    static func textBytes(_ value: JSONValue, upTo limit: Int) -> Int {
        var total = 0
        var stack = [value]
        while let v = stack.popLast(), total < limit {
            switch v {
            case .string(let s): total += s.utf8.count
            case .array(let items): stack.append(contentsOf: items)
            case .object(let o):
                for member in o.members {
                    total += member.key.utf8.count
                    stack.append(member.value)
                }
            default: total += 1
            }
        }
        return total
    }

    /// `text` as one shell word: bare when it is plainly safe, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
                    || b == UInt8(ascii: ":") || b == UInt8(ascii: "/")
            }
        if safe { return text }
        var quoted = "'"
        for c in text.unicodeScalars {
            if c == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(c) }
        }
        return quoted + "'"
    }

    private func stat(_ title: StaticString, _ value: String, into out: inout HTMLBuffer) {
        out.raw("<div><dt>")
        out.raw(title)
        out.raw("</dt><dd>")
        out.text(value)
        out.raw("</dd></div>")
    }

    static func statusPill(_ status: RunStatus, into out: inout HTMLBuffer) {
        out.raw("<span class=\"status status-")
        out.raw(status.rawValue)
        out.raw("\">")
        out.raw(status.rawValue)
        out.raw("</span>")
    }

    /// A score's value, coloured by ``Formatting/scoreClass(_:)``, with its comment as the title.
    static func scoreValue(_ score: Score, into out: inout HTMLBuffer) {
        out.raw("<span class=\"score-value ")
        out.raw(Formatting.scoreClass(score.value))
        out.raw("\"")
        if let comment = score.comment { out.attribute("title", comment) }
        out.raw(">")
        out.text(Formatting.score(score.value, text: score.text))
        out.raw("</span>")
    }

    static func score(_ score: Score, into out: inout HTMLBuffer) {
        out.raw("<span class=\"score\"")
        out.attribute("data-score", score.name)
        out.attribute("data-value", score.text)
        out.raw("><span class=\"score-name\">")
        out.text(score.name)
        out.raw("</span> ")
        scoreValue(score, into: &out)
        if let origin = score.origin {
            out.raw(" <span class=\"score-origin\">from ")
            out.text(origin)
            out.raw("</span>")
        }
        out.raw("</span>")
    }

    static func labels(_ labels: [String], into out: inout HTMLBuffer) {
        out.raw("<ul class=\"labels\">")
        for label in labels {
            out.raw("<li class=\"label\">")
            out.text(label)
            out.raw("</li>")
        }
        out.raw("</ul>")
    }

    static func metadataTable(_ metadata: JSONObject, into out: inout HTMLBuffer) {
        out.raw("<table class=\"kv\"><tbody>")
        for member in metadata.members {
            out.raw("<tr><th>")
            out.text(member.key)
            out.raw("</th><td>")
            switch member.value {
            case .string(let s): out.text(s)
            case .number(let n): out.text(n.text)
            case .bool(let b): out.raw(b ? "true" : "false")
            case .null: out.raw("null")
            default:
                out.raw("<pre class=\"json\">")
                out.text(JSONText.pretty(member.value))
                out.raw("</pre>")
            }
            out.raw("</td></tr>")
        }
        out.raw("</tbody></table>")
    }

    static func errorSummary(_ error: SpanError) -> String {
        if let type = error.type, type != error.message { return "\(type): \(error.message)" }
        return error.message
    }
}

/// The run header's glance: input, output and expected output, rendered, so a reader sees what
/// the run was about before opening any span.
extension RunPageRenderer {
    mutating func glance(into out: inout HTMLBuffer) {
        let glance = RunGlance(run)
        guard !glance.isEmpty else { return }
        out.raw("<section class=\"run-glance\" aria-label=\"Input and output\">\n")
        if let input = glance.input {
            out.raw("<div class=\"glance glance-input\" data-run-input><h2>Input</h2>")
            glanceValue(input, into: &out)
            out.raw("</div>\n")
        }
        if glance.output != nil || glance.expected != nil {
            out.raw("<div class=\"glance-pair\">")
            out.raw("<div class=\"glance glance-output\" data-run-output><h2>Output</h2>")
            if let output = glance.output {
                glanceValue(output, into: &out)
            } else {
                out.raw("<p class=\"unknown\">not recorded</p>")
            }
            out.raw("</div>")
            if let expected = glance.expected {
                out.raw("<div class=\"glance glance-expected\" data-run-expected><h2>Expected</h2>")
                glanceValue(expected, into: &out)
                out.raw("</div>")
            }
            out.raw("</div>\n")
        }
        out.raw("</section>\n")
    }

    private mutating func glanceValue(_ value: SpanContent, into out: inout HTMLBuffer) {
        if case .text(let text) = value.form, text.utf8.count > ContentRenderer.markdownByteLimit {
            // A text this long is shown once, in its span's detail; the header previews it.
            out.raw("<p class=\"glance-long\">")
            out.text(ContentRenderer.preview(text, characters: 600))
            out.raw(" <span class=\"fold-size\">(")
            out.raw(Formatting.count(Int64(text.utf8.count)))
            out.raw(" bytes; shown in full in its span\u{2019}s detail)</span></p>")
            return
        }
        content.render(value, as: .output, kind: .agent, into: &out)
    }
}

extension RunPageRenderer {
    /// On a tool span, the id of the call it ran, linking to the call in the model's output.
    func toolSpanCallLink(_ span: Span, into out: inout HTMLBuffer) {
        guard let id = ToolCallIndex.callID(of: span), content.toolCalls.names[id] != nil else { return }
        out.raw("<p class=\"tool-links\">Runs the call <a class=\"tool-link tool-ref\" href=\"#")
        out.text(ToolCallIndex.elementID("call-", id))
        out.raw("\">")
        out.text(id)
        out.raw("</a>")
        if content.toolCalls.resultIDs.contains(id) {
            out.raw(" · <a class=\"tool-link\" href=\"#")
            out.text(ToolCallIndex.elementID("result-", id))
            out.raw("\">its result</a>")
        }
        out.raw("</p>\n")
    }
}
