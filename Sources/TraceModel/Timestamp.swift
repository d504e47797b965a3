/// Parsing of the two time forms traces use: RFC 3339 text and Unix seconds.
///
/// All arithmetic is on integers, so the same text always gives the same nanoseconds.
package enum Timestamp {
    /// Nanoseconds since the Unix epoch for an RFC 3339 date-time such as
    /// `2025-06-01T12:00:00.123456Z` or `2025-06-01 12:00:00+02:00`; `nil` if the text is not one.
    ///
    /// A missing offset is read as UTC.
    package static func parseRFC3339(_ text: String) -> Int64? {
        var utf8 = Array(text.utf8)
        while let last = utf8.last, last == 0x20 { utf8.removeLast() }
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= utf8.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = utf8[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < utf8.count, utf8[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else {
            return nil
        }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nanos: Int64 = 0
        var offsetSeconds: Int64 = 0
        if i < utf8.count {
            guard utf8[i] == 0x54 || utf8[i] == 0x74 || utf8[i] == 0x20 else { return nil }
            i += 1
            guard let h = digits(2), expect(0x3A), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if expect(0x3A) {
                guard let s = digits(2) else { return nil }
                second = s
                if i < utf8.count, utf8[i] == 0x2E || utf8[i] == 0x2C {
                    i += 1
                    let (fraction, count) = fractionDigits(utf8, at: &i, scale: 9)
                    guard count > 0 else { return nil }
                    nanos = fraction
                }
            }
            guard hour < 24, minute < 60, second <= 60 else { return nil }
            if i < utf8.count {
                let c = utf8[i]
                if c == 0x5A || c == 0x7A {
                    i += 1
                } else if c == 0x2B || c == 0x2D {
                    i += 1
                    guard let oh = digits(2), oh <= 23 else { return nil }
                    _ = expect(0x3A)
                    let om = digits(2) ?? 0
                    guard om <= 59 else { return nil }
                    offsetSeconds = (oh * 3600 + om * 60) * (c == 0x2D ? -1 : 1)
                } else {
                    return nil
                }
            }
        }
        guard i == utf8.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        return ns + nanos
    }

    /// Nanoseconds since the Unix epoch for Unix seconds written as a JSON number (`1717243200.25`).
    ///
    /// The decimal text is converted exactly; exponent forms fall back to `Double`.
    package static func parseUnixSeconds(_ text: String) -> Int64? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        if utf8.contains(where: { $0 == 0x65 || $0 == 0x45 }) {
            guard let d = Double(text), d.isFinite, abs(d) < 9.2e9 else { return nil }
            return Int64((d * 1e9).rounded())
        }
        var i = 0
        var negative = false
        if utf8[0] == 0x2D {
            negative = true
            i = 1
        }
        var whole: Int64 = 0
        var sawDigit = false
        while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
            whole = whole * 10 + Int64(utf8[i] - 0x30)
            sawDigit = true
            guard whole < 9_200_000_000 else { return nil }
            i += 1
        }
        var nanos: Int64 = 0
        if i < utf8.count, utf8[i] == 0x2E {
            i += 1
            nanos = fractionDigits(utf8, at: &i, scale: 9).value
        }
        guard sawDigit, i == utf8.count else { return nil }
        let value = whole * 1_000_000_000 + nanos
        return negative ? -value : value
    }

    /// Reads the digits from `i` on as the part of a number after its decimal point, in units of
    /// `10^-scale` (digits past `scale` are read and dropped), and moves `i` past them.
    ///
    /// - Returns: The value and how many digits were read.
    package static func fractionDigits(_ utf8: [UInt8], at i: inout Int, scale: Int) -> (value: Int64, count: Int) {
        var value: Int64 = 0
        var count = 0
        while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
            if count < scale { value = value * 10 + Int64(utf8[i] - 0x30) }
            count += 1
            i += 1
        }
        if count < scale { for _ in count..<scale { value *= 10 } }
        return (value, count)
    }

    /// The number of days in `month` of `year` (proleptic Gregorian).
    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date for days since 1970-01-01.
    static func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// UTC text for nanoseconds since the epoch: `2025-06-01 12:00:00.123Z` (milliseconds shown).
    package static func formatUTC(_ nanos: Int64) -> String {
        var seconds = nanos / 1_000_000_000
        var rem = nanos % 1_000_000_000
        if rem < 0 {
            rem += 1_000_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 {
            secOfDay += 86_400
            days -= 1
        }
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let ms = rem / 1_000_000
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2)).\(pad(ms, 3))Z"
    }
}
