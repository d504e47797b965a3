package import TraceJSON

/// JSON text for display, through ``JSONWriter``.
package enum JSONText {
    /// Pretty JSON with two-space indentation, members in written order.
    package static func pretty(_ value: JSONValue) -> String {
        JSONWriter.write(value, pretty: true)
    }

    /// JSON on one line.
    package static func compact(_ value: JSONValue) -> String {
        JSONWriter.write(value, pretty: false)
    }

    /// The JSON text of `value` as UTF-8.
    package static func bytes(_ value: JSONValue, pretty: Bool) -> [UInt8] {
        JSONWriter.bytes(value, pretty: pretty)
    }
}
