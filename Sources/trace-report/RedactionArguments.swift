import ArgumentParser
import TraceModel

/// The share-time redaction options of `render` and `extract`.
struct RedactionArguments: ParsableArguments {
    @Flag(
        name: .customLong("redact"),
        help:
            "Replace API keys, tokens, private keys, e-mail addresses, phone and card numbers with placeholders such as [email#3] in every output."
    )
    var builtIn = false

    @Option(
        name: .customLong("redact-pattern"),
        help: ArgumentHelp("Also replace matches of REGEX, as [NAME#N]. Repeatable.", valueName: "name=regex"))
    var patterns: [String] = []

    @Option(
        name: .customLong("redact-field"),
        help: ArgumentHelp(
            "Replace the whole value at a field path, such as metadata.user_email or input. Repeatable.",
            valueName: "path"))
    var fields: [String] = []

    /// The options given, or `nil` when nothing is to be redacted.
    func options() throws -> RedactionOptions? {
        var parsed: [RedactionOptions.Pattern] = []
        for text in patterns {
            guard let pattern = RedactionOptions.Pattern(parsing: text) else {
                throw ValidationError(
                    "--redact-pattern takes NAME=REGEX (NAME of letters, digits, _ and -), got '\(text)'")
            }
            parsed.append(pattern)
        }
        let options = RedactionOptions(builtIn: builtIn, patterns: parsed, fields: fields)
        return options.isActive ? options : nil
    }

    /// A redactor for the options given, or `nil` when nothing is to be redacted.
    func redactor() throws -> Redactor? {
        guard let options = try options() else { return nil }
        do {
            return try Redactor(options: options)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
