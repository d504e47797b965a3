/// A condition a CI build requires of an eval report. The report is always written in full; a
/// failed gate only changes the exit status.
public enum Gate: Sendable, Equatable, CustomStringConvertible {
    /// The mean of a score must be at least a value.
    case failUnder(score: String, minimum: Double)
    /// No matched run may lose more than `tolerance` on a score against the baseline.
    case failOnRegression(score: String, tolerance: Double)
    /// No run may fail.
    case failOnError

    /// Parses `NAME=VALUE` for `--fail-under`.
    public static func failUnder(parsing text: String) -> Gate? {
        guard let eq = text.lastIndex(of: "="), let value = Double(text[text.index(after: eq)...]), value.isFinite
        else { return nil }
        let name = String(text[..<eq])
        return name.isEmpty ? nil : .failUnder(score: name, minimum: value)
    }

    /// Parses `NAME` or `NAME=TOLERANCE` for `--fail-on-regression`.
    public static func failOnRegression(parsing text: String) -> Gate? {
        if let eq = text.lastIndex(of: "=") {
            guard let tolerance = Double(text[text.index(after: eq)...]), tolerance.isFinite, tolerance >= 0 else {
                return nil
            }
            let name = String(text[..<eq])
            return name.isEmpty ? nil : .failOnRegression(score: name, tolerance: tolerance)
        }
        return text.isEmpty ? nil : .failOnRegression(score: text, tolerance: 0)
    }

    /// The score the gate is about, if any.
    public var scoreName: String? {
        switch self {
        case .failUnder(let s, _), .failOnRegression(let s, _): s
        case .failOnError: nil
        }
    }

    public var description: String {
        switch self {
        case .failUnder(let s, let v): "--fail-under \(s)=\(EvalFormatting.number(v))"
        case .failOnRegression(let s, let t): "--fail-on-regression \(s)=\(EvalFormatting.number(t))"
        case .failOnError: "--fail-on-error"
        }
    }
}

/// The outcome of one gate.
public struct GateResult: Sendable, Equatable {
    /// The gate.
    public var gate: Gate
    /// Whether it passed.
    public var passed: Bool
    /// One line saying why: the measured value, or the runs that broke it.
    public var detail: String
}

/// Locale-free number text for eval output.
package enum EvalFormatting {
    /// `v` with up to four decimals, trailing zeros dropped: `0.8`, `0.8333`, `12`.
    package static func number(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "Infinity" : "-Infinity") }
        // Past 9e14 the scaled value leaves the integer range: shown in Swift's shortest form.
        guard v.magnitude < 9e14 else { return "\(v)" }
        let scaled = (v * 10_000).rounded()
        let negative = scaled < 0
        let magnitude = UInt64(abs(scaled))
        var text = String(magnitude / 10_000)
        var frac = String(magnitude % 10_000)
        while frac.count < 4 { frac = "0" + frac }
        while frac.hasSuffix("0") { frac.removeLast() }
        if !frac.isEmpty { text += "." + frac }
        return (negative && magnitude != 0 ? "-" : "") + text
    }

    /// A share as a percentage with one decimal: `42.9%`.
    package static func percent(_ share: Double) -> String {
        guard share.isFinite, share.magnitude < 9e14 else { return share.isNaN ? "–" : "\(share * 100)%" }
        let tenths = Int64((share * 1000).rounded())
        return "\(tenths / 10)" + (tenths % 10 == 0 ? "" : ".\(tenths % 10)") + "%"
    }

    /// A signed delta: `+0.1`, `-0.25`, `0`.
    package static func delta(_ v: Double) -> String {
        let text = number(v)
        return v > 0 && text != "0" ? "+" + text : text
    }
}
