import TraceJSON
import TraceModel

/// Texts on a diff page: line diffs of changed text, plain text, and the redaction note.
extension DiffPageRenderer {
    /// A line diff: changed lines with ``contextLines`` of unchanged text around them, longer
    /// unchanged stretches folded into a count; at most ``maxShownLines`` lines.
    static func lineDiff(_ diff: TextDiff, into out: inout HTMLBuffer) {
        let lines = diff.lines
        var keep = [Bool](repeating: false, count: lines.count)
        for (i, line) in lines.enumerated() where line.change != .same {
            for k in max(0, i - contextLines)...min(lines.count - 1, i + contextLines) { keep[k] = true }
        }
        out.raw("<pre class=\"diff-lines\">")
        var shown = 0
        var i = 0
        while i < lines.count {
            if shown >= maxShownLines {
                out.raw("<span class=\"dl-skip\">… ")
                out.text(Formatting.count(Int64(lines.count - i)))
                out.raw(" more lines</span>\n")
                break
            }
            if !keep[i] {
                var j = i
                while j < lines.count, !keep[j] { j += 1 }
                out.raw("<span class=\"dl-skip\">  … ")
                out.text(Formatting.count(Int64(j - i)))
                out.raw(j - i == 1 ? " unchanged line</span>\n" : " unchanged lines</span>\n")
                i = j
                continue
            }
            switch lines[i].change {
            case .same: out.raw("<span class=\"dl\">  ")
            case .removed: out.raw("<del class=\"dl\">- ")
            case .added: out.raw("<ins class=\"dl\">+ ")
            }
            out.text(lines[i].text)
            switch lines[i].change {
            case .same: out.raw("</span>\n")
            case .removed: out.raw("</del>\n")
            case .added: out.raw("</ins>\n")
            }
            shown += 1
            i += 1
        }
        out.raw("</pre>")
        if diff.isCoarse {
            out.raw(
                "<p class=\"diff-note\">These texts are too long to compare line by line: the lines between the common first and last lines are shown as removed, then added.</p>"
            )
        }
    }

    /// A text of one run only, at most ``maxShownLines`` lines.
    static func plainText(_ text: String, into out: inout HTMLBuffer) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        out.raw("<pre class=\"diff-lines\">")
        out.text(lines.prefix(maxShownLines).joined(separator: "\n"))
        if lines.count > maxShownLines {
            out.raw("\n<span class=\"dl-skip\">… ")
            out.text(Formatting.count(Int64(lines.count - maxShownLines)))
            out.raw(" more lines</span>")
        }
        out.raw("</pre>")
    }

    /// The redaction note: how many values were replaced, never the values.
    static func redactionNote(_ manifest: RedactionManifest?, into out: inout HTMLBuffer) {
        guard let manifest else { return }
        out.raw("<p class=\"diff-redaction\" data-redacted=\"")
        out.int(manifest.total)
        out.raw("\">Redacted: ")
        let applied = manifest.entries.filter { $0.count > 0 }
        if applied.isEmpty {
            out.raw("nothing matched the redaction rules.")
        } else {
            out.text(applied.map { "\($0.name) \(Formatting.count(Int64($0.count)))" }.joined(separator: ", "))
        }
        out.raw("</p>\n")
    }
}
