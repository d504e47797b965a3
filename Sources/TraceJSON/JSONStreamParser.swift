/// One top-level JSON value read from a file, with the line it starts on.
public struct JSONRecord: Sendable, Equatable {
    /// The value.
    public var value: JSONValue
    /// The 1-based line of the value's first byte.
    public var line: Int

    /// Creates a record.
    public init(value: JSONValue, line: Int) {
        self.value = value
        self.line = line
    }
}

/// Everything read from one piece of JSON text: the values that parsed and the problems found.
public struct JSONParseResult: Sendable, Equatable {
    /// The values that parsed, in file order.
    public var records: [JSONRecord]
    /// One error per value that did not parse, in file order.
    public var errors: [JSONSyntaxError]

    /// Creates a result.
    public init(records: [JSONRecord] = [], errors: [JSONSyntaxError] = []) {
        self.records = records
        self.errors = errors
    }
}

/// A strict, non-recursive JSON reader for files that hold any number of top-level values.
///
/// It reads JSON Lines, pretty-printed values written back to back, several values on one line, or one
/// large document: values may be separated by any whitespace or by nothing. A UTF-8 byte order mark at
/// the start, CRLF line ends and blank lines are accepted.
///
/// The grammar is RFC 8259 with no extensions: `NaN`, `Infinity`, trailing commas, single quotes,
/// comments, leading zeros and unescaped control characters are errors, as is invalid UTF-8 inside a
/// string. A `\u` escape holding a lone surrogate becomes U+FFFD. Numbers keep their exact text.
///
/// A value that does not parse becomes one ``JSONSyntaxError``, and reading goes on at the next line
/// that starts, at column 1, with a byte other than whitespace, `}` or `]`: in JSON Lines every line
/// gets its own record or its own error, and in pretty-printed files (whose inner lines are indented)
/// reading goes on at the next top-level value.
///
/// A value that is still open at the end of a line, when the next line starts at column 1 with `{` or
/// `[`, is taken for a truncated JSON Lines record: the error ("unexpected end of line (truncated
/// value?)") points at the end of the cut line and reading goes on with the next line as a new value.
/// This holds even when the cut came after a `,`, `:` or `[` and the next lines were first read as
/// members of the cut value, so one truncated line costs one error and no good line is lost.
///
/// Nesting is handled without recursion and is limited to ``maximumDepth`` levels.
public enum JSONStreamParser {
    /// The deepest nesting of arrays and objects that is accepted.
    public static let maximumDepth = 10_000

    /// Parses every top-level JSON value in `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - firstLine: The line number of the first byte, when `bytes` is a piece of a larger file.
    /// - Returns: The values read and the errors found, each with its line.
    public static func parse(_ bytes: UnsafeRawBufferPointer, firstLine: Int = 1) -> JSONParseResult {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return JSONParseResult() }
        var parser = JSONByteParser(
            base: start.assumingMemoryBound(to: UInt8.self),
            count: bytes.count,
            firstLine: firstLine
        )
        return parser.parseAll()
    }

    /// Parses every top-level JSON value in `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - firstLine: The line number of the first byte, when `bytes` is a piece of a larger file.
    /// - Returns: The values read and the errors found, each with its line.
    public static func parse(_ bytes: [UInt8], firstLine: Int = 1) -> JSONParseResult {
        bytes.withUnsafeBytes { parse($0, firstLine: firstLine) }
    }

    /// Parses every top-level JSON value in the UTF-8 form of `text`.
    public static func parse(_ text: String, firstLine: Int = 1) -> JSONParseResult {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), firstLine: firstLine) }
    }

    /// Cuts `bytes` into at most `count` pieces that can be parsed on their own.
    ///
    /// A piece starts at the start of a line whose first byte is `{` or `[` and whose previous line ends
    /// (before any spaces) with `}` or `]`. In valid JSON no value can continue across such a place, so
    /// parsing each piece with ``parse(_:firstLine:)-(UnsafeRawBufferPointer,_)`` and joining the
    /// results in order gives the same records, errors and line numbers as parsing `bytes` whole.
    /// A file with no such place (one large document) is one piece.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - count: The largest number of pieces wanted.
    /// - Returns: The start offset and first line number of each piece, ascending, starting with
    ///   `(0, 1)`. Each piece ends where the next one starts, the last one at the end of `bytes`.
    public static func split(_ bytes: UnsafeRawBufferPointer, into count: Int) -> [(offset: Int, firstLine: Int)] {
        var pieces: [(offset: Int, firstLine: Int)] = [(0, 1)]
        guard count > 1, let start = bytes.baseAddress, bytes.count > 0 else { return pieces }
        let base = start.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var line = 1
        var counted = 0
        for i in 1..<count {
            let target = Int((Int64(n) * Int64(i)) / Int64(count))
            guard target > pieces[pieces.count - 1].offset else { continue }
            guard let cut = nextRecordBoundary(base, n, from: target) else { break }
            guard cut > pieces[pieces.count - 1].offset else { continue }
            line += ByteScan.countNewlines(base + counted, cut - counted)
            counted = cut
            pieces.append((cut, line))
        }
        return pieces
    }

    /// Parses `bytes` on up to `threads` threads, cutting it with ``split(_:into:)``.
    ///
    /// The result equals ``parse(_:firstLine:)-(UnsafeRawBufferPointer,_)`` on the whole buffer.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - threads: The most threads to use; pieces smaller than about 1 MiB are not worth a thread.
    /// - Returns: The values read and the errors found, each with its line.
    public static func parse(_ bytes: UnsafeRawBufferPointer, threads: Int) -> JSONParseResult {
        let wanted = max(1, min(threads, bytes.count / (1 << 20)))
        let pieces = split(bytes, into: wanted)
        if pieces.count == 1 { return parse(bytes) }
        let results = ParallelRunner.map(count: pieces.count, jobs: threads) { index in
            let from = pieces[index].offset
            let to = index + 1 < pieces.count ? pieces[index + 1].offset : bytes.count
            return parse(UnsafeRawBufferPointer(rebasing: bytes[from..<to]), firstLine: pieces[index].firstLine)
        }
        var merged = JSONParseResult()
        merged.records.reserveCapacity(results.reduce(0) { $0 + $1.records.count })
        for result in results {
            merged.records.append(contentsOf: result.records)
            merged.errors.append(contentsOf: result.errors)
        }
        return merged
    }

    /// A record boundary (as described in ``split(_:into:)``) late in `bytes`: the first one in
    /// its last quarter, else the first one after its start; `nil` when there is none. Text read
    /// in blocks is cut there, so each piece parses as it would in the whole.
    public static func lateRecordBoundary(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let start = bytes.baseAddress, bytes.count > 1 else { return nil }
        let base = start.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        return nextRecordBoundary(base, n, from: n - n / 4) ?? nextRecordBoundary(base, n, from: 1)
    }

    /// The first record boundary at or after `offset`, as described in ``split(_:into:)``.
    private static func nextRecordBoundary(_ base: UnsafePointer<UInt8>, _ n: Int, from offset: Int) -> Int? {
        var p = max(offset - 1, 0)
        while p < n {
            guard let newline = ByteScan.find(UInt8(ascii: "\n"), base + p, n - p) else { return nil }
            let next = newline + 1 + p
            p = next
            guard next < n, base[next] == UInt8(ascii: "{") || base[next] == UInt8(ascii: "[") else { continue }
            var q = next - 2
            while q >= 0, base[q] == UInt8(ascii: " ") || base[q] == UInt8(ascii: "\t") || base[q] == UInt8(ascii: "\r")
            {
                q -= 1
            }
            if q >= 0, base[q] == UInt8(ascii: "}") || base[q] == UInt8(ascii: "]") { return next }
        }
        return nil
    }
}
