/// Options for ``CommonMark/html(from:options:)``.
///
/// Only options that keep the output safe are offered: there is no way to
/// pass raw HTML through, and source positions are never emitted, so the
/// output depends only on the Markdown text, these options and the libcmark
/// version. The raw values are this type's own bit positions, not cmark's, so
/// no raw value can switch on an option this type does not list.
public struct CommonMarkOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Converts straight quotes to curly ones, `---` to em dashes and `--` to en dashes.
    public static let smart = CommonMarkOptions(rawValue: 1 << 0)

    /// Renders every soft line break as `<br />`, as chat clients usually do.
    public static let hardBreaks = CommonMarkOptions(rawValue: 1 << 1)

    /// Renders every soft line break as a space.
    ///
    /// Ignored when ``hardBreaks`` is also set.
    public static let noBreaks = CommonMarkOptions(rawValue: 1 << 2)

    /// Replaces invalid UTF-8 in the input with U+FFFD before parsing.
    ///
    /// A Swift `String` is always valid UTF-8, so this only matters for
    /// ``CommonMark/html(fromUTF8:options:)``, which always turns it on.
    public static let validateUTF8 = CommonMarkOptions(rawValue: 1 << 3)

    /// Plain CommonMark: no smart punctuation, soft breaks rendered as newlines.
    public static let `default`: CommonMarkOptions = []
}
