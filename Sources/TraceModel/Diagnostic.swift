/// Where a record came from: the input file as the user named it, and a 1-based line.
public struct SourceLocation: Sendable, Equatable, Hashable, Comparable {
    /// The file as named on the command line (`-` for standard input).
    public var file: String
    /// The 1-based line of the record's first byte, or 0 when unknown.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }
}

/// A problem found while reading, decoding or assembling traces.
///
/// Diagnostics never stop a report: the record they name is skipped (errors) or repaired
/// (warnings), and everything else still renders.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Equatable {
        /// The record was skipped.
        case error
        /// The record was kept and repaired, or something looks wrong but was shown as recorded.
        case warning
    }

    /// How serious the problem is.
    public var severity: Severity
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong: a lowercase clause without a final period.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// The compiler-style text: `FILE:LINE: error: message`.
    public var description: String {
        let place = location.line > 0 ? "\(location.file):\(location.line)" : location.file
        return "\(place): \(severity.rawValue): \(message)"
    }
}
