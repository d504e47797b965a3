import Foundation
import TraceModel

/// Prints diagnostics to standard error, compiler style: `FILE:LINE: error: message`.
///
/// Errors are all printed. Warnings are printed in the order they were found, at most
/// ``warningLimit`` of them, so that a large trace full of one repair does not bury the errors;
/// the rest are counted in one closing note.
struct DiagnosticPrinter {
    /// Warnings printed at most.
    static let warningLimit = 50

    let quiet: Bool

    func print(_ diagnostics: [Diagnostic]) {
        var text = ""
        var warnings = 0
        for d in diagnostics {
            if d.severity == .warning {
                if quiet { continue }
                warnings += 1
                if warnings > Self.warningLimit { continue }
            }
            text += Self.oneLine(d.description) + "\n"
        }
        if warnings > Self.warningLimit {
            text += "note: \(warnings - Self.warningLimit) more warnings not shown\n"
        }
        write(text)
    }

    func fatal(_ line: String) {
        write("trace-report: " + Self.oneLine(line) + "\n")
    }

    func summary(_ line: String) {
        if !quiet { write(Self.oneLine(line) + "\n") }
    }

    /// `text` with control characters written as escapes (`\n`, `\x1b`, `\u{202e}`), so that
    /// text from a trace can neither start a new line (and forge a diagnostic or a CI log
    /// command) nor send a terminal escape sequence. Bidirectional overrides are escaped too.
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F:
                let hex = String(c.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            case 0x80..<0xA0, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{" + String(c.value, radix: 16) + "}"
            default:
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
