/// Writes JSON text for values: pretty-printed (two-space indentation, up to
/// ``maxIndentLevels`` levels) or compact, members in written order.
///
/// Printing works on UTF-8 bytes and uses an explicit stack, so deeply nested values cannot
/// overflow a thread's stack.
public enum JSONWriter {
    /// The deepest level indented when pretty-printing; deeper levels keep this indentation, so
    /// a value nested thousands of levels deep prints in size linear in the value, not in
    /// depth times lines.
    public static let maxIndentLevels = 32

    /// JSON text for `value`.
    public static func write(_ value: JSONValue, pretty: Bool) -> String {
        String(decoding: bytes(value, pretty: pretty), as: UTF8.self)
    }

    private enum Frame {
        case array([JSONValue], Int)
        case object([(key: String, value: JSONValue)], Int)
    }

    /// The JSON text of `root` as UTF-8.
    ///
    /// - Parameter lineDepth: When pretty-printing, the deepest level whose members get lines
    ///   of their own; values nested deeper are written compact, on their parent's line (2 puts
    ///   each element of a top-level member's array on one line).
    public static func bytes(_ root: JSONValue, pretty: Bool, lineDepth: Int = .max) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var stack: [Frame] = []
        func newline(_ depth: Int) {
            guard pretty, depth <= lineDepth else { return }
            out.append(0x0A)
            for _ in 0..<min(depth, maxIndentLevels) {
                out.append(0x20)
                out.append(0x20)
            }
        }
        func literal(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        // Writes a scalar, or opens a container and pushes it.
        func open(_ value: JSONValue) {
            switch value {
            case .null: literal("null")
            case .bool(let b): literal(b ? "true" : "false")
            case .number(let n): out.append(contentsOf: n.text.utf8)
            case .string(let s): appendQuoted(s, to: &out)
            case .array(let items):
                if items.isEmpty {
                    literal("[]")
                } else {
                    out.append(UInt8(ascii: "["))
                    stack.append(.array(items, 0))
                }
            case .object(let o):
                if o.members.isEmpty {
                    literal("{}")
                } else {
                    out.append(UInt8(ascii: "{"))
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
                    if depth <= lineDepth { newline(depth - 1) }
                    out.append(UInt8(ascii: "]"))
                    continue
                }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth)
                stack.append(.array(items, i + 1))
                open(items[i])
            case .object(let members, let i):
                if i == members.count {
                    if depth <= lineDepth { newline(depth - 1) }
                    out.append(UInt8(ascii: "}"))
                    continue
                }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth)
                appendQuoted(members[i].key, to: &out)
                out.append(UInt8(ascii: ":"))
                if pretty, depth <= lineDepth { out.append(0x20) }
                stack.append(.object(members, i + 1))
                open(members[i].value)
            }
        }
        return out
    }

    /// Appends `s` as a JSON string literal.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                out.append(UInt8(ascii: "\\"))
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(c)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
