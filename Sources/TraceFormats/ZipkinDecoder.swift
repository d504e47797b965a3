public import TraceJSON
public import TraceModel

/// Reads Zipkin v2 JSON: an array of spans (or one span object) with `traceId`, `id`,
/// `parentId`, `kind`, microsecond `timestamp` and `duration`, endpoints, string `tags` and
/// `annotations`.
///
/// Every record of one (trace id, span id) is a fragment of one span: an RPC's server half
/// reuses the client's id, and some collectors also write a kind-less fragment. The fragments
/// in one JSON value become one span, as Zipkin's UI shows them: the client half's name and
/// times win, each half's endpoints, times and tags stay in the span's metadata under its
/// side (`client`, `server`, `local`, `producer`, `consumer`; a second half of one side is
/// `server 2`…), and the annotations of all halves become the span's events. Such spans are
/// marked partial, so fragments in other values or files merge with them silently.
///
/// A span with an `error` tag (any value) ends with that error. Times are kept as recorded;
/// assembly marks children that fall outside their parent (clock skew between hosts).
public struct ZipkinDecoder: TraceFormatDecoder {
    public let formatName = "Zipkin v2 JSON"
    public let formatID = "zipkin"
    public let shapeDescription = "an array of spans with traceId, id and a microsecond timestamp"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items):
            guard let first = items.first else { return false }
            return Self.isSpan(first)
        case .object:
            return Self.isSpan(value)
        default:
            return false
        }
    }

    /// A Zipkin v2 span: `traceId` and `id` strings plus an endpoint, a numeric timestamp,
    /// annotations or a Zipkin kind.
    static func isSpan(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value, o["traceId"]?.stringValue != nil, o["id"]?.stringValue != nil else {
            return false
        }
        if o["localEndpoint"]?.objectValue != nil || o["remoteEndpoint"]?.objectValue != nil { return true }
        if case .number? = o["timestamp"] { return true }
        if o["annotations"]?.arrayValue != nil { return true }
        if let kind = o["kind"]?.stringValue, ["CLIENT", "SERVER", "PRODUCER", "CONSUMER"].contains(kind) {
            return true
        }
        return false
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            let items: [JSONValue]
            switch record.value {
            case .array(let a): items = a
            case .object: items = [record.value]
            default:
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected an array of Zipkin spans, found \(record.value.typeName); record skipped")
                )
                continue
            }
            // Group the fragments of each (trace id, span id), in first-seen order.
            var groupIndex: [String: Int] = [:]
            var groups: [[Fragment]] = []
            for (index, item) in items.enumerated() {
                switch Self.fragment(item, index: index) {
                case .success(let fragment):
                    let key = fragment.traceID + "\u{0}" + fragment.spanID
                    if let g = groupIndex[key] {
                        groups[g].append(fragment)
                    } else {
                        groupIndex[key] = groups.count
                        groups.append([fragment])
                    }
                case .failure(let failure):
                    result.diagnostics.append(
                        failure.diagnostic(at: location, place: "span \(index): ", outcome: "; span skipped"))
                }
            }
            for group in groups {
                result.spans.append(span(group, at: location))
            }
        }
        return result
    }

    /// One record of a span, checked and with normalized ids.
    struct Fragment {
        var traceID: String
        var spanID: String
        var parentID: String?
        var object: JSONObject
        var kind: String?
        var start: Int64?
        var duration: Int64?
    }

    static func fragment(_ item: JSONValue, index: Int) -> Result<Fragment, FieldError> {
        guard case .object(let o) = item else {
            return .failure(FieldError.notAnObject("a span object", found: item))
        }
        let traceID: String
        let spanID: String
        do {
            traceID = try FieldReader.requiredID(o["traceId"], field: "traceId", expected: "a hex string")
            spanID = try FieldReader.requiredID(o["id"], field: "id", byteCount: 8, expected: "a hex string")
        } catch {
            return .failure(error)
        }
        var parentID = FieldReader.id(o["parentId"], byteCount: 8)
        if parentID == spanID { parentID = nil }
        let start: Int64?
        let duration: Int64?
        do {
            start = try FieldReader.microseconds(o["timestamp"], field: "timestamp")
            duration = try FieldReader.microseconds(o["duration"], field: "duration")
        } catch {
            return .failure(error)
        }
        let kind = o["kind"]?.stringValue.map { $0.uppercased() }
        return .success(
            Fragment(
                traceID: traceID, spanID: spanID, parentID: parentID, object: o, kind: kind, start: start,
                duration: duration))
    }

    /// The span for the fragments of one id.
    func span(_ fragments: [Fragment], at location: SourceLocation) -> Span {
        // The client half leads: its name and times are the RPC's as the caller saw it.
        let primaryIndex = fragments.firstIndex { $0.kind == "CLIENT" } ?? fragments.firstIndex { $0.start != nil } ?? 0
        let primary = fragments[primaryIndex]
        let ordered = [primary] + fragments.indices.filter { $0 != primaryIndex }.map { fragments[$0] }
        let name =
            ([primary] + fragments).lazy.compactMap { $0.object["name"]?.stringValue }.first { !$0.isEmpty }
            ?? "unknown"
        let parentID = primary.parentID ?? fragments.lazy.compactMap(\.parentID).first
        var start = primary.start
        var end = primary.start.flatMap { s in primary.duration.flatMap { FieldReader.end(start: s, duration: $0) } }
        if start == nil { start = fragments.compactMap(\.start).min() }
        if end == nil {
            end = fragments.compactMap { f in
                f.start.flatMap { s in f.duration.flatMap { FieldReader.end(start: s, duration: $0) } }
            }.max()
        }
        var kinds: [String] = []
        for f in ordered {
            if let k = f.kind?.lowercased(), !kinds.contains(k) { kinds.append(k) }
        }
        let kindName = kinds.isEmpty ? "local" : kinds.joined(separator: "+")

        var metadata = JSONObject()
        var events: [SpanEvent] = []
        var error: SpanError? = nil
        let merged = fragments.count > 1
        var sideCounts: [String: Int] = [:]
        for f in ordered {
            let o = f.object
            var side = f.kind?.lowercased() ?? "local"
            let count = (sideCounts[side] ?? 0) + 1
            sideCounts[side] = count
            if count > 1 { side += " \(count)" }
            var tags = JSONObject()
            if case .object(let t)? = o["tags"] {
                tags = t
                if error == nil, let e = t["error"] {
                    let message = e.stringValue ?? ""
                    error = SpanError(message: message.isEmpty ? "error" : message)
                }
            }
            if case .array(let annotations)? = o["annotations"] {
                for annotation in annotations {
                    guard case .object(let a) = annotation else { continue }
                    let time = a["timestamp"]?.numberValue.flatMap { FieldReader.nanos(decimal: $0.text, scale: 3) }
                    var attributes = JSONObject()
                    if merged { attributes.members.append(("side", .string(side))) }
                    if let service = o["localEndpoint"]?["serviceName"]?.stringValue {
                        attributes.members.append(("serviceName", .string(service)))
                    }
                    events.append(
                        SpanEvent(
                            name: a["value"]?.stringValue ?? "annotation", timeUnixNano: time, attributes: attributes))
                }
            }
            if merged {
                var half = JSONObject()
                for key in [
                    "name", "kind", "timestamp", "duration", "localEndpoint", "remoteEndpoint", "tags", "shared",
                    "debug",
                ] {
                    if let v = o[key], !v.isNull { half.members.append((key, v)) }
                }
                metadata.members.append((side, .object(half)))
            } else {
                metadata.members.append(contentsOf: tags.members)
                for key in ["localEndpoint", "remoteEndpoint", "shared", "debug"] {
                    if let v = o[key], !v.isNull { metadata.members.append((key, v)) }
                }
            }
        }
        events.sort { ($0.timeUnixNano ?? Int64.max) < ($1.timeUnixNano ?? Int64.max) }
        var span = Span(
            traceID: primary.traceID,
            spanID: primary.spanID,
            parentSpanID: parentID,
            name: name,
            kind: .span,
            kindName: kindName,
            startTimeUnixNano: start,
            endTimeUnixNano: end,
            error: error,
            metadata: metadata,
            events: events,
            source: location,
            sourceFormat: formatName
        )
        span.isPartial =
            merged
            || fragments.contains { $0.kind == "CLIENT" || $0.kind == "SERVER" || $0.object["shared"] == .bool(true) }
        return span
    }
}
