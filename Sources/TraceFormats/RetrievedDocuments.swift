import TraceJSON

/// Normalizes retrieved documents (LangChain `Document`s, `{"documents": [...]}` lists) into
/// `{"documents": [{"id", "content", "score", "metadata"}]}`.
enum RetrievedDocuments {
    /// The normalized documents in `value`, or `nil` when it holds none.
    static func normalize(_ value: JSONValue) -> JSONValue? {
        let items: [JSONValue]
        switch value {
        case .array(let a): items = a
        case .object(let o):
            guard case .array(let a)? = o["documents"] ?? o["output"] else { return nil }
            items = a
        default: return nil
        }
        guard !items.isEmpty else { return nil }
        var documents: [JSONValue] = []
        for item in items {
            guard case .object(var d) = item else { return nil }
            if ChatMessages.langChainClass(d) == "Document", case .object(let k)? = d["kwargs"] { d = k }
            guard let content = d["page_content"] ?? d["pageContent"] ?? d["content"] ?? d["text"] else { return nil }
            let metadata = d["metadata"]?.objectValue ?? JSONObject()
            var doc = JSONObject()
            if let id = d["id"] ?? metadata["id"], !id.isNull { doc.members.append(("id", id)) }
            doc.members.append(("content", content))
            if let score = d["score"] ?? metadata["score"] ?? metadata["relevance_score"], case .number = score {
                doc.members.append(("score", score))
            }
            if !metadata.isEmpty { doc.members.append(("metadata", .object(metadata))) }
            documents.append(.object(doc))
        }
        return .object(JSONObject([("documents", .array(documents))]))
    }
}
