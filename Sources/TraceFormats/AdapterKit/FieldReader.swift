import TraceJSON
import TraceModel

/// Typed reads of the fields of one JSON object in a record, throwing ``FieldError``s that name
/// each field by its path.
///
/// The optional readers return `nil` for a field that is absent or `null`; the required ones
/// throw ``FieldError/missing(_:)``. A value of another type throws
/// ``FieldError/wrongType(_:expected:found:)``. The static forms read a value already looked up
/// (under one of several spellings, say) and name it `field`.
struct FieldReader: Sendable {
    /// The object read.
    var object: JSONObject
    /// The object's path in the record, put before field names in errors: `usage` names the
    /// field `input_tokens` as `usage.input_tokens`.
    var path: String?

    /// A reader of `object`, found at `path` in the record (`nil` for the record itself).
    init(_ object: JSONObject, path: String? = nil) {
        self.object = object
        self.path = path
    }

    /// The path of the field `key`, as errors name it.
    func field(_ key: String) -> String {
        path.map { "\($0).\(key)" } ?? key
    }

    /// The value of `key`, or `nil` when it is absent or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// The string `key`, or `nil` when it is absent or `null`.
    func string(_ key: String) throws(FieldError) -> String? {
        try Self.string(object[key], field: field(key))
    }

    /// The string `key`.
    func requiredString(_ key: String) throws(FieldError) -> String {
        try Self.required(Self.string(object[key], field: field(key)), field(key))
    }

    /// The non-empty string `key`, for an id kept as written (``requiredID(_:field:byteCount:expected:)``
    /// normalizes one instead).
    func requiredNonEmptyString(_ key: String) throws(FieldError) -> String {
        let id = try requiredString(key)
        guard !id.isEmpty else { throw FieldError(field: field(key), "is empty", found: .string(id)) }
        return id
    }

    /// The number `key`, or `nil` when it is absent or `null`.
    func number(_ key: String) throws(FieldError) -> JSONNumber? {
        try Self.number(object[key], field: field(key))
    }

    /// The whole number `key`, or `nil` when it is absent or `null`.
    func integer(_ key: String) throws(FieldError) -> Int64? {
        try Self.integer(object[key], field: field(key))
    }

    /// The object `key`, or `nil` when it is absent or `null`.
    func object(_ key: String) throws(FieldError) -> JSONObject? {
        try Self.object(object[key], field: field(key))
    }

    /// The object `key`.
    func requiredObject(_ key: String) throws(FieldError) -> JSONObject {
        try Self.required(Self.object(object[key], field: field(key)), field(key))
    }

    /// The array `key`, or `nil` when it is absent or `null`.
    func array(_ key: String) throws(FieldError) -> [JSONValue]? {
        try Self.array(object[key], field: field(key))
    }

    /// The array `key`.
    func requiredArray(_ key: String) throws(FieldError) -> [JSONValue] {
        try Self.required(Self.array(object[key], field: field(key)), field(key))
    }

    // MARK: - Values already looked up

    /// The value under the first of `keys` that holds one other than `null`, for a field a
    /// format spells in more than one way (`traceID` and `traceId`).
    static func first(_ object: JSONObject, _ keys: String...) -> JSONValue? {
        for key in keys {
            if let value = object[key], !value.isNull { return value }
        }
        return nil
    }

    /// `value`, or ``FieldError/missing(_:)`` when it is `nil`.
    static func required<T>(_ value: T?, _ field: String) throws(FieldError) -> T {
        guard let value else { throw FieldError.missing(field) }
        return value
    }

    /// A string, or `nil` for an absent or `null` value.
    static func string(_ value: JSONValue?, field: String) throws(FieldError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw FieldError.wrongType(field, expected: "a string", found: other)
        }
    }

    /// A number, or `nil` for an absent or `null` value.
    static func number(_ value: JSONValue?, field: String) throws(FieldError) -> JSONNumber? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?: return n
        case let other?: throw FieldError.wrongType(field, expected: "a number", found: other)
        }
    }

    /// A whole number that fits in 64 bits, or `nil` for an absent or `null` value.
    static func integer(_ value: JSONValue?, field: String) throws(FieldError) -> Int64? {
        guard let n = try number(value, field: field) else { return nil }
        guard let v = n.int64 else {
            throw FieldError(field: field, "must be a whole number, found \(n.text)", found: .number(n))
        }
        return v
    }

    /// An object, or `nil` for an absent or `null` value.
    static func object(
        _ value: JSONValue?, field: String, expected: String = "an object"
    ) throws(FieldError) -> JSONObject? {
        switch value {
        case nil, .null?: return nil
        case .object(let o)?: return o
        case let other?: throw FieldError.wrongType(field, expected: expected, found: other)
        }
    }

    /// An array, or `nil` for an absent or `null` value.
    static func array(
        _ value: JSONValue?, field: String, expected: String = "an array"
    ) throws(FieldError) -> [JSONValue]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?: return items
        case let other?: throw FieldError.wrongType(field, expected: expected, found: other)
        }
    }

    /// The objects of an array, or `[]` for an absent or `null` value; an item that is not an
    /// object is wrong for the whole field (`must be an array of objects`).
    static func objects(_ value: JSONValue?, field: String) throws(FieldError) -> [JSONObject] {
        var objects: [JSONObject] = []
        for item in try array(value, field: field) ?? [] {
            guard case .object(let o) = item else {
                throw FieldError.wrongType(field, expected: "an array of objects", found: item)
            }
            objects.append(o)
        }
        return objects
    }

    // MARK: - Ids

    /// An id written as a string, normalized (``TraceIdentifiers/normalize(_:byteCount:)``);
    /// `nil` when absent, `null`, not a string, empty or all zeros. For formats whose ids are
    /// optional and whose records are kept whatever their ids hold.
    static func id(_ value: JSONValue?, byteCount: Int? = nil) -> String? {
        value?.stringValue.flatMap { TraceIdentifiers.normalize($0, byteCount: byteCount) }
    }

    /// A required id written as a string, normalized; absent or `null` is
    /// ``FieldError/missing(_:)``, empty or all zeros ``FieldError/emptyID(_:found:)``.
    static func requiredID(
        _ value: JSONValue?, field: String, byteCount: Int? = nil, expected: String = "a string"
    ) throws(FieldError) -> String {
        switch value {
        case .string(let s)?:
            guard let id = TraceIdentifiers.normalize(s, byteCount: byteCount) else {
                throw FieldError.emptyID(field, found: .string(s))
            }
            return id
        case nil, .null?: throw FieldError.missing(field)
        case let other?: throw FieldError.wrongType(field, expected: expected, found: other)
        }
    }
}
