/// Byte values the parser looks for.
enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let singleQuote = UInt8(ascii: "'")
}

/// Why a value did not parse, where to report it, and where to go on reading.
struct ParseFailure: Error {
    /// The offset to report.
    var offset: Int
    var message: String
    /// A line start (or the end) to go on reading at; `nil` means the next line after `offset` that
    /// starts with a value.
    var resume: Int?

    init(_ offset: Int, _ message: String, resume: Int? = nil) {
        self.offset = offset
        self.message = message
        self.resume = resume
    }
}

/// An array or object being read.
struct ParseFrame {
    var isObject: Bool
    var valueStart: Int
    var keyStart: Int
}

/// The parser state for one buffer.
///
/// See ``JSONStreamParser`` for the grammar and the recovery rules.
struct JSONByteParser: ~Copyable {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    /// The line of `pos`.
    var line: Int
    /// The offset where the line of `pos` starts (kept up to date when a newline is skipped).
    var lineStart = 0
    /// Where the last token ended: the start of the whitespace most recently skipped.
    var tokenEnd = 0
    /// Where the current top-level value started.
    var recordStart = 0
    /// The first line start inside the current value where a line starting with `{` or `[` was read.
    ///
    /// Such a line, read after a `,`, `:`, `[` or `{`, is part of the value in valid JSON; but if the
    /// value then fails, it most likely was a truncated JSON Lines record and this is where the next
    /// record starts. -1 when there is none.
    var suspect = -1
    var suspectTokenEnd = 0

    var values = RawStack<JSONValue>(capacity: 256)
    var keys = RawStack<String>(capacity: 64)
    var frames = RawStack<ParseFrame>(capacity: 32)
    var longStrings: StringInterner
    var keyStrings: StringInterner
    /// Where escaped strings are decoded before they become `String`s.
    var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    var scratchCapacity = 4096

    init(base: UnsafePointer<UInt8>, count: Int, firstLine: Int) {
        var start = base
        var n = count
        if n >= 3, start[0] == 0xEF, start[1] == 0xBB, start[2] == 0xBF {
            start += 3
            n -= 3
        }
        self.base = start
        self.end = n
        self.line = firstLine
        self.longStrings = StringInterner(base: start, capacity: 1024)
        self.keyStrings = StringInterner(base: start, capacity: 256)
    }

    deinit {
        scratch.deallocate()
    }

    // MARK: - Top level

    mutating func parseAll() -> JSONParseResult {
        var result = JSONParseResult()
        while true {
            skipWhitespace()
            guard pos < end else { break }
            let startLine = line
            recordStart = pos
            tokenEnd = pos
            suspect = -1
            do throws(ParseFailure) {
                let value = try parseValue()
                result.records.append(JSONRecord(value: value, line: startLine))
            } catch {
                result.errors.append(recover(from: error))
            }
        }
        return result
    }

    // MARK: - Values

    /// Reads one value starting at `pos` (at a non-whitespace byte) without recursion.
    private mutating func parseValue() throws(ParseFailure) -> JSONValue {
        value: while true {
            guard pos < end else { throw truncatedAtEnd() }
            let c = base[pos]
            switch c {
            case Byte.quote:
                values.push(.string(try parseString(isKey: false)))
            case Byte.openBrace:
                try checkDepth()
                pos += 1
                skipWhitespace()
                if pos < end, base[pos] == Byte.closeBrace {
                    pos += 1
                    values.push(.object(JSONObject()))
                } else {
                    noteSuspect()
                    frames.push(ParseFrame(isObject: true, valueStart: values.count, keyStart: keys.count))
                    try parseKey(afterComma: false)
                    continue value
                }
            case Byte.openBracket:
                try checkDepth()
                pos += 1
                skipWhitespace()
                if pos < end, base[pos] == Byte.closeBracket {
                    pos += 1
                    values.push(.array([]))
                } else {
                    noteSuspect()
                    frames.push(ParseFrame(isObject: false, valueStart: values.count, keyStart: keys.count))
                    continue value
                }
            case Byte.minus, Byte.zero...Byte.nine:
                values.push(.number(try parseNumber()))
            case UInt8(ascii: "t"):
                try expectLiteral(0x6575_7274, length: 4)  // "true"
                values.push(.bool(true))
            case UInt8(ascii: "f"):
                try expectLiteral(0x6573_6C61_66, length: 5)  // "false"
                values.push(.bool(false))
            case UInt8(ascii: "n"):
                try expectLiteral(0x6C6C_756E, length: 4)  // "null"
                values.push(.null)
            default:
                throw unexpectedValueByte()
            }

            // After a value: close containers until one wants another element.
            while true {
                guard frames.count > 0 else { return values.pop() }
                skipWhitespace()
                guard pos < end else { throw truncatedAtEnd() }
                let c = base[pos]
                let isObject = frames.top.isObject
                if c == Byte.comma {
                    pos += 1
                    skipWhitespace()
                    noteSuspect()
                    if isObject {
                        try parseKey(afterComma: true)
                    } else if pos < end, base[pos] == Byte.closeBracket {
                        throw ParseFailure(pos, "trailing comma before ']'")
                    }
                    continue value
                }
                if isObject {
                    guard c == Byte.closeBrace else { throw expected("expected ',' or '}' after object member") }
                    pos += 1
                    closeObject()
                } else {
                    guard c == Byte.closeBracket else { throw expected("expected ',' or ']' after array element") }
                    pos += 1
                    let frame = frames.pop()
                    let elements = values.moveOut(from: frame.valueStart)
                    values.push(.array(elements))
                }
            }
        }
    }

    @inline(__always)
    private mutating func closeObject() {
        let frame = frames.pop()
        let n = values.count - frame.valueStart
        let valueBase = values.base + frame.valueStart
        let keyBase = keys.base + frame.keyStart
        let members: [(key: String, value: JSONValue)] = ArrayBuilder.make(count: n) {
            (key: (keyBase + $0).move(), value: (valueBase + $0).move())
        }
        values.forget(from: frame.valueStart)
        keys.forget(from: frame.keyStart)
        values.push(.object(JSONObject(members)))
    }

    @inline(__always)
    private func checkDepth() throws(ParseFailure) {
        if frames.count >= JSONStreamParser.maximumDepth {
            throw ParseFailure(pos, "nesting deeper than \(JSONStreamParser.maximumDepth) levels")
        }
    }

    /// Reads `"key"` and the `:` after it, leaving `pos` at the member's value.
    @inline(__always)
    private mutating func parseKey(afterComma: Bool) throws(ParseFailure) {
        guard pos < end, base[pos] == Byte.quote else {
            if pos < end, afterComma, base[pos] == Byte.closeBrace {
                throw ParseFailure(pos, "trailing comma before '}'")
            }
            if pos < end, base[pos] == Byte.singleQuote {
                throw ParseFailure(pos, "strings must use double quotes")
            }
            throw expected(afterComma ? "expected string key after ','" : "expected string key or '}'")
        }
        keys.push(try parseString(isKey: true))
        if pos < end, base[pos] == Byte.colon {
            pos += 1
        } else {
            skipWhitespace()
            guard pos < end, base[pos] == Byte.colon else { throw expected("expected ':' after object key") }
            pos += 1
        }
        skipWhitespace()
        noteSuspect()
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        tokenEnd = pos
        while pos < end {
            let b = base[pos]
            if b > Byte.space { return }
            if b == Byte.space || b == Byte.tab || b == Byte.carriageReturn {
                pos += 1
            } else if b == Byte.newline {
                pos += 1
                line += 1
                lineStart = pos
            } else {
                return
            }
        }
    }

    @inline(__always)
    private mutating func noteSuspect() {
        if pos == lineStart, suspect < 0, pos > recordStart, pos < end,
            base[pos] == Byte.openBrace || base[pos] == Byte.openBracket
        {
            suspect = pos
            suspectTokenEnd = tokenEnd
        }
    }

    // MARK: - Byte classes

    static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool {
        b &- Byte.zero < 10
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == Byte.dot || b == Byte.plus || b == Byte.minus
    }

    static func describe(_ b: UInt8) -> String {
        if b > 0x20, b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" : "")\(hex)"
    }

    // MARK: - Scalars

    /// Checks the literal whose little-endian bytes are `pattern` at `pos` and moves past it.
    @inline(__always)
    private mutating func expectLiteral(_ pattern: UInt64, length: Int) throws(ParseFailure) {
        if pos + length <= end {
            var w: UInt64 = 0
            for i in 0..<length { w |= UInt64(base[pos + i]) << (UInt64(i) * 8) }
            if w == pattern, pos + length == end || !Self.isWordByte(base[pos + length]) {
                pos += length
                return
            }
        }
        throw badWord(at: pos)
    }

    private mutating func parseNumber() throws(ParseFailure) -> JSONNumber {
        let start = pos
        var p = pos
        if base[p] == Byte.minus {
            p += 1
            guard p < end else { throw ParseFailure(p, "unexpected end of input (truncated value?)", resume: end) }
            if Self.isLetter(base[p]) { throw badWord(at: start) }
        }
        let first = base[p]
        if first == Byte.zero {
            p += 1
            if p < end, Self.isDigit(base[p]) { throw ParseFailure(start, "leading zeros are not allowed in numbers") }
        } else if Self.isDigit(first) {
            p += 1
            while p < end, Self.isDigit(base[p]) { p += 1 }
        } else {
            throw ParseFailure(p, "expected digit after '-'")
        }
        if p < end, base[p] == Byte.dot {
            p += 1
            guard p < end, Self.isDigit(base[p]) else { throw ParseFailure(p, "expected digit after '.' in number") }
            while p < end, Self.isDigit(base[p]) { p += 1 }
        }
        if p < end, base[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < end, base[p] == Byte.plus || base[p] == Byte.minus { p += 1 }
            guard p < end, Self.isDigit(base[p]) else { throw ParseFailure(p, "expected digit in exponent") }
            while p < end, Self.isDigit(base[p]) { p += 1 }
        }
        if p < end, Self.isWordByte(base[p]) {
            throw ParseFailure(start, "invalid number '\(word(at: start))'")
        }
        pos = p
        return JSONNumber(
            text: String(decoding: UnsafeBufferPointer(start: base + start, count: p - start), as: UTF8.self))
    }
}
