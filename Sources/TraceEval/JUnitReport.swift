import TraceModel

/// A JUnit XML report of an eval: one test case per run. A case fails when its run failed or a
/// score is below its threshold; the failure names the failing scores and the first error.
public enum JUnitReport {
    /// The XML document.
    public static func write(_ report: EvalReport, title: String) -> [UInt8] {
        let failures = report.runs.map { report.failures(of: $0) }
        let failed = failures.filter { !$0.isEmpty }.count
        let totalSeconds = report.runs.compactMap(\.durationNanos).reduce(Int64(0)) { $0.saturatingAdd($1) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(escape(title))\" tests=\"\(report.runs.count)\" failures=\"\(failed)\" errors=\"0\" time=\"\(seconds(totalSeconds))\">\n"
        xml +=
            "  <testsuite name=\"\(escape(title))\" tests=\"\(report.runs.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\" time=\"\(seconds(totalSeconds))\">\n"
        for (run, reasons) in zip(report.runs, failures) {
            xml +=
                "    <testcase classname=\"trace-report\" name=\"\(escape("\(run.name) [\(run.traceID)]"))\" time=\"\(seconds(run.durationNanos ?? 0))\""
            let scoreText = run.scores.map { "\($0.name)=\(EvalFormatting.number($0.value))" }.joined(separator: " ")
            if reasons.isEmpty && scoreText.isEmpty {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            if !reasons.isEmpty {
                xml += "      <failure message=\"\(escape(reasons.joined(separator: "; ")))\" type=\"eval\">"
                xml += escape(
                    reasons.joined(separator: "\n") + (scoreText.isEmpty ? "" : "\nscores: " + scoreText)
                        + (run.page.map { "\nreport page: \($0)" } ?? ""))
                xml += "</failure>\n"
            }
            if !scoreText.isEmpty {
                xml += "      <system-out>\(escape("scores: " + scoreText))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return Array(xml.utf8)
    }

    static func seconds(_ nanos: Int64) -> String {
        let millis = nanos / 1_000_000
        var frac = String(millis % 1000)
        while frac.count < 3 { frac = "0" + frac }
        return "\(millis / 1000).\(frac)"
    }

    /// XML escaping for text and attributes; characters XML 1.0 cannot hold become U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
