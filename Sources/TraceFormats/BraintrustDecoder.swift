public import TraceJSON
public import TraceModel

/// Reads Braintrust span rows: arrays or lines of rows, `{"api_version": 2, "rows": [...]}`
/// log batches, `{"events": [...]}` fetch results, and captured HTTP requests whose `jsonBody`
/// holds a batch.
///
/// A row's `span_id` is the span, `root_span_id` the run and `span_parents[0]` the parent.
/// Rows with `_is_merge: true` update an earlier row with the same `id`: within one batch of
/// records they are deep-merged here; a row whose other parts may be elsewhere becomes a
/// ``Span/isPartial`` span that assembly merges.
public struct BraintrustDecoder: TraceFormatDecoder {
    public let formatName = "Braintrust rows"
    public let formatID = "braintrust"
    public let shapeDescription = "rows with span_id and root_span_id, or {\"api_version\": 2, \"rows\": [...]}"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            if Self.isRow(o) { return true }
            for key in ["rows", "events"] {
                if case .array(let rows)? = o[key], let first = rows.first?.objectValue { return Self.isRow(first) }
            }
            return false
        case .array(let items):
            guard let first = items.first?.objectValue else { return false }
            if Self.isRow(first) { return true }
            // Captured HTTP requests: some request's JSON body is a row batch.
            guard first["jsonBody"] != nil || first["rawBody"] != nil else { return false }
            return items.contains { item in
                guard case .array(let rows)? = item["jsonBody"]?["rows"], let row = rows.first?.objectValue else {
                    return false
                }
                return Self.isRow(row)
            }
        default:
            return false
        }
    }

    /// A span row: `span_id` and `root_span_id`.
    static func isRow(_ o: JSONObject) -> Bool {
        o["span_id"]?.stringValue != nil && o["root_span_id"]?.stringValue != nil
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        // Rows in read order, with the line of the record they came from.
        var rows: [(row: JSONObject, line: Int)] = []
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            switch record.value {
            case .object(let o):
                if let batch = Self.batchRows(o) {
                    rows.append(contentsOf: batch.map { ($0, record.line) })
                } else if Self.isRow(o) || o["_is_merge"] != nil || o["span_id"] != nil {
                    rows.append((o, record.line))
                } else {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "expected a span row with \"span_id\" and \"root_span_id\" or a row batch"))
                }
            case .array(let items):
                for item in items {
                    guard case .object(let o) = item else {
                        result.diagnostics.append(
                            Diagnostic(
                                .error, at: location,
                                "expected a span row, found \(item.typeNameWithArticle)")
                        )
                        continue
                    }
                    if o["jsonBody"] != nil || o["rawBody"] != nil {
                        // A captured request: only bodies that are row batches hold spans.
                        if case .object(let body)? = o["jsonBody"], let batch = Self.batchRows(body) {
                            rows.append(contentsOf: batch.map { ($0, record.line) })
                        }
                    } else if let batch = Self.batchRows(o) {
                        rows.append(contentsOf: batch.map { ($0, record.line) })
                    } else {
                        rows.append((o, record.line))
                    }
                }
            default:
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected a span row or a row batch, found \(record.value.typeNameWithArticle)"
                    )
                )
            }
        }
        for group in Self.mergeRows(rows) {
            let location = SourceLocation(file: file, line: group.line)
            switch span(from: group.row, mergeOnly: group.mergeOnly, at: location) {
            case .success(var span):
                span.isPartial = group.partial
                result.spans.append(span)
            case .failure(let failure):
                result.diagnostics.append(failure.diagnostic(at: location))
            }
        }
        return result
    }

    /// The rows of `{"rows": [...]}` or `{"events": [...]}`, or `nil` for other objects.
    private static func batchRows(_ o: JSONObject) -> [JSONObject]? {
        guard !isRow(o) else { return nil }
        for key in ["rows", "events"] {
            if case .array(let items)? = o[key] { return items.compactMap(\.objectValue) }
        }
        return nil
    }

    // MARK: - Merging

    /// One span's rows merged: the merged row, the line of its first row, whether the first
    /// row seen was itself a merge row, and whether more parts may exist elsewhere.
    struct MergedRow {
        var row: JSONObject
        var line: Int
        var mergeOnly: Bool
        var partial: Bool
    }

    /// Applies Braintrust's merge semantics to rows of one batch: a `_is_merge: true` row
    /// deep-merges into the earlier row with the same key; a full row with the same key replaces it.
    static func mergeRows(_ rows: [(row: JSONObject, line: Int)]) -> [MergedRow] {
        var merged: [MergedRow] = []
        var index: [String: Int] = [:]
        for (row, line) in rows {
            let isMerge = row["_is_merge"] == .bool(true)
            let hasMergeFlag = row["_is_merge"] != nil
            guard let key = mergeKey(row) else {
                merged.append(MergedRow(row: row, line: line, mergeOnly: isMerge, partial: hasMergeFlag))
                continue
            }
            if let i = index[key] {
                if isMerge {
                    merged[i].row = mergeRow(merged[i].row, with: row)
                } else {
                    merged[i].row = row
                    merged[i].mergeOnly = false
                }
                merged[i].partial = merged[i].partial || hasMergeFlag
            } else {
                index[key] = merged.count
                merged.append(MergedRow(row: row, line: line, mergeOnly: isMerge, partial: hasMergeFlag))
            }
        }
        return merged
    }

    /// The row's merge key: its `id` within its object (project logs, experiment, dataset…).
    private static func mergeKey(_ row: JSONObject) -> String? {
        guard let id = row["id"]?.stringValue else { return nil }
        var key = id
        for field in ["org_id", "project_id", "experiment_id", "dataset_id", "prompt_session_id", "log_id"] {
            key += "\u{1}" + (row[field]?.stringValue ?? "")
        }
        return key
    }

    /// `base` updated by the merge row `update`: objects merge deeply, other values from the
    /// update win, `tags` are united, and the identity fields keep their first values.
    static func mergeRow(_ base: JSONObject, with update: JSONObject) -> JSONObject {
        let keepFirst: Set<String> = [
            "created", "span_id", "root_span_id", "span_parents", "_parent_id", "_is_merge", "id",
        ]
        var result = base
        for member in update.members {
            if keepFirst.contains(member.key), let existing = result[member.key], !existing.isNull { continue }
            if member.key == "tags", case .array(let old)? = result["tags"], case .array(let new) = member.value {
                var union = old
                for tag in new where !union.contains(tag) { union.append(tag) }
                set(&result, "tags", .array(union))
                continue
            }
            set(&result, member.key, deepMerge(result[member.key], member.value, depth: 0))
        }
        return result
    }

    /// Deep merge of two values, bounded to a fixed depth (deeper objects are replaced whole).
    private static func deepMerge(_ base: JSONValue?, _ update: JSONValue, depth: Int) -> JSONValue {
        guard depth < 32, case .object(var old)? = base, case .object(let new) = update else { return update }
        for member in new.members {
            set(&old, member.key, deepMerge(old[member.key], member.value, depth: depth + 1))
        }
        return .object(old)
    }

    private static func set(_ object: inout JSONObject, _ key: String, _ value: JSONValue) {
        if let i = object.members.lastIndex(where: { $0.key == key }) {
            object.members[i].value = value
        } else {
            object.members.append((key, value))
        }
    }

    // MARK: - Mapping

    /// The row fields mapped into span fields (or dropped as bookkeeping); the rest stays in
    /// metadata.
    static let mappedFields: Set<String> = [
        "id", "span_id", "root_span_id", "span_parents", "_is_merge", "_xact_id", "_pagination_key", "_object_delete",
        "_merge_paths", "_array_delete", "metrics", "scores", "tags", "error", "input", "output", "metadata",
        "span_attributes", "is_root",
    ]

    private func span(from row: JSONObject, mergeOnly: Bool, at location: SourceLocation) -> Result<Span, FieldError> {
        guard let spanID = FieldReader.id(row["span_id"] ?? row["id"]) else {
            return .failure(FieldError("row has no \"span_id\""))
        }
        var parentID: String? = nil
        switch row["span_parents"] {
        case .array(let parents)?:
            parentID = FieldReader.id(parents.first)
        case .string(let p)?:
            parentID = TraceIdentifiers.normalize(p)
        default:
            break
        }
        let traceID: String
        if let root = FieldReader.id(row["root_span_id"]) {
            traceID = root
        } else if parentID == nil && !mergeOnly {
            traceID = spanID
        } else {
            return .failure(FieldError("row \"\(spanID)\" has no \"root_span_id\""))
        }
        let attributes = row["span_attributes"]?.objectValue ?? JSONObject()
        let type = attributes["type"]?.stringValue
        let kind: SpanKind
        switch type {
        case "llm"?: kind = .llm
        case "score"?, "eval"?, "facet"?, "classifier"?, "review"?: kind = .eval
        case "function"?, "tool"?: kind = .tool
        case "task"?, "automation"?, "preprocessor"?: kind = .task
        case nil: kind = .span
        case let other?: kind = SpanKind(name: other)
        }
        var span = Span(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            // A merge row without a name keeps its first row's name when merged.
            name: attributes["name"]?.stringValue ?? (mergeOnly ? "" : "span"),
            kind: kind,
            kindName: kind == .span ? (type ?? "span") : kind.rawValue,
            source: location,
            sourceFormat: formatName
        )
        let metrics = row["metrics"]?.objectValue ?? JSONObject()
        span.startTimeUnixNano = Self.seconds(metrics["start"])
        span.endTimeUnixNano = Self.seconds(metrics["end"])
        func count(_ key: String) -> Int64? {
            guard case .number(let n)? = metrics[key], let v = n.int64, v >= 0 else { return nil }
            return v
        }
        span.usage.inputTokens = count("prompt_tokens")
        span.usage.outputTokens = count("completion_tokens")
        span.usage.totalTokens = count("tokens") ?? count("total_tokens")
        if case .number(let n)? = metrics["estimated_cost"] { span.usage.cost = n.double }

        if let input = row["input"], !input.isNull {
            span.input = kind == .llm ? ChatMessages.input(input) : ChatMessages.normalizeLangChain(input)
        }
        if let output = row["output"], !output.isNull {
            if kind == .llm {
                let (value, details) = ChatMessages.output(output)
                span.output = value
                if !details.isEmpty { span.metadata.members.append(("response", .object(details))) }
            } else {
                span.output = ChatMessages.normalizeLangChain(output)
            }
        }

        let metadata = row["metadata"]?.objectValue ?? JSONObject()
        span.model =
            metadata["model"]?.stringValue
            ?? metadata["invocation_params"]?["model"]?.stringValue
            ?? metadata["metadata"]?["ls_model_name"]?.stringValue
        for member in metadata.members
        where !(member.key == "model" && span.model != nil) && !ChatMessages.isEmpty(member.value) {
            span.metadata.members.append(member)
        }
        if case .object(let scores)? = row["scores"] {
            for member in scores.members {
                switch member.value {
                case .number(let n): span.scores.append(Score(name: member.key, value: n.double, text: n.text))
                case .bool(let b): span.scores.append(Score(name: member.key, value: b ? 1 : 0, text: b ? "1" : "0"))
                default: continue
                }
            }
        }
        if case .array(let tags)? = row["tags"] { span.labels = tags.compactMap(\.stringValue) }
        span.error = Self.error(row["error"])
        let otherMetrics = JSONObject(
            metrics.members.filter { member in
                guard case .number = member.value else { return false }
                return ![
                    "start", "end", "prompt_tokens", "completion_tokens", "tokens", "total_tokens", "estimated_cost",
                ].contains(member.key)
            }
        )
        if !otherMetrics.isEmpty { span.metadata.members.append(("metrics", .object(otherMetrics))) }
        for member in attributes.members
        where !["name", "type", "exec_counter"].contains(member.key) && !member.value.isNull {
            span.metadata.members.append(member)
        }
        for member in row.members where !Self.mappedFields.contains(member.key) && !ChatMessages.isEmpty(member.value) {
            if span.metadata[member.key] == nil { span.metadata.members.append(member) }
        }
        return .success(span)
    }

    /// Nanoseconds for Unix seconds; placeholders, zeros and other non-numbers are absent.
    static func seconds(_ value: JSONValue?) -> Int64? {
        guard case .number(let n)? = value, let t = Timestamp.parseUnixSeconds(n.text), t > 0 else { return nil }
        return t
    }

    /// The row's error: a string, or an object with a message.
    static func error(_ value: JSONValue?) -> SpanError? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            guard !text.isEmpty else { return nil }
            let lines = text.split(separator: "\n")
            guard let first = lines.first, lines.count > 1 else { return SpanError(message: text) }
            // JS errors: the message first, then `TypeError: message` and the stack.
            var type: String? = nil
            for line in lines.prefix(4) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon]
                if let f = name.first, f.isUppercase, name.hasSuffix("Error") || name.hasSuffix("Exception"),
                    name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
                {
                    type = String(name)
                    break
                }
            }
            var message = String(first)
            if let type, message.hasPrefix(type + ": ") { message.removeFirst(type.count + 2) }
            return SpanError(type: type, message: message, stack: text)
        case .object(let o)?:
            let type = (o["name"] ?? o["type"])?.stringValue
            let message = o["message"]?.stringValue ?? type ?? "error"
            return SpanError(type: type, message: message, stack: o["stack"]?.stringValue)
        case .bool(false)?:
            return nil
        case let other?:
            return SpanError(message: other.stringValue ?? other.numberValue?.text ?? "error")
        }
    }
}
