public import TraceJSON

/// Replaces secrets and personal data in a report's model before anything is rendered.
///
/// Each redacted value becomes a placeholder `[RULE#N]`: `N` numbers the rule's distinct values
/// in the order they are first met (runs in report order, spans in tree order, fields in a fixed
/// order), so the same value always gets the same placeholder within one report, and nothing of
/// the value is kept. Card numbers must pass the Luhn check.
public struct Redactor {
    private struct Rule {
        var name: String
        var kind: String
        var regex: Regex<AnyRegexOutput>
        /// Substrings one of which must occur for the rule to be tried (a fast pre-check).
        var needles: [String]
        var caseInsensitiveNeedles = false
        /// Replace only this capture group (the credential after `Bearer `).
        var group: Int? = nil
        var accept: ((Substring) -> Bool)? = nil
        /// Tried only on text with at least this many ASCII digits.
        var minDigits = 0
    }

    private var rules: [Rule] = []
    private var fields: [[String]] = []
    private var fieldNames: [String] = []
    private var numbers: [[String: Int]]
    private var counts: [Int]

    /// The names and order of the built-in rules.
    public static let builtInRuleNames = [
        "private_key", "jwt", "anthropic_key", "openai_key", "github_token", "aws_access_key",
        "bearer_token", "basic_auth", "email", "card_number", "phone_number",
    ]

    /// Sets up the rules of `options`.
    ///
    /// - Throws: ``RedactionError`` when a pattern does not compile or a field path is empty.
    public init(options: RedactionOptions) throws(RedactionError) {
        func regex(_ pattern: String) -> Regex<AnyRegexOutput> {
            // Built-in patterns are constant and tested.
            try! Regex(pattern)
        }
        if options.builtIn {
            rules = [
                Rule(
                    name: "private_key", kind: "built-in",
                    regex: regex(#"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----"#),
                    needles: ["-----BEGIN"]),
                Rule(
                    name: "jwt", kind: "built-in",
                    regex: regex(#"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"#), needles: ["eyJ"]),
                Rule(
                    name: "anthropic_key", kind: "built-in", regex: regex(#"sk-ant-[A-Za-z0-9_-]{20,}"#),
                    needles: ["sk-ant-"]),
                Rule(
                    name: "openai_key", kind: "built-in",
                    regex: regex(#"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"#), needles: ["sk-"]),
                Rule(
                    name: "github_token", kind: "built-in",
                    regex: regex(#"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"#),
                    needles: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
                Rule(
                    name: "aws_access_key", kind: "built-in", regex: regex(#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#),
                    needles: ["AKIA", "ASIA"]),
                Rule(
                    name: "bearer_token", kind: "built-in", regex: regex(#"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})"#),
                    needles: ["bearer"], caseInsensitiveNeedles: true, group: 1),
                Rule(
                    name: "basic_auth", kind: "built-in", regex: regex(#"(?i)\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})"#),
                    needles: ["basic"], caseInsensitiveNeedles: true, group: 1),
                Rule(
                    name: "email", kind: "built-in",
                    regex: regex(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#), needles: ["@"]),
                Rule(
                    name: "card_number", kind: "built-in", regex: regex(#"\b\d(?:[ -]?\d){12,18}\b"#), needles: [],
                    accept: { Redactor.luhn($0) }, minDigits: 13
                ),
                Rule(
                    name: "phone_number", kind: "built-in",
                    regex: regex(
                        #"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?\d{2,4}){2,4}\b|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}\b|\b\d{3}[.-]\d{3}[.-]\d{4}\b)"#
                    ),
                    needles: [],
                    accept: { text in
                        let digits = text.filter { $0.isASCII && $0.isNumber }.count
                        return digits >= 8 && digits <= 15
                    }, minDigits: 8
                ),
            ]
        }
        for pattern in options.patterns {
            do {
                rules.append(Rule(name: pattern.name, kind: "pattern", regex: try Regex(pattern.regex), needles: []))
            } catch {
                throw .invalidPattern(name: pattern.name, reason: "\(error)")
            }
        }
        for path in options.fields {
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, !parts.contains(where: \.isEmpty) else { throw .invalidField(path) }
            fields.append(parts)
            fieldNames.append(path)
        }
        numbers = Array(repeating: [:], count: rules.count + fields.count)
        counts = Array(repeating: 0, count: rules.count + fields.count)
    }

    /// What was redacted so far.
    public var manifest: RedactionManifest {
        var entries: [RedactionManifest.Entry] = []
        for (i, rule) in rules.enumerated() {
            entries.append(.init(name: rule.name, kind: rule.kind, count: counts[i], values: numbers[i].count))
        }
        for (k, name) in fieldNames.enumerated() {
            let i = rules.count + k
            entries.append(.init(name: name, kind: "field", count: counts[i], values: numbers[i].count))
        }
        return RedactionManifest(entries: entries)
    }

    /// Off while redacting copies the analysis made (a run's name, labels and scores come from
    /// its spans), so each occurrence in the input counts once.
    private var counting = true

    private mutating func placeholder(rule i: Int, name: String, value: String) -> String {
        if counting { counts[i] += 1 }
        if let n = numbers[i][value] { return "[\(name)#\(n)]" }
        let n = numbers[i].count + 1
        numbers[i][value] = n
        return "[\(name)#\(n)]"
    }

    // MARK: - Text

    /// `text` with every match of every rule replaced by its placeholder.
    public mutating func redact(_ text: String) -> String {
        guard !rules.isEmpty, !text.isEmpty else { return text }
        var text = text
        var digits = -1
        var lowered: String? = nil
        for i in rules.indices {
            let rule = rules[i]
            if rule.minDigits > 0 {
                if digits < 0 { digits = text.utf8.reduce(0) { $0 + ($1 >= 0x30 && $1 <= 0x39 ? 1 : 0) } }
                if digits < rule.minDigits { continue }
            }
            if !rule.needles.isEmpty {
                if rule.caseInsensitiveNeedles {
                    if lowered == nil { lowered = text.lowercased() }
                    guard rule.needles.contains(where: { lowered!.contains($0) }) else { continue }
                } else if !rule.needles.contains(where: { text.contains($0) }) {
                    continue
                }
            }
            var ranges: [Range<String.Index>] = []
            for match in text.matches(of: rule.regex) {
                let range: Range<String.Index>?
                if let g = rule.group {
                    range = g < match.output.count ? match.output[g].range : nil
                } else {
                    range = match.range
                }
                guard let range, !range.isEmpty else { continue }
                if let accept = rule.accept, !accept(text[range]) { continue }
                ranges.append(range)
            }
            guard !ranges.isEmpty else { continue }
            var result = ""
            var cursor = text.startIndex
            for range in ranges {
                result += text[cursor..<range.lowerBound]
                result += placeholder(rule: i, name: rule.name, value: String(text[range]))
                cursor = range.upperBound
            }
            result += text[cursor...]
            text = result
            lowered = nil
            digits = -1
        }
        return text
    }

    /// Whether the digits of `text` pass the Luhn check (card numbers).
    public static func luhn(_ text: Substring) -> Bool {
        let digits = text.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count >= 13, digits.count <= 19 else { return false }
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            if k % 2 == 1 {
                let doubled = d * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += d
            }
        }
        return sum % 10 == 0
    }

    // MARK: - JSON

    /// `value` with every string (object keys included) redacted, and numbers that match a
    /// rule (a card number written as a number) replaced by a placeholder string.
    public mutating func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(redact(s))
        case .number(let n):
            guard n.text.count >= 8 else { return value }
            let text = redact(n.text)
            return text == n.text ? value : .string(text)
        case .array(let items): return .array(items.map { redact($0) })
        case .object(let o): return .object(redact(o))
        case .null, .bool: return value
        }
    }

    /// `object` with keys and values redacted.
    public mutating func redact(_ object: JSONObject) -> JSONObject {
        JSONObject(object.members.map { (key: redact($0.key), value: redact($0.value)) })
    }

    /// Replaces the values of the field paths that start with `root` (such as `metadata`) in
    /// `value`.
    private mutating func redactFields(root: String, in value: inout JSONValue) {
        for (k, path) in fields.enumerated() where path[0] == root {
            if path.count == 1 {
                value = .string(
                    placeholder(
                        rule: rules.count + k, name: fieldNames[k], value: JSONWriter.write(value, pretty: false)))
            } else {
                replace(path[1...].joined(separator: "."), in: &value, field: k)
            }
        }
    }

    /// Replaces the value at a dotted key path; keys may contain dots themselves.
    private mutating func replace(_ path: String, in value: inout JSONValue, field k: Int) {
        guard case .object(var o) = value else { return }
        for m in o.members.indices {
            let key = o.members[m].key
            if key == path {
                let old = o.members[m].value
                o.members[m].value = .string(
                    placeholder(rule: rules.count + k, name: fieldNames[k], value: JSONWriter.write(old, pretty: false))
                )
            } else if path.hasPrefix(key + ".") {
                replace(String(path.dropFirst(key.count + 1)), in: &o.members[m].value, field: k)
            }
        }
        value = .object(o)
    }

    private mutating func redactFields(root: String, in object: inout JSONObject) {
        guard fields.contains(where: { $0[0] == root }) else { return }
        var value = JSONValue.object(object)
        redactFields(root: root, in: &value)
        if case .object(let o) = value { object = o }
    }

    private mutating func redactFields(root: String, in value: inout JSONValue?) {
        guard var v = value, fields.contains(where: { $0[0] == root }) else { return }
        redactFields(root: root, in: &v)
        value = v
    }

    // MARK: - Model

    /// `span` with its ids, name, model, input, output, error, metadata, events, labels and
    /// score comments redacted.
    public mutating func redact(_ span: Span) -> Span {
        var span = span
        span.traceID = redact(span.traceID)
        span.spanID = redact(span.spanID)
        span.parentSpanID = span.parentSpanID.map { redact($0) }
        span.name = redact(span.name)
        span.model = span.model.map { redact($0) }
        redactFields(root: "input", in: &span.input)
        span.input = span.input.map { redact($0) }
        redactFields(root: "output", in: &span.output)
        span.output = span.output.map { redact($0) }
        if var error = span.error {
            error.type = error.type.map { redact($0) }
            error.message = redact(error.message)
            error.stack = error.stack.map { redact($0) }
            span.error = error
        }
        redactFields(root: "metadata", in: &span.metadata)
        span.metadata = redact(span.metadata)
        span.events = span.events.map { event in
            var event = event
            event.name = redact(event.name)
            redactFields(root: "attributes", in: &event.attributes)
            event.attributes = redact(event.attributes)
            return event
        }
        span.labels = span.labels.map { redact($0) }
        span.scores = span.scores.map { redact($0) }
        return span
    }

    /// `score` with its comment and origin redacted.
    public mutating func redact(_ score: Score) -> Score {
        var score = score
        score.comment = score.comment.map { redact($0) }
        score.origin = score.origin.map { redact($0) }
        return score
    }

    /// `info` with its name, metadata, labels and score comments redacted.
    public mutating func redact(_ info: RunInfo) -> RunInfo {
        var info = info
        info.traceID = redact(info.traceID)
        info.name = info.name.map { redact($0) }
        redactFields(root: "metadata", in: &info.metadata)
        info.metadata = redact(info.metadata)
        info.labels = info.labels.map { redact($0) }
        info.scores = info.scores.map { redact($0) }
        return info
    }

    /// `run` with every span and its run-level record redacted; timing and counts are kept.
    public mutating func redact(_ run: AnalyzedRun) -> AnalyzedRun {
        var run = run
        run.run.traceID = redact(run.run.traceID)
        for i in run.run.nodes.indices {
            run.run.nodes[i].span = redact(run.run.nodes[i].span)
            run.run.nodes[i].repairs = run.run.nodes[i].repairs.map { repair in
                switch repair {
                case .orphan(let id): .orphan(missingParentID: redact(id))
                case .cycleBroken(let id): .cycleBroken(formerParentID: redact(id))
                default: repair
                }
            }
        }
        run.run.info = run.run.info.map { redact($0) }
        counting = false
        run.name = redact(run.name)
        run.labels = run.labels.map { redact($0) }
        run.scores = run.scores.map { redact($0) }
        counting = true
        return run
    }

    /// Runs redacted one after the other, so placeholders number in report order.
    public mutating func redact(_ runs: [AnalyzedRun]) -> [AnalyzedRun] {
        runs.map { redact($0) }
    }
}
