import TraceJSON
import TraceModel

/// The spans of one Jaeger JSON value: traces, spans, references, tags and repeated span ids.
extension JaegerDecoder {
    /// The spans of one JSON value, with the duplicate-id bookkeeping that spans of one trace share.
    struct Batch {
        let location: SourceLocation
        let formatName: String
        var spans: [Span] = []
        var diagnostics: [Diagnostic] = []
        var runInfo: [RunInfo] = []
        /// The first record of each (trace id, span id), and how many copies with different fields
        /// were renamed.
        var seen: [String: (value: JSONValue, renamed: Int)] = [:]

        init(location: SourceLocation, formatName: String) {
            self.location = location
            self.formatName = formatName
        }

        mutating func addTrace(_ trace: JSONValue) {
            guard case .object(let o) = trace else {
                diagnostics.append(
                    Diagnostic(
                        .error, at: location,
                        "expected a trace object in \"data\", found \(trace.typeName); trace skipped"))
                return
            }
            var processes: [String: JSONObject] = [:]
            if case .object(let map)? = o["processes"] {
                for member in map.members {
                    if let process = member.value.objectValue { processes[member.key] = process }
                }
            }
            guard case .array(let items)? = o["spans"] else {
                diagnostics.append(Diagnostic(.error, at: location, "trace \"spans\" must be an array; trace skipped"))
                return
            }
            addSpans(items, processes: processes, traceWarnings: o["warnings"])
        }

        mutating func addSpans(_ items: [JSONValue], processes: [String: JSONObject], traceWarnings: JSONValue?) {
            var traceIDs: [String] = []
            for (index, item) in items.enumerated() {
                guard case .object(let o) = item else {
                    diagnostics.append(
                        Diagnostic(
                            .error, at: location,
                            "span \(index) must be an object, found \(item.typeName); span skipped"))
                    continue
                }
                switch span(o, processes: processes, index: index) {
                case .success(var span):
                    let key = span.traceID + "\u{0}" + span.spanID
                    if let first = seen[key] {
                        if first.value != item {
                            let n = first.renamed + 1
                            seen[key] = (first.value, n)
                            let original = span.spanID
                            span.spanID = "\(original)_\(n)"
                            span.metadata.members.append(("jaeger.original_span_id", .string(original)))
                            diagnostics.append(
                                Diagnostic(
                                    .warning,
                                    at: location,
                                    "span \"\(original)\" of trace \"\(span.traceID)\" is recorded twice with different fields; "
                                        + "the second is shown as \"\(span.spanID)\""
                                )
                            )
                        }
                    } else {
                        seen[key] = (item, 0)
                    }
                    if !traceIDs.contains(span.traceID) { traceIDs.append(span.traceID) }
                    spans.append(span)
                case .failure(let rejection):
                    diagnostics.append(
                        rejection.diagnostic(at: location, place: "span \(index): ", outcome: "; span skipped"))
                }
            }
            if case .array(let warnings)? = traceWarnings, !warnings.isEmpty {
                for traceID in traceIDs {
                    runInfo.append(RunInfo(traceID: traceID, metadata: JSONObject([("warnings", .array(warnings))])))
                }
            }
        }

        func span(_ o: JSONObject, processes: [String: JSONObject], index: Int) -> Result<Span, FieldError> {
            let traceID: String
            let spanID: String
            do {
                traceID = try FieldReader.requiredID(
                    FieldReader.first(o, "traceID", "traceId"), field: "traceID", byteCount: 16,
                    expected: "a hex string")
                spanID = try FieldReader.requiredID(
                    FieldReader.first(o, "spanID", "spanId"), field: "spanID", byteCount: 8, expected: "a hex string")
            } catch {
                return .failure(error)
            }

            // Parent: the first CHILD_OF into this trace, else the first FOLLOWS_FROM.
            var references: [JSONValue] = []
            var childOf: String? = nil
            var followsFrom: String? = nil
            var foreign = false
            if case .array(let refs)? = o["references"] {
                for ref in refs {
                    guard case .object(let r) = ref else { continue }
                    let refType = r["refType"]?.stringValue ?? "CHILD_OF"
                    let refTrace = (r["traceID"] ?? r["traceId"])?.stringValue.flatMap {
                        TraceIdentifiers.normalize($0, byteCount: 16)
                    }
                    guard
                        let refSpan = (r["spanID"] ?? r["spanId"])?.stringValue.flatMap({
                            TraceIdentifiers.normalize($0, byteCount: 8)
                        })
                    else {
                        continue
                    }
                    let traceValue: JSONValue = refTrace.map(JSONValue.string) ?? .null
                    references.append(
                        .object(
                            JSONObject([
                                ("refType", .string(refType)), ("traceID", traceValue), ("spanID", .string(refSpan)),
                            ]))
                    )
                    let sameTrace = refTrace == nil || refTrace == traceID
                    if !sameTrace {
                        foreign = true
                        continue
                    }
                    if refType == "FOLLOWS_FROM" {
                        if followsFrom == nil { followsFrom = refSpan }
                    } else if childOf == nil {
                        childOf = refSpan
                    }
                }
            }
            var parentID = childOf ?? followsFrom
            if parentID == nil, let p = o["parentSpanID"]?.stringValue ?? o["parentSpanId"]?.stringValue {
                parentID = TraceIdentifiers.normalize(p, byteCount: 8)
            }
            if parentID == spanID { parentID = nil }

            // Times.
            var start: Int64? = nil
            switch o["startTime"] {
            case .number(let n)?: start = FieldReader.nanos(decimal: n.text, scale: 3)
            case .string(let s)?: start = Timestamp.parseRFC3339(s) ?? FieldReader.nanos(decimal: s, scale: 3)
            case nil, .null?: break
            case let other?:
                return .failure(
                    FieldError.wrongType(
                        "startTime", expected: "a number of microseconds or an RFC 3339 string", found: other))
            }
            var duration: Int64? = nil
            switch o["duration"] {
            case .number(let n)?: duration = FieldReader.nanos(decimal: n.text, scale: 3)
            case .string(let s)?:
                duration = FieldReader.nanos(duration: s) ?? FieldReader.nanos(decimal: s, scale: 3)
            case nil, .null?: break
            case let other?:
                return .failure(
                    FieldError.wrongType(
                        "duration", expected: "a number of microseconds or a duration string", found: other))
            }
            let end = start.flatMap { s in duration.flatMap { FieldReader.end(start: s, duration: $0) } }

            // Tags and the process.
            var attributes = JSONObject()
            if case .array(let tags)? = o["tags"] {
                for tag in tags {
                    if let (key, value) = Self.tag(tag) { attributes.members.append((key, value)) }
                }
            }
            var process = o["process"]?.objectValue
            if process == nil, let pid = o["processID"]?.stringValue ?? o["processId"]?.stringValue {
                process = processes[pid]
            }
            var resource = JSONObject()
            var serviceName: String? = nil
            if let process {
                serviceName = process["serviceName"]?.stringValue
                if let serviceName { resource.members.append(("service.name", .string(serviceName))) }
                if case .array(let tags)? = process["tags"] {
                    for tag in tags {
                        if let (key, value) = Self.tag(tag) { resource.members.append((key, value)) }
                    }
                }
            }

            // Logs become events; an `event=error` log gives the error message.
            var events: [SpanEvent] = []
            var errorLogMessage: String? = nil
            if case .array(let logs)? = o["logs"] {
                for log in logs {
                    guard case .object(let l) = log else { continue }
                    var fields = JSONObject()
                    if case .array(let items)? = l["fields"] {
                        for field in items {
                            if let (key, value) = Self.tag(field) { fields.members.append((key, value)) }
                        }
                    }
                    var time: Int64? = nil
                    switch l["timestamp"] {
                    case .number(let n)?: time = FieldReader.nanos(decimal: n.text, scale: 3)
                    case .string(let s)?: time = Timestamp.parseRFC3339(s) ?? FieldReader.nanos(decimal: s, scale: 3)
                    default: break
                    }
                    let name = fields["event"]?.stringValue ?? "log"
                    if name == "error", errorLogMessage == nil {
                        errorLogMessage =
                            (fields["message"] ?? fields["error.object"] ?? fields["error.message"])?.stringValue
                    }
                    var attributesOfEvent = JSONObject(fields.members.filter { $0.key != "event" })
                    if attributesOfEvent.isEmpty && fields["event"] == nil { attributesOfEvent = fields }
                    events.append(SpanEvent(name: name, timeUnixNano: time, attributes: attributesOfEvent))
                }
            }

            // Status: the `error` tag, or the OTel status tags.
            var statusCode = "UNSET"
            var statusMessage: String? = nil
            var kind = "INTERNAL"
            var kept = JSONObject()
            for member in attributes.members {
                switch member.key {
                case "span.kind":
                    if let k = member.value.stringValue, !k.isEmpty { kind = k.uppercased() }
                case "error":
                    if Self.isTrue(member.value) {
                        statusCode = "ERROR"
                    } else if !Self.isFalse(member.value) {
                        kept.members.append(member)
                    }
                case "otel.status_code":
                    if let code = member.value.stringValue?.uppercased() {
                        if code == "ERROR" {
                            statusCode = "ERROR"
                        } else if code == "OK", statusCode != "ERROR" {
                            statusCode = "OK"
                        }
                    }
                case "otel.status_description":
                    statusMessage = member.value.stringValue
                default:
                    kept.members.append(member)
                }
            }
            if statusCode == "ERROR", statusMessage == nil { statusMessage = errorLogMessage }

            let record = OTelSpanRecord(
                traceID: traceID,
                spanID: spanID,
                parentSpanID: parentID,
                name: o["operationName"]?.stringValue ?? "",
                kind: kind,
                startTimeUnixNano: start,
                endTimeUnixNano: end,
                statusCode: statusCode,
                statusMessage: statusMessage,
                attributes: kept,
                events: events,
                links: references,
                resource: resource,
                scopeName: (kept["otel.scope.name"] ?? kept["otel.library.name"])?.stringValue,
                source: location,
                formatName: formatName
            )
            var span = OTelSpanMapper.span(from: record)
            if let serviceName { span.metadata.members.append(("service.name", .string(serviceName))) }
            let processTags = JSONObject(resource.members.filter { $0.key != "service.name" })
            if !processTags.isEmpty { span.metadata.members.append(("process.tags", .object(processTags))) }
            if foreign || references.count > 1 { span.metadata.members.append(("references", .array(references))) }
            if case .array(let warnings)? = o["warnings"], !warnings.isEmpty {
                span.metadata.members.append(("warnings", .array(warnings)))
            }
            if let flags = o["flags"], !flags.isNull { span.metadata.members.append(("flags", flags)) }
            return .success(span)
        }

        /// A key and plain JSON value for a Jaeger key-value: `{key, type, value}` (JSON model) or
        /// `{key, vType, vStr|vBool|vInt64|vFloat64|vBinary}` (api_v2). int64 values written as
        /// strings keep their exact digits; bools written as `"true"` become booleans.
        static func tag(_ value: JSONValue) -> (String, JSONValue)? {
            guard case .object(let t) = value, let key = t["key"]?.stringValue else { return nil }
            if let v = t["value"] {
                switch t["type"]?.stringValue?.lowercased() {
                case "bool"?:
                    if case .string(let s) = v {
                        if s.lowercased() == "true" { return (key, .bool(true)) }
                        if s.lowercased() == "false" { return (key, .bool(false)) }
                    }
                    return (key, v)
                case "int64"?, "float64"?:
                    if case .string(let s) = v, FieldReader.nanos(decimal: s, scale: 0) != nil || Double(s) != nil {
                        return (key, .number(JSONNumber(text: s)))
                    }
                    return (key, v)
                default:
                    return (key, v)
                }
            }
            if let s = t["vStr"] { return (key, s) }
            if let b = t["vBool"] {
                if case .string(let s) = b { return (key, .bool(s.lowercased() == "true")) }
                return (key, b)
            }
            for field in ["vInt64", "vFloat64"] {
                if let n = t[field] {
                    if case .string(let s) = n, Double(s) != nil { return (key, .number(JSONNumber(text: s))) }
                    return (key, n)
                }
            }
            if let b = t["vBinary"] { return (key, b) }
            // A proto3 default: a STRING tag with an empty value omits vStr.
            switch t["vType"]?.stringValue {
            case nil, "STRING"?: return (key, .string(""))
            case "BOOL"?: return (key, .bool(false))
            case "INT64"?, "FLOAT64"?: return (key, .number(JSONNumber(0)))
            default: return (key, .string(""))
            }
        }

        static func isTrue(_ value: JSONValue) -> Bool {
            switch value {
            case .bool(let b): b
            case .string(let s): s.lowercased() == "true"
            default: false
            }
        }

        static func isFalse(_ value: JSONValue) -> Bool {
            switch value {
            case .bool(let b): !b
            case .string(let s): s.lowercased() == "false"
            default: false
            }
        }
    }
}
