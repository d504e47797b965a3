import TraceJSON
public import TraceModel

/// Failing runs grouped by how they failed, so a recurring failure shows as one line with a
/// count.
///
/// A run fails when it ended with an error (status `error`) or a score is below its threshold.
/// Its signature is the failing span's kind and name, the error type and the message with the
/// parts that vary between occurrences masked (numbers, ids, hex, quoted values, URLs, e-mail
/// addresses and paths): see ``FailureGroups/mask(_:)``. The failing span is the run's failed
/// top-level span, followed down through the child that failed last, to the deepest error: the
/// error the failure propagated from. A run that failed only on scores has the signature
/// `score NAME below THRESHOLD` (each failing score, by name; past five, how many more).
///
/// Groups are ordered by count (largest first), then by signature; runs within a group by start
/// time, then trace id.
public struct FailureGroups: Sendable, Equatable {
    /// A failing run in a group.
    public struct Member: Sendable, Equatable {
        /// The run's trace id.
        public var traceID: String
        /// The run's name.
        public var name: String
        /// The run's page within the report, for example `runs/abc.html`.
        public var page: String?
        /// The run's start time, nanoseconds since the Unix epoch.
        public var startTimeUnixNano: Int64?
        /// The run's failure signature.
        public var signature: String
    }

    /// Runs that failed the same way.
    public struct Group: Sendable, Equatable {
        /// The signature (or, for groups by label, the label).
        public var key: String
        /// The runs, earliest first.
        public var members: [Member]

        /// How many runs.
        public var count: Int { members.count }
        /// The earliest start.
        public var firstStartTimeUnixNano: Int64? { members.compactMap(\.startTimeUnixNano).min() }
        /// The latest start.
        public var lastStartTimeUnixNano: Int64? { members.compactMap(\.startTimeUnixNano).max() }
        /// The run to look at first: the earliest.
        public var example: Member { members[0] }
    }

    /// Groups by signature.
    public var bySignature: [Group]
    /// Groups of failing runs by root-cause label (runs without labels are in none).
    public var byLabel: [Group]

    /// Whether no run failed.
    public var isEmpty: Bool { bySignature.isEmpty }

    /// Groups the failing runs among `runs`.
    ///
    /// - Parameters:
    ///   - runs: The analyzed runs.
    ///   - pages: Each run's page within the report, parallel to `runs`.
    ///   - eval: The eval reading of the runs, for score thresholds.
    public init(runs: [AnalyzedRun], pages: [String?] = [], eval: EvalReport) {
        self.init(
            candidates: runs.enumerated().map { i, run in
                Candidate(
                    traceID: run.run.traceID, name: run.name, page: i < pages.count ? pages[i] : nil,
                    startTimeUnixNano: run.startTimeUnixNano, errorSignature: Self.errorSignature(of: run),
                    scores: run.scores, labels: run.labels)
            },
            eval: eval)
    }

    /// What grouping needs of one run; a merge of shard reports rebuilds it from `runs.jsonl`.
    public struct Candidate: Sendable {
        public var traceID: String
        public var name: String
        public var page: String?
        public var startTimeUnixNano: Int64?
        /// The signature of the error that failed the run (``FailureGroups/errorSignature(of:)``).
        public var errorSignature: String?
        public var scores: [Score]
        public var labels: [String]

        public init(
            traceID: String, name: String, page: String?, startTimeUnixNano: Int64?, errorSignature: String?,
            scores: [Score], labels: [String]
        ) {
            self.traceID = traceID
            self.name = name
            self.page = page
            self.startTimeUnixNano = startTimeUnixNano
            self.errorSignature = errorSignature
            self.scores = scores
            self.labels = labels
        }
    }

    /// Groups the failing runs among `candidates`.
    public init(candidates: [Candidate], eval: EvalReport) {
        var members: [Member] = []
        var labels: [[String]] = []
        for candidate in candidates {
            guard let signature = candidate.errorSignature ?? Self.scoreSignature(candidate.scores, eval: eval) else {
                continue
            }
            members.append(
                Member(
                    traceID: candidate.traceID,
                    name: candidate.name,
                    page: candidate.page,
                    startTimeUnixNano: candidate.startTimeUnixNano,
                    signature: signature
                )
            )
            labels.append(candidate.labels)
        }
        bySignature = Self.group(members.map { ($0, [$0.signature]) })
        byLabel = Self.group(zip(members, labels).map { ($0, $1) })
    }

    private static func group(_ items: [(Member, [String])]) -> [Group] {
        var byKey: [String: [Member]] = [:]
        for (member, keys) in items {
            for key in Set(keys) { byKey[key, default: []].append(member) }
        }
        return byKey.map { key, members in
            Group(
                key: key,
                members: members.sorted { a, b in
                    let sa = a.startTimeUnixNano ?? Int64.max, sb = b.startTimeUnixNano ?? Int64.max
                    return sa != sb ? sa < sb : a.traceID < b.traceID
                })
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
    }

    /// The failure signature of `run`, or `nil` when it did not fail.
    public static func signature(of run: AnalyzedRun, eval: EvalReport) -> String? {
        errorSignature(of: run) ?? scoreSignature(run.scores, eval: eval)
    }

    /// The signature of the error that failed `run`: the failing span's kind and name, the error
    /// type and its masked message; `nil` when the run did not fail with an error.
    public static func errorSignature(of run: AnalyzedRun) -> String? {
        guard run.status == .error, let i = failingSpan(of: run) else { return nil }
        let span = run.run.nodes[i].span
        let kind = span.kind == .span ? span.kindName : span.kind.rawValue
        var text = kind + " " + mask(span.name)
        if let error = span.error {
            text += " · "
            if let type = error.type, !type.isEmpty { text += mask(type) + ": " }
            text += mask(error.message)
        }
        return text
    }

    /// The signature of scores below their thresholds, or `nil` when none is.
    public static func scoreSignature(_ scores: [Score], eval: EvalReport) -> String? {
        var low: [String] = []
        // A run's first score of each name, looked up by name, so many names stay linear.
        var byName: [String: Double] = [:]
        for score in scores where byName[score.name] == nil { byName[score.name] = score.value }
        for stats in eval.scores {
            guard let t = stats.threshold, let v = byName[stats.name], v < t else {
                continue
            }
            low.append("score " + stats.name + " below " + EvalFormatting.number(t))
        }
        guard !low.isEmpty else { return nil }
        // A run low on many scores keeps a signature of bounded length (it is shown with every
        // group the run is in): the first few, then how many more.
        guard low.count > maxSignatureScores else { return low.joined(separator: ", ") }
        return low.prefix(maxSignatureScores).joined(separator: ", ")
            + ", and \(low.count - maxSignatureScores) more scores below their thresholds"
    }

    /// The most failing scores a signature names.
    static let maxSignatureScores = 5

    /// The span a failed run's failure came from: from the failed top-level span down through
    /// the child with errors in its subtree that ended last, the deepest span with an error.
    public static func failingSpan(of run: AnalyzedRun) -> Int? {
        let nodes = run.run.nodes
        guard var current = nodes.indices.first(where: { nodes[$0].parent == nil && nodes[$0].span.error != nil })
        else {
            return run.firstErrorIndex
        }
        var deepest = current
        while true {
            var next: Int? = nil
            for c in run.run.children(of: current) where run.metrics[c].errorsInSubtree > 0 {
                if let n = next {
                    let ec = nodes[c].span.endTimeUnixNano ?? nodes[c].span.startTimeUnixNano ?? Int64.min
                    let en = nodes[n].span.endTimeUnixNano ?? nodes[n].span.startTimeUnixNano ?? Int64.min
                    if ec >= en { next = c }
                } else {
                    next = c
                }
            }
            guard let n = next else { return deepest }
            current = n
            if nodes[n].span.error != nil { deepest = n }
        }
    }

    /// `message` with the parts that vary between occurrences of one failure masked: URLs
    /// (`<url>`), e-mail addresses (`<email>`), quoted values (`<str>`), paths (`<path>`), hex
    /// and other ids (`<id>`), and numbers (`<n>`). Only the first line is kept, at most 300
    /// characters.
    public static func mask(_ message: String) -> String {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let chars = Array(line)
        let n = chars.count
        var out = ""
        var i = 0
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        func isTokenChar(_ c: Character) -> Bool {
            !(c.isWhitespace || "\"'`()[]{}<>,;=".contains(c))
        }
        while i < n {
            let c = chars[i]
            // URLs: a scheme followed by ://, up to whitespace or a quote.
            if c.isLetter, let end = urlEnd(chars, from: i) {
                out += "<url>"
                i = end
                continue
            }
            if c == "\"" || c == "`" || (c == "'" && (i == 0 || !isWord(chars[i - 1]))) {
                var j = i + 1
                while j < n, j - i <= 400, chars[j] != c || (c == "'" && j + 1 < n && isWord(chars[j + 1])) { j += 1 }
                if j < n, chars[j] == c, j - i <= 400 {
                    out += "<str>"
                    i = j + 1
                    continue
                }
            }
            if isTokenChar(c) {
                var j = i
                while j < n, isTokenChar(chars[j]) { j += 1 }
                var core = chars[i..<j]
                var suffix = ""
                while let last = core.last, ".:!?".contains(last) {
                    suffix = String(last) + suffix
                    core = core.dropLast()
                }
                out += classify(String(core)) + suffix
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        let trimmed = out.trimmingSpaces
        return trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed
    }

    private static func urlEnd(_ chars: [Character], from i: Int) -> Int? {
        var j = i
        while j < chars.count,
            chars[j].isLetter || chars[j].isNumber || chars[j] == "+" || chars[j] == "." || chars[j] == "-"
        { j += 1 }
        guard j + 2 < chars.count, chars[j] == ":", chars[j + 1] == "/", chars[j + 2] == "/" else { return nil }
        j += 3
        while j < chars.count, !(chars[j].isWhitespace || "\"'<>`".contains(chars[j])) { j += 1 }
        while j > i, ".,;:)!?".contains(chars[j - 1]) { j -= 1 }
        return j
    }

    private static func classify(_ token: String) -> String {
        guard !token.isEmpty else { return token }
        let chars = Array(token)
        if let at = chars.firstIndex(of: "@"), at > 0, chars[(at + 1)...].contains("."), chars.last != "." {
            return "<email>"
        }
        let slashes = chars.filter { $0 == "/" || $0 == "\\" }.count
        if chars.first == "/" || chars.first == "~" || token.hasPrefix("./") || token.hasPrefix("../")
            || (chars.count > 2 && chars[0].isLetter && chars[1] == ":" && chars[2] == "\\")
            || (slashes >= 1 && (chars.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last?.contains(".") ?? false))
            || slashes >= 2
        {
            return "<path>"
        }
        let hasDigit = chars.contains { $0.isASCII && $0.isNumber }
        let hexDigits = chars.filter { $0.isHexDigit }.count
        if token.hasPrefix("0x") || token.hasPrefix("0X"), chars.count > 2, chars.dropFirst(2).allSatisfy(\.isHexDigit)
        {
            return "<id>"
        }
        if chars.count >= 8, hasDigit, chars.allSatisfy({ $0.isHexDigit || $0 == "-" }), hexDigits >= 8 {
            return "<id>"
        }
        guard hasDigit else { return token }
        if chars.allSatisfy({ ($0.isASCII && $0.isNumber) || ".,:+-%".contains($0) }) { return "<n>" }
        if chars.count >= 6 { return "<id>" }
        var out = ""
        var inNumber = false
        for c in chars {
            if c.isASCII && c.isNumber {
                if !inNumber { out += "<n>" }
                inNumber = true
            } else {
                out.append(c)
                inNumber = false
            }
        }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}

extension SummaryJSON {
    /// `failure_groups` of `summary.json`: the groups by signature, then by label, each with
    /// `by` (`signature` or `label`), `key`, `count`, first and last start, an example and its runs.
    static func failureGroupsJSON(_ groups: FailureGroups?) -> JSONValue {
        func time(_ t: Int64?) -> JSONValue { t.map { .string(Timestamp.formatUTC($0)) } ?? .null }
        func group(_ g: FailureGroups.Group, by: String) -> JSONValue {
            .object(
                JSONObject([
                    ("by", .string(by)),
                    ("key", .string(g.key)),
                    ("count", .number(JSONNumber(g.count))),
                    ("first_start", time(g.firstStartTimeUnixNano)),
                    ("last_start", time(g.lastStartTimeUnixNano)),
                    ("example", .string(g.example.traceID)),
                    ("runs", .array(g.members.map { .string($0.traceID) })),
                ]))
        }
        guard let groups else { return .array([]) }
        return .array(
            groups.bySignature.map { group($0, by: "signature") } + groups.byLabel.map { group($0, by: "label") })
    }
}
