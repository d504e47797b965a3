/// What to redact when a report is shared.
public struct RedactionOptions: Sendable, Equatable {
    /// Whether the built-in rules apply (API keys, tokens, private keys, e-mail addresses, phone
    /// and card numbers).
    public var builtIn: Bool
    /// Extra rules: a name and a regular expression (Swift `Regex` syntax).
    public var patterns: [Pattern]
    /// Field paths whose whole value is replaced, such as `metadata.user_email` or `input`.
    public var fields: [String]

    /// A named regular expression.
    public struct Pattern: Sendable, Equatable {
        public var name: String
        public var regex: String

        /// Creates a pattern.
        public init(name: String, regex: String) {
            self.name = name
            self.regex = regex
        }

        /// Parses `NAME=REGEX`; `nil` when there is no `=` or the name is empty or not made of
        /// letters, digits, `_` and `-`.
        public init?(parsing text: String) {
            guard let eq = text.firstIndex(of: "=") else { return nil }
            let name = String(text[..<eq])
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else { return nil }
            self.init(name: name, regex: String(text[text.index(after: eq)...]))
        }
    }

    /// Creates options.
    public init(builtIn: Bool = true, patterns: [Pattern] = [], fields: [String] = []) {
        self.builtIn = builtIn
        self.patterns = patterns
        self.fields = fields
    }

    /// Whether anything is redacted.
    public var isActive: Bool { builtIn || !patterns.isEmpty || !fields.isEmpty }
}

/// Why redaction rules could not be set up.
public enum RedactionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `--redact-pattern` regular expression does not compile.
    case invalidPattern(name: String, reason: String)
    /// A `--redact-field` path is empty or has an empty part.
    case invalidField(String)

    public var description: String {
        switch self {
        case .invalidPattern(let name, let reason): "the pattern \(name) is not a valid regular expression: \(reason)"
        case .invalidField(let path): "'\(path)' is not a field path such as metadata.user_email"
        }
    }
}

/// Which rules fired and how often: a report's redaction manifest. It never holds the values.
public struct RedactionManifest: Sendable, Equatable {
    /// One rule.
    public struct Entry: Sendable, Equatable {
        /// The rule's name, which is also the placeholders' prefix (`[email#3]`).
        public var name: String
        /// `built-in`, `pattern` or `field`.
        public var kind: String
        /// Occurrences replaced.
        public var count: Int
        /// Distinct values replaced.
        public var values: Int
    }

    /// Every rule applied, in the order they are applied, with zero counts included.
    public var entries: [Entry]

    /// Occurrences replaced over all rules.
    public var total: Int { entries.reduce(0) { $0 + $1.count } }
}
