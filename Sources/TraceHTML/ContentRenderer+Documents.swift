import TraceJSON
import TraceModel

/// Retrieved documents, shown as cards with their id, score, text and other fields.
extension ContentRenderer {
    mutating func renderDocuments(_ docs: [RetrievedDocument], into out: inout HTMLBuffer) {
        out.raw("<div class=\"docs\">")
        for doc in docs {
            out.raw("<div class=\"doc\"><div class=\"doc-head\">")
            if let id = doc.id {
                out.raw("<span class=\"doc-id\">")
                out.text(id)
                out.raw("</span>")
            }
            if let score = doc.score {
                out.raw("<span class=\"doc-score\">score ")
                out.text(Formatting.score(score.double, text: score.text))
                out.raw("</span>")
            }
            out.raw("</div><div class=\"doc-body\">")
            textField(doc.text, markdown: true, into: &out)
            out.raw("</div>")
            if !doc.otherFields.isEmpty {
                out.raw("<div class=\"doc-meta\">")
                json(.object(doc.otherFields), into: &out)
                out.raw("</div>")
            }
            out.raw("</div>")
        }
        out.raw("</div>")
    }
}
