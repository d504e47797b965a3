package import TraceJSON

/// JSON text for values: pretty-printed for display, compact for keys and copies.
///
/// Printing uses an explicit stack, so deeply nested values cannot overflow a thread's stack.
package enum JSONText {
    /// Pretty JSON with two-space indentation, members in written order.
    package static func pretty(_ value: JSONValue) -> String {
        write(value, pretty: true)
    }

    /// JSON on one line.
    package static func compact(_ value: JSONValue) -> String {
        write(value, pretty: false)
    }

    private enum Frame {
        case array([JSONValue], Int)
        case object([(key: String, value: JSONValue)], Int)
    }

    private static func write(_ root: JSONValue, pretty: Bool) -> String {
        var out = ""
        var stack: [Frame] = []
        func newline(_ depth: Int) {
            guard pretty else { return }
            out.append("\n")
            for _ in 0..<depth { out.append("  ") }
        }
        // Writes a scalar, or opens a container and pushes it.
        func open(_ value: JSONValue) {
            switch value {
            case .null: out.append("null")
            case .bool(let b): out.append(b ? "true" : "false")
            case .number(let n): out.append(n.text)
            case .string(let s): appendQuoted(s, to: &out)
            case .array(let items):
                if items.isEmpty {
                    out.append("[]")
                } else {
                    out.append("[")
                    stack.append(.array(items, 0))
                }
            case .object(let o):
                if o.members.isEmpty {
                    out.append("{}")
                } else {
                    out.append("{")
                    stack.append(.object(o.members, 0))
                }
            }
        }
        open(root)
        while let frame = stack.popLast() {
            let depth = stack.count + 1
            switch frame {
            case .array(let items, let i):
                if i == items.count {
                    newline(depth - 1)
                    out.append("]")
                    continue
                }
                if i > 0 { out.append(",") }
                newline(depth)
                stack.append(.array(items, i + 1))
                open(items[i])
            case .object(let members, let i):
                if i == members.count {
                    newline(depth - 1)
                    out.append("}")
                    continue
                }
                if i > 0 { out.append(",") }
                newline(depth)
                appendQuoted(members[i].key, to: &out)
                out.append(pretty ? ": " : ":")
                stack.append(.object(members, i + 1))
                open(members[i].value)
            }
        }
        return out
    }

    /// Appends `s` as a JSON string literal.
    package static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        var plainStart = s.unicodeScalars.startIndex
        var i = plainStart
        let scalars = s.unicodeScalars
        while i < scalars.endIndex {
            let c = scalars[i]
            let escape: String?
            switch c {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escape = nil
                }
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[plainStart..<i])
                out.append(escape)
                i = scalars.index(after: i)
                plainStart = i
            } else {
                i = scalars.index(after: i)
            }
        }
        out.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        out.append("\"")
    }
}
