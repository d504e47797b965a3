import Foundation
import TraceModel

/// Prints diagnostics to standard error, compiler style: `FILE:LINE: error: message`.
///
/// Errors are all printed. Warnings are printed up to a limit per kind of message so that a large
/// trace full of one repair does not bury the errors; the rest are counted.
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
            text += d.description + "\n"
        }
        if warnings > Self.warningLimit {
            text += "note: \(warnings - Self.warningLimit) more warnings not shown\n"
        }
        write(text)
    }

    func fatal(_ line: String) {
        write("trace-report: " + line + "\n")
    }

    func summary(_ line: String) {
        if !quiet { write(line + "\n") }
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
