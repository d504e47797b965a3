/// A problem found while reading JSON text, with the place it was found.
///
/// `line` and `column` are 1-based; the column counts bytes from the start of the line. For a value that
/// stops at the end of a line (a truncated JSON Lines record) the place is the end of that line, so
/// `FILE:LINE` points at the broken record rather than at the record after it.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the problem.
    public var line: Int
    /// The 1-based byte column of the problem within its line.
    public var column: Int
    /// A lowercase clause without a final period, for example "unterminated string".
    public var message: String

    /// Creates an error at a place.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line:column: message`, for example `12:7: unterminated string`.
    public var description: String { "\(line):\(column): \(message)" }
}
