public import TraceJSON
package import TraceModel

/// What is wrong with a record, or with one of its fields, as every adapter reports it.
///
/// An adapter throws it while reading a record. The caller turns ``message`` into an error
/// diagnostic at the record's line (or at ``line`` when the error knows a more precise one) and
/// skips the record; the native format instead drops only the field when the field is optional.
public struct FieldError: Error, Sendable, Equatable {
    /// The text users see: a lowercase clause naming the field, for example
    /// `"name" must be a string, found a number`.
    public var message: String
    /// The field's path in the record (`usage.input_tokens`), when one field is at fault.
    public var field: String?
    /// What the field must hold (`a string`), when a value of the wrong type was found.
    public var expected: String?
    /// The value found, when one field is at fault.
    public var found: JSONValue?
    /// What was wrong with the value, without the field's name: `must be a string, found a
    /// number`. A dropped field keeps it as its reason.
    public var reason: String?
    /// The line the problem is on, when it is not the record's own line (a part of a multipart
    /// body, say).
    public var line: Int?

    /// A problem described in full by `message`.
    package init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    /// A problem with one field: the message is the field's quoted name followed by `reason`.
    package init(field: String, _ reason: String, found: JSONValue? = nil, expected: String? = nil) {
        self.message = "\"\(field)\" \(reason)"
        self.field = field
        self.expected = expected
        self.found = found
        self.reason = reason
    }

    /// A required field that is absent or null: `missing required field "name"`.
    package static func missing(_ field: String) -> FieldError {
        var error = FieldError("missing required field \"\(field)\"")
        error.field = field
        return error
    }

    /// A field of the wrong type: `"name" must be a string, found a number`.
    package static func wrongType(_ field: String, expected: String, found: JSONValue) -> FieldError {
        FieldError(
            field: field, "must be \(expected), found \(found.typeNameWithArticle)", found: found, expected: expected)
    }

    /// A record that is not an object: `expected a span object, found an array`.
    package static func notAnObject(_ what: String, found: JSONValue) -> FieldError {
        FieldError("expected \(what), found \(found.typeNameWithArticle)")
    }

    /// An id that normalizes to nothing: `"spanId" is empty or all zeros`.
    package static func emptyID(_ field: String, found: JSONValue? = nil) -> FieldError {
        FieldError(field: field, "is empty or all zeros", found: found)
    }

    /// The error diagnostic for the record at `location` that this error made the adapter skip,
    /// at ``line`` when the error knows a more precise one.
    ///
    /// - Parameters:
    ///   - place: Where in the record the problem is, put before the message (`span 2: `).
    ///   - outcome: What was skipped, put after the message (`; span skipped`).
    package func diagnostic(at location: SourceLocation, place: String = "", outcome: String = "") -> Diagnostic {
        Diagnostic(
            .error, at: SourceLocation(file: location.file, line: line ?? location.line), place + message + outcome)
    }

    /// `text` in double quotes, cut to 60 characters with an ellipsis, for quoting a bad value.
    package static func quoted(_ text: String) -> String {
        "\"\(text.count > 60 ? String(text.prefix(60)) + "…" : text)\""
    }

    /// Compact JSON text of `value`, cut to 60 characters with an ellipsis.
    package static func shortJSON(_ value: JSONValue) -> String {
        let text = JSONWriter.write(value, pretty: false)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
