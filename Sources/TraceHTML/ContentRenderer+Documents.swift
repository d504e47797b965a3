import TraceJSON
import TraceModel

/// Retrieved documents: recognised in a value and shown as cards with their id, score, text and other fields.
extension ContentRenderer {
    static func documents(in value: JSONValue, kind: SpanKind) -> [JSONObject]? {
        var items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o):
            guard case .array(let a)? = o["documents"] ?? o["docs"] ?? o["results"] else { return nil }
            items = a
        default: return nil
        }
        guard !items.isEmpty, kind == .retrieval || kind == .memory || kind == .embedding || value["documents"] != nil
        else { return nil }
        var docs: [JSONObject] = []
        for item in items {
            guard case .object(let o) = item else { return nil }
            guard documentText(o) != nil else { return nil }
            docs.append(o)
        }
        return docs
    }

    private static func documentText(_ o: JSONObject) -> String? {
        (o["content"] ?? o["page_content"] ?? o["text"] ?? o["document"])?.stringValue
    }

    mutating func renderDocuments(_ docs: [JSONObject], into out: inout HTMLBuffer) {
        out.raw("<div class=\"docs\">")
        for doc in docs {
            out.raw("<div class=\"doc\"><div class=\"doc-head\">")
            if let id = (doc["id"] ?? doc["document_id"])?.scalarText {
                out.raw("<span class=\"doc-id\">")
                out.text(id)
                out.raw("</span>")
            }
            if let score = (doc["score"] ?? doc["relevance_score"])?.numberValue {
                out.raw("<span class=\"doc-score\">score ")
                out.text(Formatting.score(score.double, text: score.text))
                out.raw("</span>")
            }
            out.raw("</div><div class=\"doc-body\">")
            textField(Self.documentText(doc) ?? "", markdown: true, into: &out)
            out.raw("</div>")
            let rest = JSONObject(
                doc.members.filter {
                    !["id", "document_id", "score", "relevance_score", "content", "page_content", "text", "document"]
                        .contains($0.key)
                })
            if !rest.isEmpty {
                out.raw("<div class=\"doc-meta\">")
                json(.object(rest), into: &out)
                out.raw("</div>")
            }
            out.raw("</div>")
        }
        out.raw("</div>")
    }
}
