import TraceJSON
import TraceModel

extension OTelSpanMapper {
    /// Applies the OpenInference conventions: `openinference.span.kind` (which takes precedence
    /// over every other kind attribute), `llm.*` models, messages (flattened or nested), tokens
    /// and cost, `input.value`/`output.value` with their MIME types, retrieved and reranked
    /// documents, embeddings, tags, and `evaluation.*` scores.
    static func applyOpenInference(_ record: OTelSpanRecord, _ span: inout Span, _ consumed: inout Set<String>) {
        let a = record.attributes
        if let kindText = OTelAttributes.text(a["openinference.span.kind"]) {
            consumed.insert("openinference.span.kind")
            let kind = openInferenceKind(kindText)
            span.kind = kind
            span.kindName = kind == .span ? kindText.lowercased() : kind.rawValue
        }

        // Model.
        if span.model == nil {
            for key in [
                "llm.model_name", "llm.response.model_name", "llm.request.model_name", "embedding.model_name",
                "reranker.model_name",
            ] {
                if let model = OTelAttributes.text(a[key]) {
                    span.model = model
                    consumed.insert(key)
                    break
                }
            }
        }

        // Generic input and output, read with their MIME types.
        var inputValue: JSONValue? = nil
        if let value = a["input.value"] {
            inputValue = OTelAttributes.valueWithMimeType(value, mimeType: OTelAttributes.text(a["input.mime_type"]))
        }
        var outputValue: JSONValue? = nil
        if let value = a["output.value"] {
            outputValue = OTelAttributes.valueWithMimeType(value, mimeType: OTelAttributes.text(a["output.mime_type"]))
        }

        // Messages.
        // The message trees are read (and consumed) even when another convention already gave
        // the span its messages: they are the same messages in another vocabulary.
        let inputTree = OTelAttributes.tree(a, prefix: "llm.input_messages", consumed: &consumed)
        let outputTree = OTelAttributes.tree(a, prefix: "llm.output_messages", consumed: &consumed)
        if span.input == nil, let tree = inputTree, let list = OTelAttributes.messages(tree, defaultRole: "user") {
            var members: [(key: String, value: JSONValue)] = [("messages", .array(list))]
            if case .object(let o)? = inputValue {
                // The request's other members (model, temperature…) beside the messages.
                members += o.members.filter { $0.key != "messages" }
                consumed.insert("input.value")
                consumed.insert("input.mime_type")
            } else if inputValue != nil {
                consumed.insert("input.value")
                consumed.insert("input.mime_type")
            }
            span.input = .object(JSONObject(members))
        }
        if span.output == nil, let tree = outputTree, let list = OTelAttributes.messages(tree, defaultRole: "assistant")
        {
            span.output = list.count == 1 ? list[0] : .array(list)
            if outputValue != nil {
                consumed.insert("output.value")
                consumed.insert("output.mime_type")
            }
        }
        if span.input == nil, let tree = OTelAttributes.tree(a, prefix: "llm.prompts", consumed: &consumed) {
            let texts = (tree.arrayValue ?? [tree]).compactMap {
                $0["prompt"]?["text"] ?? $0.stringValue.map(JSONValue.string)
            }
            span.input = .object(
                JSONObject([
                    (
                        "messages",
                        .array(texts.map { .object(JSONObject([("role", .string("user")), ("content", $0)])) })
                    )
                ]))
        }
        if span.output == nil, let tree = OTelAttributes.tree(a, prefix: "llm.choices", consumed: &consumed) {
            let texts = (tree.arrayValue ?? [tree]).compactMap {
                $0["completion"]?["text"] ?? $0.stringValue.map(JSONValue.string)
            }
            let list = texts.map { JSONValue.object(JSONObject([("role", .string("assistant")), ("content", $0)])) }
            if !list.isEmpty { span.output = list.count == 1 ? list[0] : .array(list) }
        }

        // Retrieval and reranking.
        if span.output == nil, let tree = OTelAttributes.tree(a, prefix: "retrieval.documents", consumed: &consumed) {
            span.output = .object(JSONObject([("documents", .array(documents(tree)))]))
            if outputValue != nil {
                consumed.insert("output.value")
                consumed.insert("output.mime_type")
            }
        }
        if span.output == nil,
            let tree = OTelAttributes.tree(a, prefix: "reranker.output_documents", consumed: &consumed)
        {
            span.output = .object(JSONObject([("documents", .array(documents(tree)))]))
        }
        if span.input == nil, let tree = OTelAttributes.tree(a, prefix: "reranker.input_documents", consumed: &consumed)
        {
            var members: [(key: String, value: JSONValue)] = []
            if let query = a["reranker.query"] {
                members.append(("query", query))
                consumed.insert("reranker.query")
            }
            members.append(("documents", .array(documents(tree))))
            span.input = .object(JSONObject(members))
        }

        // Embeddings: the texts in, a summary of the vectors out (they are long lists of numbers).
        if let tree = OTelAttributes.tree(a, prefix: "embedding.embeddings", consumed: &consumed) {
            let items = tree.arrayValue ?? [tree]
            let texts = items.compactMap { $0["embedding"]?["text"] }
            if span.input == nil, !texts.isEmpty { span.input = texts.count == 1 ? texts[0] : .array(texts) }
            let vectors = items.compactMap { $0["embedding"]?["vector"]?.arrayValue }
            if span.output == nil, let first = vectors.first {
                span.output = .string(
                    "\(vectors.count) embedding\(vectors.count == 1 ? "" : "s") of \(first.count) dimensions")
            }
        }

        // Generic input and output when nothing more specific was found.
        if span.input == nil, let value = inputValue {
            consumed.insert("input.value")
            consumed.insert("input.mime_type")
            span.input = span.kind == .llm ? (OTelAttributes.chatInput(value) ?? value) : value
        }
        if span.output == nil, let value = outputValue {
            consumed.insert("output.value")
            consumed.insert("output.mime_type")
            span.output = span.kind == .llm ? (OTelAttributes.chatOutput(value) ?? value) : value
        }

        // Tokens and cost.
        fillUsage(
            &span, a, &consumed, input: ["llm.token_count.prompt"], output: ["llm.token_count.completion"],
            total: ["llm.token_count.total"], cost: ["llm.cost.total"]
        )
        if span.usage.cost == nil, let prompt = OTelAttributes.double(a["llm.cost.prompt"]),
            let completion = OTelAttributes.double(a["llm.cost.completion"])
        {
            span.usage.cost = prompt + completion
            consumed.insert("llm.cost.prompt")
            consumed.insert("llm.cost.completion")
        }

        // Tags become labels; JSON text settings become readable objects in the metadata.
        if let tags = a["tag.tags"] {
            let list = (OTelAttributes.structured(tags).arrayValue ?? [tags]).compactMap(OTelAttributes.text)
            if !list.isEmpty {
                consumed.insert("tag.tags")
                for tag in list where !span.labels.contains(tag) { span.labels.append(tag) }
            }
        }
        for key in ["llm.invocation_parameters", "metadata", "tool.parameters", "tool.json_schema"] {
            if let value = a[key], case .string = value {
                let parsed = OTelAttributes.structured(value)
                if case .string = parsed { continue }
                consumed.insert(key)
                span.metadata.members.append((key, parsed))
            }
        }

        // Evaluation scores.
        if let (value, text) = OTelAttributes.score(a["evaluation.score"] ?? a["annotation.score"]) {
            let base = a["evaluation.score"] != nil ? "evaluation" : "annotation"
            let name = OTelAttributes.text(a[base + ".name"]) ?? base
            let label = OTelAttributes.text(a[base + ".label"])
            span.scores.append(Score(name: name, value: value, text: label.map { "\(text) (\($0))" } ?? text))
            for key in ["name", "score", "label"] { consumed.insert(base + "." + key) }
        }
    }

    /// The kind for an `openinference.span.kind`.
    static func openInferenceKind(_ text: String) -> SpanKind {
        switch text.uppercased() {
        case "LLM": .llm
        case "EMBEDDING": .embedding
        case "CHAIN", "PROMPT": .task
        case "RETRIEVER", "RERANKER": .retrieval
        case "TOOL": .tool
        case "AGENT": .agent
        case "GUARDRAIL": .guardrail
        case "EVALUATOR": .eval
        default: .span
        }
    }

    /// Normalized documents from an unflattened `…documents` tree.
    private static func documents(_ tree: JSONValue) -> [JSONValue] {
        (tree.arrayValue ?? [tree]).map(OTelAttributes.document)
    }
}
