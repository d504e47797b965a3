import TraceJSON

/// JSON written inside string attributes.
enum OTelEmbeddedJSON {
    /// The value of `text` when it is one JSON value: an object or array, or (with `scalars`)
    /// also a string, number, boolean or null. `nil` when it is not JSON.
    static func parse(_ text: String, scalars: Bool) -> JSONValue? {
        var first: UInt8? = nil
        for c in text.utf8 where c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 {
            first = c
            break
        }
        guard let first else { return nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let result = JSONStreamParser.parse(text)
            guard result.errors.isEmpty, result.records.count == 1 else { return nil }
            return result.records[0].value
        }
        guard scalars else { return nil }
        let result = JSONStreamParser.parse("[" + text + "]")
        guard result.errors.isEmpty, result.records.count == 1, case .array(let items) = result.records[0].value,
            items.count == 1
        else {
            return nil
        }
        return items[0]
    }
}
