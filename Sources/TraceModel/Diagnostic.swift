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

    /// The last path component of `path` (`-`, `<stdin>` and bare names unchanged): how a
    /// report names an input, since a report is shared and must not carry local paths.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(where: { $0 == "/" || $0 == "\\" }) else { return path }
        let rest = path[path.index(after: slash)...]
        return rest.isEmpty ? path : String(rest)
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
    /// What became of the record.
    public var effect: Effect
    /// The run the problem belongs to, where the stage that found it knows (assembly does);
    /// otherwise the report finds it from the record's place.
    public var traceID: String?

    /// What became of the record a diagnostic names, as a report counts it.
    public enum Effect: String, Sendable, Equatable {
        /// The record (a line, or a value in a file) was skipped.
        case skippedRecord
        /// The span was kept and repaired.
        case repairedSpan
        /// The span was kept without one field, whose value was of the wrong type; the raw value
        /// is kept on the span (``Span/droppedFields``).
        case droppedField
    }

    /// Creates a diagnostic. The effect defaults to a skipped record for errors and a repaired
    /// span for warnings.
    public init(_ severity: Severity, at location: SourceLocation, _ message: String, effect: Effect? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.effect = effect ?? (severity == .error ? .skippedRecord : .repairedSpan)
    }

    /// The compiler-style text: `FILE:LINE: error: message`.
    public var description: String {
        let place = location.line > 0 ? "\(location.file):\(location.line)" : location.file
        return "\(place): \(severity.rawValue): \(message)"
    }
}
