import TraceJSON
import TraceModel

/// Helpers shared by the OTel-shaped decoders and the semantic conventions: reading numbers
/// and JSON text out of attribute values, turning flattened keys
/// (`llm.input_messages.0.message.role`) back into arrays and objects, unwrapping OTLP
/// `AnyValue`s, and normalizing chat messages written in the many shapes instrumentations use.
///
/// Everything here works with explicit stacks, so deeply nested input cannot overflow a
/// thread's stack.
enum OTelAttributes {
    // MARK: - Scalars

    /// A string attribute, or the text of a number or boolean.
    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n.text
        case .bool(let b)?: b ? "true" : "false"
        default: nil
        }
    }

    /// A non-empty string attribute.
    static func text(_ value: JSONValue?) -> String? {
        guard case .string(let s)? = value, !s.isEmpty else { return nil }
        return s
    }

    /// A whole number written as a JSON number or as decimal text (`"42"`, `"42.0"`).
    static func int(_ value: JSONValue?) -> Int64? {
        switch value {
        case .number(let n)?:
            return n.int64
        case .string(let s)?:
            let t = s.trimmingSpaces()
            if let v = Int64(t) { return v }
            if let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
            return nil
        default:
            return nil
        }
    }

    /// A number written as a JSON number or as decimal text.
    static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let n)?:
            let d = n.double
            return d.isNaN ? nil : d
        case .string(let s)?:
            guard let d = Double(s.trimmingSpaces()), d.isFinite else { return nil }
            return d
        default:
            return nil
        }
    }

    /// A score value as written, with its display text.
    static func score(_ value: JSONValue?) -> (value: Double, text: String)? {
        switch value {
        case .number(let n)?:
            let d = n.double
            return d.isNaN ? nil : (d, n.text)
        case .string(let s)?:
            guard let d = Double(s.trimmingSpaces()), d.isFinite else { return nil }
            return (d, s)
        case .bool(let b)?:
            return (b ? 1 : 0, b ? "true" : "false")
        default:
            return nil
        }
    }

    // MARK: - JSON inside strings

    /// The single JSON value `text` holds, or `nil` when it is not exactly one JSON value.
    static func parseJSON(_ text: String) -> JSONValue? {
        let parsed = JSONStreamParser.parse(text)
        guard parsed.errors.isEmpty, parsed.records.count == 1 else { return nil }
        return parsed.records[0].value
    }

    /// `value` with JSON text that holds an object or array parsed; other values as they are.
    static func structured(_ value: JSONValue) -> JSONValue {
        guard case .string(let s) = value, let first = s.utf8.first(where: { !isSpace($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return value }
        return parseJSON(s) ?? value
    }

    /// `value` parsed as JSON when it is a string holding any JSON value (a quoted string, a
    /// number…); other values as they are.
    static func parsedAny(_ value: JSONValue) -> JSONValue {
        guard case .string(let s) = value else { return value }
        return parseJSON(s) ?? value
    }

    /// The value of an `input.value`-style attribute read with its MIME type: JSON text is
    /// parsed when the type says JSON, or when no type is given and the text is an object or array.
    static func valueWithMimeType(_ value: JSONValue, mimeType: String?) -> JSONValue {
        if let mimeType, mimeType.lowercased().contains("json") {
            return parsedAny(value)
        }
        if let mimeType, mimeType.lowercased().hasPrefix("text/") { return value }
        return structured(value)
    }

    /// Text for a tool result or other content value: strings as they are, anything else as a
    /// fenced JSON block, so message content is always Markdown text.
    static func contentText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: return "```json\n" + JSONWriter.write(value, pretty: true) + "\n```"
        }
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    // MARK: - OTLP AnyValue

    /// Plain JSON for an OTLP `AnyValue` (`{"stringValue": …}`, `{"kvlistValue": {"values": […]}}`…),
    /// snake_case keys accepted: ints written as strings become numbers, `"NaN"`/`"Infinity"`
    /// doubles stay strings, bytes stay base64 text, key-value lists become objects, and an empty
    /// `{}` becomes null. A value that is not an `AnyValue` is returned as it is.
    static func plain(_ anyValue: JSONValue) -> JSONValue {
        enum Step {
            case leaf(JSONValue)
            case container(isObject: Bool, children: [(key: String, value: JSONValue)])
        }
        func step(_ v: JSONValue) -> Step {
            guard case .object(let o) = v else { return .leaf(v) }
            if o.isEmpty { return .leaf(.null) }
            if let s = o["stringValue"] ?? o["string_value"] {
                return .leaf(s)
            }
            if let b = o["boolValue"] ?? o["bool_value"] {
                if case .string(let s) = b { return .leaf(.bool(s.lowercased() == "true")) }
                return .leaf(b)
            }
            if let i = o["intValue"] ?? o["int_value"] {
                if case .string(let s) = i, Int64(s) != nil || UInt64(s) != nil {
                    return .leaf(.number(JSONNumber(text: s)))
                }
                return .leaf(i)
            }
            if let d = o["doubleValue"] ?? o["double_value"] {
                if case .string(let s) = d, let parsed = Double(s), parsed.isFinite,
                    s.utf8.allSatisfy({ isNumberByte($0) })
                {
                    return .leaf(.number(JSONNumber(text: s)))
                }
                return .leaf(d)
            }
            if let b = o["bytesValue"] ?? o["bytes_value"] { return .leaf(b) }
            if let a = o["arrayValue"] ?? o["array_value"] {
                let items = a["values"]?.arrayValue ?? []
                return .container(isObject: false, children: items.map { ("", $0) })
            }
            if let kv = o["kvlistValue"] ?? o["kvlist_value"] {
                let items = kv["values"]?.arrayValue ?? []
                return .container(isObject: true, children: items.map { (keyValueKey($0), $0["value"] ?? .null) })
            }
            return .leaf(v)
        }
        struct Frame {
            var isObject: Bool
            var children: [(key: String, value: JSONValue)]
            var next: Int
            var built: [JSONValue]
            func finish() -> JSONValue {
                if isObject {
                    return .object(JSONObject(zip(children, built).map { ($0.key, $1) }))
                }
                return .array(built)
            }
        }
        var stack: [Frame] = []
        var current = anyValue
        while true {
            var produced: JSONValue
            switch step(current) {
            case .leaf(let v):
                produced = v
            case .container(let isObject, let children):
                if children.isEmpty {
                    produced = isObject ? .object(JSONObject()) : .array([])
                } else {
                    stack.append(Frame(isObject: isObject, children: children, next: 1, built: []))
                    current = children[0].value
                    continue
                }
            }
            // Hand the finished value to its parent; finish parents that are complete.
            while true {
                guard var top = stack.popLast() else { return produced }
                top.built.append(produced)
                if top.next < top.children.count {
                    current = top.children[top.next].value
                    top.next += 1
                    stack.append(top)
                    break
                }
                produced = top.finish()
            }
        }
    }

    /// A span's, event's or resource's attributes: an OTLP key-value list or a plain object.
    static func keyValues(_ value: JSONValue?) -> JSONObject {
        switch value {
        case .array(let items)?:
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(items.count)
            for item in items {
                guard case .object = item else { continue }
                members.append((keyValueKey(item), plain(item["value"] ?? .null)))
            }
            return JSONObject(members)
        case .object(let o)?:
            return o
        default:
            return JSONObject()
        }
    }

    private static func keyValueKey(_ item: JSONValue) -> String {
        string(item["key"]) ?? ""
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }
}
