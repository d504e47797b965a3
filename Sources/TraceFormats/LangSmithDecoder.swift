public import TraceJSON
public import TraceModel

/// Reads LangSmith runs: the `{"post": [...], "patch": [...]}` bodies the SDKs send to the
/// batch ingest endpoint (alone, in an array, or one per line), and runs as the read API
/// returns them.
///
/// A run's post (create) and patch (update) are two halves of one span, so both become
/// ``Span/isPartial`` records that assembly merges. Patches from the JS SDK carry no `id`: the
/// run id is then the last `dotted_order` segment's UUID.
public struct LangSmithDecoder: TraceFormatDecoder {
    public let formatName = "LangSmith runs"
    public let formatID = "langsmith"
    public let shapeDescription = "{\"post\": [...], \"patch\": [...]} or runs with dotted_order and run_type"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let o):
            return Self.isBody(o) || Self.isRun(o)
        case .array(let items):
            guard let first = items.first?.objectValue else { return false }
            return Self.isBody(first) || Self.isRun(first)
        default:
            return false
        }
    }

    /// `{"post": [run…], "patch": [run…]}` with at least one run-shaped element.
    private static func isBody(_ o: JSONObject) -> Bool {
        guard o["post"] != nil || o["patch"] != nil else { return false }
        guard o.members.allSatisfy({ ["post", "patch", "pre", "create", "update"].contains($0.key) }) else {
            return false
        }
        let runs = (o["post"]?.arrayValue ?? []) + (o["patch"]?.arrayValue ?? [])
        guard let first = runs.first?.objectValue else { return false }
        return first["dotted_order"] != nil || first["run_type"] != nil || first["trace_id"] != nil
    }

    /// A run: `dotted_order` plus `run_type` (or `trace_id`).
    private static func isRun(_ o: JSONObject) -> Bool {
        o["dotted_order"]?.stringValue != nil && (o["run_type"] != nil || o["trace_id"] != nil)
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            var values: [JSONValue] = []
            if case .array(let items) = record.value { values = items } else { values = [record.value] }
            for value in values {
                guard case .object(let o) = value else {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "expected a run or a {\"post\", \"patch\"} body, found \(value.typeNameWithArticle)"
                        )
                    )
                    continue
                }
                if o["post"] != nil || o["patch"] != nil || o["create"] != nil || o["update"] != nil {
                    for key in ["post", "create", "patch", "update"] {
                        switch o[key] {
                        case nil, .null?: continue
                        case .array(let runs)?:
                            for run in runs { decodeRun(run, part: true, at: location, into: &result) }
                        case let other?:
                            result.diagnostics.append(
                                Diagnostic(
                                    .error, at: location,
                                    "\"\(key)\" must be an array of runs, found \(other.typeNameWithArticle)"
                                )
                            )
                        }
                    }
                } else {
                    decodeRun(value, part: false, at: location, into: &result)
                }
            }
        }
        return result
    }

    private func decodeRun(_ value: JSONValue, part: Bool, at location: SourceLocation, into result: inout DecodedTrace)
    {
        guard case .object(let run) = value else {
            result.diagnostics.append(
                Diagnostic(
                    .error, at: location, "expected a run object, found \(value.typeNameWithArticle)")
            )
            return
        }
        switch span(from: run, part: part, at: location) {
        case .success(var span):
            span.isPartial = part
            result.spans.append(span)
        case .failure(let failure):
            result.diagnostics.append(failure.diagnostic(at: location))
        }
    }

    /// The run fields mapped into span fields; the rest stays in metadata.
    static let mappedFields: Set<String> = [
        "id", "trace_id", "parent_run_id", "dotted_order", "name", "run_type", "start_time", "end_time", "inputs",
        "outputs", "extra", "error", "events", "tags", "prompt_tokens", "completion_tokens", "total_tokens",
        "prompt_cost", "completion_cost", "total_cost", "child_runs", "child_run_ids", "parent_run_ids", "serialized",
        "attachments",
    ]

    private func span(from run: JSONObject, part: Bool, at location: SourceLocation) -> Result<Span, FieldError> {
        let segments = Self.dottedOrderSegments(run["dotted_order"]?.stringValue)
        guard
            let spanID = FieldReader.id(run["id"])
                ?? segments.last.flatMap({ TraceIdentifiers.normalize($0) })
        else {
            return .failure(FieldError("run has neither \"id\" nor \"dotted_order\""))
        }
        guard
            let traceID = FieldReader.id(run["trace_id"])
                ?? segments.first.flatMap({ TraceIdentifiers.normalize($0) })
        else {
            return .failure(FieldError("run \"\(spanID)\" has neither \"trace_id\" nor \"dotted_order\""))
        }
        var parentID: String? = nil
        switch run["parent_run_id"] {
        case .string(let p)?: parentID = TraceIdentifiers.normalize(p)
        case .null?: parentID = nil
        default:
            if segments.count >= 2 { parentID = TraceIdentifiers.normalize(segments[segments.count - 2]) }
        }
        var start: Int64? = nil
        var end: Int64? = nil
        for field in ["start_time", "end_time"] {
            guard let v = run[field], !v.isNull else { continue }
            guard let t = Self.time(v) else {
                return .failure(FieldError("\"\(field)\" is not an ISO 8601 date-time or epoch milliseconds"))
            }
            if field == "start_time" { start = t } else { end = t }
        }
        let runType = run["run_type"]?.stringValue
        let kind: SpanKind
        switch runType {
        case "llm"?: kind = .llm
        case "chain"?, "prompt"?, "parser"?: kind = .task
        case "tool"?: kind = .tool
        case "retriever"?: kind = .retrieval
        case "embedding"?: kind = .embedding
        case nil: kind = .span
        case let other?: kind = SpanKind(name: other)
        }
        var span = Span(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentID,
            // A patch without a name keeps its post's name when merged.
            name: run["name"]?.stringValue ?? (part ? "" : runType ?? "run"),
            kind: kind,
            kindName: kind == .span ? (runType ?? "span") : kind.rawValue,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            source: location,
            sourceFormat: formatName
        )
        let extra = run["extra"]?.objectValue ?? JSONObject()
        let extraMetadata = extra["metadata"]?.objectValue ?? JSONObject()
        // A patch has no run type: a model call's patch is known by its model metadata or output.
        let outputsObject = run["outputs"]?.objectValue ?? JSONObject()
        let isModelCall =
            kind == .llm
            || (runType == nil
                && (extraMetadata["ls_model_type"] != nil || outputsObject["choices"] != nil
                    || outputsObject["generations"] != nil))
        if case .object(let inputs)? = run["inputs"], !inputs.isEmpty {
            span.input =
                isModelCall ? ChatMessages.input(.object(inputs)) : ChatMessages.normalizeLangChain(.object(inputs))
        }
        var usageMetadata: JSONObject? = extraMetadata["usage_metadata"]?.objectValue
        if case .object(let outputs)? = run["outputs"], !outputs.isEmpty {
            if case .object(let u)? = outputs["usage_metadata"] { usageMetadata = u }
            var rest = JSONObject(outputs.members.filter { $0.key != "usage_metadata" })
            if isModelCall {
                if usageMetadata == nil, case .object(let u)? = outputs["usage"] {
                    usageMetadata = u
                    rest = JSONObject(rest.members.filter { $0.key != "usage" })
                }
                let (value, details) = ChatMessages.output(.object(rest))
                span.output = value
                if !details.isEmpty { span.metadata.members.append(("response", .object(details))) }
            } else if kind == .retrieval, let documents = RetrievedDocuments.normalize(.object(rest)) {
                span.output = documents
            } else if !rest.isEmpty {
                span.output = ChatMessages.normalizeLangChain(.object(rest))
            }
        }
        if let usageMetadata { Self.applyUsage(usageMetadata, to: &span) }
        if span.usage.isEmpty {
            func count(_ key: String) -> Int64? { run[key]?.numberValue?.int64 }
            span.usage.inputTokens = count("prompt_tokens")
            span.usage.outputTokens = count("completion_tokens")
            span.usage.totalTokens = count("total_tokens")
        }
        switch run["total_cost"] {
        case .number(let n)?: span.usage.cost = n.double
        case .string(let s)?: span.usage.cost = Double(s)
        default: break
        }
        span.model =
            extraMetadata["ls_model_name"]?.stringValue
            ?? run["inputs"]?["model"]?.stringValue
            ?? extra["invocation_params"]?["model"]?.stringValue
            ?? extra["invocation_params"]?["model_name"]?.stringValue
            ?? run["outputs"]?["model"]?.stringValue
        if case .string(let text)? = run["error"], !text.isEmpty { span.error = Self.error(text) }
        if case .array(let events)? = run["events"] {
            for event in events {
                guard case .object(let e) = event else { continue }
                var spanEvent = SpanEvent(name: e["name"]?.stringValue ?? "event")
                if let t = e["time"], !t.isNull { spanEvent.timeUnixNano = Self.time(t) }
                if case .object(let kwargs)? = e["kwargs"] { spanEvent.attributes = kwargs }
                span.events.append(spanEvent)
            }
        }
        if case .array(let tags)? = run["tags"] { span.labels = tags.compactMap(\.stringValue) }
        for member in extraMetadata.members where member.key != "usage_metadata" && !member.value.isNull {
            span.metadata.members.append(member)
        }
        for member in extra.members where member.key != "metadata" && !ChatMessages.isEmpty(member.value) {
            span.metadata.members.append(member)
        }
        for member in run.members where !Self.mappedFields.contains(member.key) && !ChatMessages.isEmpty(member.value) {
            span.metadata.members.append(member)
        }
        if case .object(let serialized)? = run["serialized"], !serialized.isEmpty {
            span.metadata.members.append(("serialized", .object(serialized)))
        }
        return .success(span)
    }

    /// The run UUIDs of a dotted order, root first: each segment is
    /// `YYYYMMDDTHHMMSSffffffZ<uuid>`.
    static func dottedOrderSegments(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ".").compactMap { segment in
            guard let z = segment.firstIndex(of: "Z") else { return nil }
            let id = segment[segment.index(after: z)...]
            return id.isEmpty ? nil : String(id)
        }
    }

    /// A LangSmith time: ISO 8601 text (an offset is optional; none means UTC) or epoch
    /// milliseconds as a number.
    static func time(_ value: JSONValue) -> Int64? {
        switch value {
        case .string(let text):
            return Timestamp.parseRFC3339(text)
        case .number(let n):
            return epochMilliseconds(n.text)
        default:
            return nil
        }
    }

    /// Nanoseconds for epoch milliseconds written as decimal text (`1728803137170` or
    /// `1728803137170.5`), converted with integer math. Values too small to be milliseconds
    /// since 2001 are read as seconds.
    static func epochMilliseconds(_ text: String) -> Int64? {
        if text.contains(where: { $0 == "e" || $0 == "E" || $0 == "-" }) {
            guard let d = Double(text), d.isFinite, d >= 0, d < 9.2e12 else { return nil }
            return Int64((d * 1e6).rounded())
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]) else { return nil }
        if whole < 100_000_000_000 { return Timestamp.parseUnixSeconds(text) }
        guard whole < 9_200_000_000_000 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            var digits = 0
            for c in parts[1].utf8 {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                if digits < 6 {
                    fraction = fraction * 10 + Int64(c - 0x30)
                    digits += 1
                }
            }
            while digits < 6 {
                fraction *= 10
                digits += 1
            }
        }
        return whole * 1_000_000 + fraction
    }

    /// Tokens from `usage_metadata` (`input_tokens`, …) or an OpenAI `usage` object.
    private static func applyUsage(_ usage: JSONObject, to span: inout Span) {
        func count(_ key: String) -> Int64? {
            guard case .number(let n)? = usage[key], let v = n.int64, v >= 0 else { return nil }
            return v
        }
        span.usage.inputTokens = count("input_tokens") ?? count("prompt_tokens")
        span.usage.outputTokens = count("output_tokens") ?? count("completion_tokens")
        span.usage.totalTokens = count("total_tokens")
        if case .number(let n)? = usage["total_cost"] { span.usage.cost = n.double }
        let mapped: Set<String> = [
            "input_tokens", "output_tokens", "total_tokens", "prompt_tokens", "completion_tokens", "total_cost",
        ]
        let rest = JSONObject(usage.members.filter { !mapped.contains($0.key) && !ChatMessages.isEmpty($0.value) })
        if !rest.isEmpty { span.metadata.members.append(("usage_details", .object(rest))) }
    }

    /// An error from LangSmith's error text, usually a Python or JS traceback whose last line
    /// is `Type: message`.
    static func error(_ text: String) -> SpanError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { String($0).trimmingSpaces() }
            .filter { !$0.isEmpty }
        guard lines.count > 1 else {
            let (type, message) = splitTypePrefix(text.trimmingSpaces())
            return SpanError(type: type, message: message)
        }
        // Python tracebacks end with the exception; JS stacks start with it.
        let isPython = lines[0].hasPrefix("Traceback")
        let line = isPython ? lines[lines.count - 1] : lines[0]
        let (type, message) = splitTypePrefix(line)
        return SpanError(type: type, message: message, stack: text)
    }

    /// `("ValueError", "bad")` for `ValueError: bad` or `ValueError('bad')`, `(nil, text)` when
    /// there is no type prefix.
    private static func splitTypePrefix(_ line: String) -> (String?, String) {
        if let open = line.firstIndex(of: "("), line.hasSuffix(")"), isTypeName(line[..<open]) {
            var inner = line[line.index(after: open)..<line.index(before: line.endIndex)]
            if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                inner = inner.dropFirst().dropLast()
            }
            return (String(line[..<open]), inner.isEmpty ? String(line[..<open]) : String(inner))
        }
        guard let colon = line.firstIndex(of: ":") else { return (nil, line) }
        let type = line[..<colon]
        guard isTypeName(type) else { return (nil, line) }
        let message = String(line[line.index(after: colon)...]).trimmingSpaces()
        return (String(type), message.isEmpty ? String(type) : message)
    }

    /// Whether `text` looks like an exception class name (`ValueError`, `openai.APIError`).
    private static func isTypeName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isUppercase || text.contains(".") else { return false }
        return text.count <= 80 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }
}
