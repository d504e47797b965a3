import TraceModel

/// Locale-free formatting of durations, counts, money and scores, with integer math only, so
/// output never depends on the machine.
package enum Formatting {
    /// `850 µs`, `12.3 ms`, `1.23 s`, `2 m 05 s`, `1 h 02 m`.
    package static func duration(_ nanos: Int64) -> String {
        let n = max(0, nanos)
        if n < 1_000 { return "\(n) ns" }
        if n < 1_000_000 { return "\(n / 1_000) µs" }
        if n < 10_000_000 { return decimal(n / 10_000, places: 2) + " ms" }
        if n < 100_000_000 { return decimal(n / 100_000, places: 1) + " ms" }
        if n < 1_000_000_000 { return "\(n / 1_000_000) ms" }
        if n < 10_000_000_000 { return decimal(n / 10_000_000, places: 2) + " s" }
        if n < 60_000_000_000 { return decimal(n / 100_000_000, places: 1) + " s" }
        let seconds = n / 1_000_000_000
        if seconds < 3600 { return "\(seconds / 60) m " + pad2(seconds % 60) + " s" }
        return "\(seconds / 3600) h " + pad2(seconds / 60 % 60) + " m"
    }

    /// A whole number with thousands separators: `12,345`.
    package static func count(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return v < 0 ? "-" + out : out
    }

    /// US dollars: `$1.23`, `$0.0123`, `$0.000045`.
    package static func cost(_ dollars: Double) -> String {
        guard dollars.isFinite else { return "$?" }
        guard dollars.magnitude < 9e12 else {
            // Past 9e12 dollars the micro-dollar count leaves Int64: whole dollars, or as given.
            guard dollars.magnitude < 9e18 else { return (dollars < 0 ? "-$" : "$") + "\(dollars.magnitude)" }
            return (dollars < 0 ? "-$" : "$") + count(Int64(dollars.magnitude.rounded()))
        }
        let micros = Int64((dollars * 1_000_000).rounded())
        let negative = micros < 0
        let m = micros.magnitude
        let text: String
        if m >= 1_000_000 {
            text = count(Int64((m + 5_000) / 10_000 / 100)) + "." + pad2(Int64((m + 5_000) / 10_000 % 100))
        } else if m >= 10_000 {
            text = decimal(Int64((m + 50) / 100), places: 4)
        } else {
            text = decimal(Int64(m), places: 6)
        }
        return (negative ? "-$" : "$") + text
    }

    /// A score: values in 0…1 with two decimals, others as written.
    package static func score(_ value: Double, text: String) -> String {
        guard value.isFinite, value >= 0, value <= 1 else { return text }
        let hundredths = Int64((value * 100).rounded())
        return decimal(hundredths, places: 2)
    }

    /// The colour class for a score: 0…1 values are good, middling or bad.
    package static func scoreClass(_ value: Double) -> String {
        guard value.isFinite, value >= 0, value <= 1 else { return "s-plain" }
        if value >= 0.8 { return "s-good" }
        if value >= 0.5 { return "s-mid" }
        return "s-bad"
    }

    /// A mean with two decimals; a magnitude of 9e16 or more (where hundredths no longer fit in
    /// `Int64`) is written as Swift writes the `Double`, and a non-finite value as a dash.
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        guard value.magnitude < 9e16 else { return "\(value)" }
        let hundredths = Int64((value * 100).rounded())
        return decimal(hundredths, places: 2)
    }

    /// Micro-dollars for sorting and data attributes, clamped to `Int64` (0 for NaN).
    package static func micros(_ dollars: Double) -> Int64 {
        Int64.clamping(dollars * 1_000_000) ?? 0
    }

    /// `v` divided by 10^places, written with exactly `places` decimals.
    package static func decimal(_ v: Int64, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let whole = v.magnitude / UInt64(scale)
        var frac = String(v.magnitude % UInt64(scale))
        while frac.count < places { frac = "0" + frac }
        return (v < 0 ? "-" : "") + String(whole) + (places > 0 ? "." + frac : "")
    }

    private static func pad2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
