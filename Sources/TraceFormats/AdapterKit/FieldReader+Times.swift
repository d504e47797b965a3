import TraceJSON
import TraceModel

/// Time fields: date-time text, Unix seconds, decimal counts of a unit and duration strings, all
/// read into nanoseconds since the epoch with integer math on the text.
extension FieldReader {
    /// A date-time written as text (RFC 3339, with `T` or a space, the offset optional and none
    /// meaning UTC), as nanoseconds since the epoch; `nil` for an absent or `null` value.
    ///
    /// - Parameter standard: How errors name the form the format's documentation uses:
    ///   `ISO 8601` or `RFC 3339`.
    static func dateTime(
        _ value: JSONValue?, field: String, standard: String = "ISO 8601"
    ) throws(FieldError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return try dateTime(s, field: field, standard: standard)
        case let other?: throw FieldError.wrongType(field, expected: "an \(standard) string", found: other)
        }
    }

    /// The date-time `text`, as ``dateTime(_:field:standard:)`` reads it.
    static func dateTime(
        _ text: String, field: String, standard: String = "ISO 8601"
    ) throws(FieldError)
        -> Int64
    {
        guard let t = Timestamp.parseRFC3339(text) else {
            throw FieldError(
                field: field, "is not an \(standard) date-time: \(FieldError.quoted(text))", found: .string(text))
        }
        return t
    }

    /// Unix seconds written as a JSON number (a fraction allowed), as nanoseconds since the epoch.
    static func unixSeconds(_ n: JSONNumber, field: String) throws(FieldError) -> Int64 {
        guard let t = Timestamp.parseUnixSeconds(n.text) else {
            throw FieldError(field: field, "is out of range: \(n.text)", found: .number(n))
        }
        return t
    }

    /// Microseconds written as a JSON number or as decimal text (Zipkin, Jaeger), as
    /// nanoseconds; `nil` for an absent or `null` value, or for text that is not a decimal number.
    static func microseconds(
        _ value: JSONValue?, field: String, expected: String = "a number of microseconds"
    ) throws(FieldError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?: return nanos(decimal: n.text, scale: 3)
        case .string(let s)?: return nanos(decimal: s, scale: 3)
        case let other?: throw FieldError.wrongType(field, expected: expected, found: other)
        }
    }

    /// Nanoseconds for a decimal number `text` in units of `10^scale` nanoseconds (3 for
    /// microseconds, 9 for seconds), with integer math on the text; exponent forms fall back to
    /// `Double`. `nil` for text that is not a number or overflows.
    static func nanos(decimal text: String, scale: Int) -> Int64? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, scale >= 0, scale <= 12 else { return nil }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        if utf8.contains(where: { $0 == 0x65 || $0 == 0x45 }) {
            guard let d = Double(text), d.isFinite else { return nil }
            let v = d * Double(multiplier)
            guard abs(v) < 9.2e18 else { return nil }
            return Int64(v.rounded())
        }
        var i = 0
        var negative = false
        if utf8[0] == 0x2D {
            negative = true
            i = 1
        } else if utf8[0] == 0x2B {
            i = 1
        }
        var whole: Int64 = 0
        var sawDigit = false
        while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
            let (m, o1) = whole.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(utf8[i] - 0x30))
            guard !o1, !o2 else { return nil }
            whole = a
            sawDigit = true
            i += 1
        }
        var fraction: Int64 = 0
        if i < utf8.count, utf8[i] == 0x2E {
            i += 1
            let digits: Int
            (fraction, digits) = Timestamp.fractionDigits(utf8, at: &i, scale: scale)
            if digits > 0 { sawDigit = true }
        }
        guard sawDigit, i == utf8.count else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        let value = scaled + fraction
        return negative ? -value : value
    }

    /// `start` plus a duration (negative durations count as zero); `nil` on overflow.
    static func end(start: Int64, duration: Int64) -> Int64? {
        let (sum, overflow) = start.addingReportingOverflow(max(0, duration))
        return overflow ? nil : sum
    }

    /// Nanoseconds for a protobuf-JSON or Go duration string: `"5000ns"`, `"0.000005s"`,
    /// `"1.5ms"`, `"3us"`; `nil` if the text is not one.
    static func nanos(duration text: String) -> Int64? {
        let units: [(suffix: String, scale: Int)] = [("ns", 0), ("us", 3), ("µs", 3), ("ms", 6), ("s", 9)]
        for unit in units where text.hasSuffix(unit.suffix) {
            return nanos(decimal: String(text.dropLast(unit.suffix.count)), scale: unit.scale)
        }
        return nil
    }
}
