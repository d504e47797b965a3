/// A page template: text with `{{name}}` slots, filled with escaped text, and `{{{name}}}` slots,
/// filled with trusted markup (the report's own CSS, JS and rendered body).
///
/// Templates come from `templates/` and are compiled into the binary (see
/// `EmbeddedAssets+Generated.swift`); they are parsed once.
package struct PageTemplate: Sendable {
    /// A piece of a parsed template.
    package enum Piece: Sendable, Equatable {
        /// Literal template text.
        case literal([UInt8])
        /// A slot filled with escaped text.
        case escaped(String)
        /// A slot filled with trusted markup.
        case raw(String)
    }

    /// The template's pieces in order.
    package let pieces: [Piece]

    /// Parses a template.
    package init(_ text: String) {
        var pieces: [Piece] = []
        let bytes = Array(text.utf8)
        var literalStart = 0
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{") else {
                i += 1
                continue
            }
            let triple = i + 2 < bytes.count && bytes[i + 2] == UInt8(ascii: "{")
            let nameStart = i + (triple ? 3 : 2)
            var j = nameStart
            while j < bytes.count, bytes[j] != UInt8(ascii: "}") { j += 1 }
            let closeLength = triple ? 3 : 2
            guard j + closeLength <= bytes.count, bytes[j..<(j + closeLength)].allSatisfy({ $0 == UInt8(ascii: "}") })
            else {
                i += 1
                continue
            }
            if i > literalStart { pieces.append(.literal(Array(bytes[literalStart..<i]))) }
            let name = String(decoding: bytes[nameStart..<j], as: UTF8.self)
            pieces.append(triple ? .raw(name) : .escaped(name))
            i = j + closeLength
            literalStart = i
        }
        if literalStart < bytes.count { pieces.append(.literal(Array(bytes[literalStart...]))) }
        self.pieces = pieces
    }

    /// Renders the template with the trusted slot `slot` written in place by `fill`, so a long
    /// body is never built apart and then copied into the page.
    package func render(
        escaped: [String: String], raw: [String: [UInt8]], slot: String, into out: inout HTMLBuffer,
        fill: (inout HTMLBuffer) -> Void
    ) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.raw(bytes: bytes)
            case .escaped(let name): out.text(escaped[name] ?? "")
            case .raw(let name) where name == slot: fill(&out)
            case .raw(let name): out.raw(bytes: raw[name] ?? [])
            }
        }
    }

    /// Renders the template. A slot with no value renders as nothing.
    package func render(escaped: [String: String], raw: [String: [UInt8]], into out: inout HTMLBuffer) {
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.raw(bytes: bytes)
            case .escaped(let name): out.text(escaped[name] ?? "")
            case .raw(let name): out.raw(bytes: raw[name] ?? [])
            }
        }
    }
}
