import TraceModel

/// A condition on a run, as given to `--where` and `--keep`: `FIELD OP VALUE`.
///
/// Fields: `status`, `name`, `trace_id`, `label`, `score.NAME`, `metadata.KEY` (or a bare `KEY`
/// for metadata), `duration` and `error` (the first error's text). Operators: `=`, `!=`, `<`,
/// `<=`, `>`, `>=`, and `~` / `!~` for a regular expression that must match / not match
/// somewhere in the text. `<` and friends compare numbers; `duration` takes `ms`, `s`, `m` or
/// `h` (bare numbers are seconds). `label=X` holds when any label is `X`. A run without the
/// field fails every operator but `!=` and `!~`.
public struct RunFilter: Sendable, CustomStringConvertible {
    /// The field a filter reads.
    public enum Field: Sendable, Equatable {
        case status, name, traceID, label, duration, error
        case score(String)
        case metadata(String)
    }

    /// How a filter compares.
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case matches = "~"
        case notMatches = "!~"
    }

    /// Why an expression could not be read.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The expression as given.
        public var expression: String
        /// A lowercase clause saying what is wrong.
        public var reason: String
        public var description: String { "'\(expression)': \(reason)" }
    }

    public let field: Field
    public let op: Operator
    public let value: String
    /// The expression as given.
    public let text: String
    private let number: Double?
    private let pattern: Pattern?

    /// A compiled regular expression; `Regex` is not `Sendable`, and a filter is read-only.
    private final class Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
        init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
    }

    public var description: String { text }

    /// Reads `FIELD OP VALUE`; white space around the operator is allowed.
    public init(parsing text: String) throws(ParseError) {
        self.text = text
        // The operator is the first of the operator characters; two-character operators win.
        let scalars = Array(text.unicodeScalars)
        guard let at = scalars.firstIndex(where: { "=<>!~".unicodeScalars.contains($0) }) else {
            throw ParseError(expression: text, reason: "expected FIELD OP VALUE with an operator: = != < <= > >= ~ !~")
        }
        var opText = String(scalars[at])
        if at + 1 < scalars.count, ["!=", "<=", ">=", "!~"].contains(opText + String(scalars[at + 1])) {
            opText += String(scalars[at + 1])
        }
        guard let op = Operator(rawValue: opText) else {
            throw ParseError(
                expression: text, reason: "unknown operator '\(opText)'; the operators are = != < <= > >= ~ !~")
        }
        let name = String(String.UnicodeScalarView(scalars[..<at])).trimmingSpaces()
        let value = String(String.UnicodeScalarView(scalars[(at + opText.unicodeScalars.count)...])).trimmingSpaces()
        guard !name.isEmpty else { throw ParseError(expression: text, reason: "no field before '\(opText)'") }
        let field: Field
        switch name {
        case "status": field = .status
        case "name": field = .name
        case "trace_id", "id": field = .traceID
        case "label", "labels": field = .label
        case "duration": field = .duration
        case "error": field = .error
        default:
            if name.hasPrefix("score.") || name.hasPrefix("scores.") {
                let score = String(name.drop { $0 != "." }.dropFirst())
                guard !score.isEmpty else { throw ParseError(expression: text, reason: "name the score: score.NAME") }
                field = .score(score)
            } else if name.hasPrefix("metadata.") {
                let key = String(name.dropFirst("metadata.".count))
                guard !key.isEmpty else { throw ParseError(expression: text, reason: "name the key: metadata.KEY") }
                field = .metadata(key)
            } else {
                field = .metadata(name)
            }
        }
        self.field = field
        self.op = op
        self.value = value

        switch op {
        case .matches, .notMatches:
            do {
                pattern = Pattern(try Regex(value))
            } catch {
                throw ParseError(expression: text, reason: "'\(value)' is not a regular expression")
            }
            number = nil
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            pattern = nil
            guard let n = field == .duration ? Self.seconds(value) : Double(value) else {
                let what = field == .duration ? "a duration such as 30s, 1500ms, 2m" : "a number"
                throw ParseError(expression: text, reason: "'\(value)' is not \(what)")
            }
            number = n
            if case .status = field {
                throw ParseError(expression: text, reason: "status takes = or != (ok, error, unfinished)")
            }
        case .equal, .notEqual:
            pattern = nil
            number = field == .duration ? Self.seconds(value) : Double(value)
            if field == .duration, number == nil {
                throw ParseError(expression: text, reason: "'\(value)' is not a duration such as 30s, 1500ms, 2m")
            }
            if case .status = field, !["ok", "error", "unfinished"].contains(value) {
                throw ParseError(expression: text, reason: "status is ok, error or unfinished, not '\(value)'")
            }
        }
    }

    /// Seconds for `30s`, `1500ms`, `2m`, `1h` or a bare number of seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n.isFinite { return n * factor }
        }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// Whether `run` meets the condition.
    public func matches(_ run: EvalRun) -> Bool {
        switch field {
        case .label:
            let hit: Bool
            switch op {
            case .equal, .notEqual: hit = run.labels.contains(value)
            case .matches, .notMatches: hit = run.labels.contains { test($0) }
            default: hit = run.labels.contains { Double($0).map { compare($0) } ?? false }
            }
            return op == .notEqual || op == .notMatches ? !hit : hit
        case .score(let name):
            guard let v = run.score(name) else { return op == .notEqual || op == .notMatches }
            return compareNumber(v, text: run.scores.first { $0.name == name }?.text ?? "\(v)")
        case .duration:
            guard let nanos = run.durationNanos else { return op == .notEqual || op == .notMatches }
            return compareNumber(Double(nanos) / 1e9, text: "\(Double(nanos) / 1e9)s")
        case .status: return compareText(run.status)
        case .name: return compareText(run.name)
        case .traceID: return compareText(run.traceID)
        case .error:
            guard let e = run.firstError else { return op == .notEqual || op == .notMatches }
            return compareText(e)
        case .metadata(let key):
            // `=` compares text (release 2025.10 is not 2025.1); `<` and friends compare numbers.
            guard let v = run.value(of: "metadata." + key) else { return op == .notEqual || op == .notMatches }
            return compareText(v)
        }
    }

    private func compareText(_ text: String) -> Bool {
        switch op {
        case .equal: return text == value
        case .notEqual: return text != value
        case .matches: return test(text)
        case .notMatches: return !test(text)
        default: return Double(text).map(compare) ?? false
        }
    }

    private func compareNumber(_ v: Double, text: String) -> Bool {
        switch op {
        case .equal: return number.map { $0 == v } ?? (text == value)
        case .notEqual: return number.map { $0 != v } ?? (text != value)
        case .matches: return test(text)
        case .notMatches: return !test(text)
        default: return compare(v)
        }
    }

    private func compare(_ v: Double) -> Bool {
        guard let n = number else { return false }
        switch op {
        case .less: return v < n
        case .lessOrEqual: return v <= n
        case .greater: return v > n
        case .greaterOrEqual: return v >= n
        case .equal: return v == n
        case .notEqual: return v != n
        default: return false
        }
    }

    private func test(_ text: String) -> Bool {
        guard let pattern else { return false }
        return (try? pattern.regex.firstMatch(in: text)) != nil
    }
}

/// Which runs a report shows: those meeting every `--where` filter, then, with `--sample N`, every
/// run meeting a `--keep` filter plus N others chosen by a stable hash of their trace ids.
///
/// The hash is 64-bit FNV-1a over the trace id's UTF-8 bytes (ties broken by the id's bytes), so
/// every machine, process and input order chooses the same runs, and a larger sample contains a
/// smaller one.
public struct RunSelection: Sendable {
    public var filters: [RunFilter]
    public var sample: Int?
    public var keep: [RunFilter]

    /// Creates a selection; with no filters and no sample it keeps every run.
    public init(filters: [RunFilter] = [], sample: Int? = nil, keep: [RunFilter] = []) {
        self.filters = filters
        self.sample = sample
        self.keep = keep
    }

    /// Whether the selection can drop runs.
    public var isActive: Bool { !filters.isEmpty || sample != nil }

    /// The selection as command-line options: `--where status=error --sample 500 --keep label=x`.
    public var options: String {
        var parts = filters.map { "--where \($0.text)" }
        if let sample { parts.append("--sample \(sample)") }
        parts += keep.map { "--keep \($0.text)" }
        return parts.joined(separator: " ")
    }

    /// The indices of the runs kept, in their original order.
    public func select(_ runs: [EvalRun]) -> [Int] {
        let candidates = runs.indices.filter { i in filters.allSatisfy { $0.matches(runs[i]) } }
        guard let sample else { return candidates }
        var kept: [Int] = []
        var others: [(hash: UInt64, index: Int)] = []
        for i in candidates {
            if keep.contains(where: { $0.matches(runs[i]) }) {
                kept.append(i)
            } else {
                others.append((Self.hash(runs[i].traceID), i))
            }
        }
        if others.count > sample {
            others.sort { a, b in
                if a.hash != b.hash { return a.hash < b.hash }
                return Array(runs[a.index].traceID.utf8).lexicographicallyPrecedes(Array(runs[b.index].traceID.utf8))
            }
            others.removeLast(others.count - sample)
        }
        return (kept + others.map(\.index)).sorted()
    }

    /// 64-bit FNV-1a of the text's UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
