package import TraceJSON

/// A line-level difference between two texts: the lines both have, in order, and the lines only
/// one of them has, each placed where it was.
///
/// The lines both have are a longest common subsequence of the two texts' lines, found after the
/// common first and last lines are set aside. When what is left is too large to compare
/// (``maxCells`` line pairs), every line left is shown as removed and then added, and
/// ``isCoarse`` says so: the result stays correct, only less precise, and the work stays bounded.
public struct TextDiff: Sendable, Equatable {
    /// What happened to a line.
    public enum LineChange: String, Sendable, Equatable {
        /// In both texts.
        case same
        /// Only in the old text.
        case removed
        /// Only in the new text.
        case added
    }

    /// One line of the difference.
    public struct Line: Sendable, Equatable {
        /// What happened to the line.
        public var change: LineChange
        /// The line's text, without its line break.
        public var text: String

        /// Creates a line.
        public init(_ change: LineChange, _ text: String) {
            self.change = change
            self.text = text
        }
    }

    /// The most line pairs compared one by one; beyond it the middle part is shown coarsely.
    public static let maxCells = 4_000_000

    /// The lines in order: old and new interleaved where they differ, removed lines first.
    public var lines: [Line]
    /// Whether part of the texts was too large to compare line by line.
    public var isCoarse: Bool

    /// Compares `old` with `new` line by line.
    public init(old: String, new: String) {
        let a = Self.splitLines(old)
        let b = Self.splitLines(new)
        var lines: [Line] = []
        var coarse = false
        let pairs = SequenceAlignment.commonSubsequence(a, b, maxCells: Self.maxCells)
        let matched: [(Int, Int)]
        if let pairs {
            matched = pairs
        } else {
            coarse = true
            matched = SequenceAlignment.commonEnds(a, b)
        }
        var i = 0
        var j = 0
        for (x, y) in matched + [(a.count, b.count)] {
            while i < x {
                lines.append(Line(.removed, a[i]))
                i += 1
            }
            while j < y {
                lines.append(Line(.added, b[j]))
                j += 1
            }
            if x < a.count {
                lines.append(Line(.same, a[x]))
                i = x + 1
                j = y + 1
            }
        }
        self.lines = lines
        self.isCoarse = coarse
    }

    /// Lines only the new text has.
    public var addedCount: Int { lines.reduce(0) { $0 + ($1.change == .added ? 1 : 0) } }
    /// Lines only the old text has.
    public var removedCount: Int { lines.reduce(0) { $0 + ($1.change == .removed ? 1 : 0) } }
    /// Whether the texts are the same.
    public var isEmpty: Bool { lines.allSatisfy { $0.change == .same } }

    /// `text` split at `\n` (a `\r` before it is dropped); the empty text has no lines.
    static func splitLines(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.last == "\r" ? String(line.dropLast()) : String(line)
        }
        if result.count > 1, result.last == "" { result.removeLast() }
        return result
    }
}

/// Alignment of two sequences, shared by the line diff and the span tree alignment.
enum SequenceAlignment {
    /// Index pairs of a longest common subsequence of `a` and `b`, in increasing order of both,
    /// or `nil` when the part between the common first and last elements holds more than
    /// `maxCells` pairs. Ties prefer matching earlier elements of `a`, so the result is the same
    /// on every run.
    static func commonSubsequence<T: Equatable>(_ a: [T], _ b: [T], maxCells: Int) -> [(Int, Int)]? {
        let (prefix, suffix) = commonLengths(a, b)
        let n = a.count - prefix - suffix
        let m = b.count - prefix - suffix
        var pairs: [(Int, Int)] = (0..<prefix).map { ($0, $0) }
        if n > 0 && m > 0 {
            guard n.multipliedReportingOverflow(by: m).partialValue <= maxCells, n <= maxCells, m <= maxCells else {
                return nil
            }
            // lengths[i][j]: the LCS length of a[prefix+i...] and b[prefix+j...], one flat table.
            let width = m + 1
            var lengths = [UInt32](repeating: 0, count: (n + 1) * width)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    if a[prefix + i] == b[prefix + j] {
                        lengths[i * width + j] = lengths[(i + 1) * width + j + 1] + 1
                    } else {
                        lengths[i * width + j] = max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                    }
                }
            }
            var i = 0
            var j = 0
            while i < n && j < m {
                if a[prefix + i] == b[prefix + j] {
                    pairs.append((prefix + i, prefix + j))
                    i += 1
                    j += 1
                } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                    i += 1
                } else {
                    j += 1
                }
            }
        }
        for k in 0..<suffix { pairs.append((a.count - suffix + k, b.count - suffix + k)) }
        return pairs
    }

    /// How many first elements `a` and `b` share, and how many last elements after those.
    private static func commonLengths<T: Equatable>(_ a: [T], _ b: [T]) -> (prefix: Int, suffix: Int) {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
            a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        {
            suffix += 1
        }
        return (prefix, suffix)
    }

    /// Index pairs of the common first and last elements only: the coarse alignment.
    static func commonEnds<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        let (prefix, suffix) = commonLengths(a, b)
        return (0..<prefix).map { ($0, $0) } + (0..<suffix).map { (a.count - suffix + $0, b.count - suffix + $0) }
    }
}

/// The text of a recorded input or output as the diff compares it: a string as it is, and any
/// other value as indented `key: value` lines, so a change inside a long string or a nested
/// object shows as the lines that changed rather than as one changed line of JSON.
///
/// Strings that could be read as another value (empty, `null`, `true`, a number, or with space
/// at either end) are written as JSON strings, so values of different types never read the same.
/// Multi-line strings follow their key as an indented block after `|`. Objects keep their
/// members in written order. Below ``JSONWriter/maxIndentLevels`` levels a value is written as
/// compact JSON on one line.
package enum DiffText {
    /// The text of `value`; the empty text for `nil`.
    package static func text(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if case .string(let s) = value { return s }
        var lines: [String] = []
        block(value, indent: "", level: 0, into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func block(_ value: JSONValue, indent: String, level: Int, into lines: inout [String]) {
        switch value {
        case .object(let object) where !object.isEmpty && level < JSONWriter.maxIndentLevels:
            for member in object.members {
                entry(prefix: indent + key(member.key) + ":", member.value, indent: indent, level: level, into: &lines)
            }
        case .array(let items) where !items.isEmpty && level < JSONWriter.maxIndentLevels:
            for item in items {
                entry(prefix: indent + "-", item, indent: indent, level: level, into: &lines)
            }
        default:
            lines.append(indent + inline(value))
        }
    }

    private static func entry(
        prefix: String, _ value: JSONValue, indent: String, level: Int, into lines: inout [String]
    ) {
        let inner = indent + "  "
        switch value {
        case .string(let s) where s.contains("\n"):
            lines.append(prefix + " |")
            for line in TextDiff.splitLines(s) { lines.append(inner + line) }
        case .object(let o) where !o.isEmpty && level + 1 < JSONWriter.maxIndentLevels:
            lines.append(prefix)
            block(value, indent: inner, level: level + 1, into: &lines)
        case .array(let a) where !a.isEmpty && level + 1 < JSONWriter.maxIndentLevels:
            lines.append(prefix)
            block(value, indent: inner, level: level + 1, into: &lines)
        default:
            lines.append(prefix + " " + inline(value))
        }
    }

    /// A value on one line: scalars as written, strings bare when they cannot be misread.
    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return needsQuotes(s) ? JSONWriter.write(value, pretty: false) : s
        default: return JSONWriter.write(value, pretty: false)
        }
    }

    private static func key(_ key: String) -> String {
        needsQuotes(key) || key.contains(":") ? JSONWriter.write(.string(key), pretty: false) : key
    }

    private static func needsQuotes(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if first == " " || last == " " || first == "\t" || last == "\t" || first == "\"" { return true }
        if s == "null" || s == "true" || s == "false" || s == "-" || s == "|" { return true }
        if s.contains("\n") || s.contains("\r") { return true }
        if let c = s.utf8.first, c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            return Double(s) != nil
        }
        return false
    }
}
