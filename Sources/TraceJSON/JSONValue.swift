/// A JSON value read from a trace file.
///
/// Objects keep their members in the order they were written, so output built from a value is
/// deterministic. Numbers keep the exact text they were written with, so 128-bit decimal ids and
/// money amounts are never rounded through `Double`.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as written.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in written order.
    case object(JSONObject)
}

/// A JSON number that keeps its source text.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number exactly as written in the source, for example `-12.5e3`.
    public let text: String

    /// Creates a number from its JSON text. The text is not validated.
    public init(text: String) {
        self.text = text
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// The value as a `Double` (rounded for very long numbers).
    public var double: Double {
        Double(text) ?? .nan
    }

    /// The value as an `Int64` when it is a whole number that fits, otherwise `nil`.
    public var int64: Int64? {
        if let v = Int64(text) { return v }
        let d = double
        if d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
        return nil
    }

    /// Whether the text has no fraction or exponent.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    public var description: String { text }
}

/// A JSON object: members in written order. Lookups return the last member with a key, as most
/// JSON readers do.
public struct JSONObject: Sendable, Equatable {
    /// The members, in written order.
    public var members: [(key: String, value: JSONValue)]

    /// Creates an object from members in order.
    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The value of the last member named `key`.
    public subscript(key: String) -> JSONValue? {
        for i in members.indices.reversed() where members[i].key == key {
            return members[i].value
        }
        return nil
    }

    /// Appends the members of `other` whose keys this object does not have (compared as
    /// bytes), in order; linear in both sizes.
    public mutating func appendMissing(from other: [(key: String, value: JSONValue)]) {
        guard !other.isEmpty else { return }
        var keys: Set<[UInt8]> = []
        keys.reserveCapacity(members.count + other.count)
        for m in members { keys.insert(Array(m.key.utf8)) }
        for m in other where keys.insert(Array(m.key.utf8)).inserted { members.append(m) }
    }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The number of members.
    public var count: Int { members.count }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (a, b) in zip(lhs.members, rhs.members) where a.key != b.key || a.value != b.value {
            return false
        }
        return true
    }
}

extension JSONValue {
    /// The member `key` of an object, or `nil` for other values.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string, or `nil` if this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, or `nil` if this is not a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The object, or `nil` if this is not an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array, or `nil` if this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name for the value's type, used in messages: "string", "number", "object"….
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The type name as a message reads it after "found": "a string", "an object", "null".
    package var typeNameWithArticle: String {
        switch self {
        case .null: "null"
        case .array, .object: "an \(typeName)"
        default: "a \(typeName)"
        }
    }
}
