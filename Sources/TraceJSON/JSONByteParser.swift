/// Byte values the parser looks for.
private enum Byte {
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

/// Strings at least this long (in source bytes) are interned.
private let internMinimumLength = 64

/// The parser state for one buffer.
///
/// See ``JSONStreamParser`` for the grammar and the recovery rules.
struct JSONByteParser: ~Copyable {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos = 0
    /// The line of `pos`.
    private var line: Int
    /// The offset where the line of `pos` starts (kept up to date when a newline is skipped).
    private var lineStart = 0
    /// Where the last token ended: the start of the whitespace most recently skipped.
    private var tokenEnd = 0
    /// Where the current top-level value started.
    private var recordStart = 0
    /// The first line start inside the current value where a line starting with `{` or `[` was read.
    ///
    /// Such a line, read after a `,`, `:`, `[` or `{`, is part of the value in valid JSON; but if the
    /// value then fails, it most likely was a truncated JSON Lines record and this is where the next
    /// record starts. -1 when there is none.
    private var suspect = -1
    private var suspectTokenEnd = 0

    private var values = RawStack<JSONValue>(capacity: 256)
    private var keys = RawStack<String>(capacity: 64)
    private var frames = RawStack<ParseFrame>(capacity: 32)
    private var longStrings: StringInterner
    private var keyStrings: StringInterner
    /// Where escaped strings are decoded before they become `String`s.
    private var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    private var scratchCapacity = 4096

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

    /// Turns `failure` into an error with a line and column, drops the partial value and moves to the
    /// place to go on reading.
    private mutating func recover(from failure: ParseFailure) -> JSONSyntaxError {
        values.removeAll()
        keys.removeAll()
        frames.removeAll()
        var failure = failure
        if suspect >= 0 {
            failure = ParseFailure(suspectTokenEnd, "unexpected end of line (truncated value?)", resume: suspect)
        }
        let errorLine = lineOf(failure.offset)
        let error = JSONSyntaxError(line: errorLine, column: columnOf(failure.offset), message: failure.message)
        if let resume = failure.resume {
            let resumeLine = lineOf(resume)
            pos = resume
            line = resumeLine
            lineStart = resume
        } else {
            resync(after: failure.offset, line: errorLine)
        }
        return error
    }

    /// Moves to the first line after the line of `offset` that starts with a byte other than whitespace,
    /// `}` and `]`, or to the end.
    private mutating func resync(after offset: Int, line offsetLine: Int) {
        var p = offset
        var n = offsetLine
        while true {
            guard p < end, let k = ByteScan.find(Byte.newline, base + p, end - p) else {
                pos = end
                line = n
                return
            }
            p += k + 1
            n += 1
            if p >= end {
                pos = end
                line = n
                lineStart = p
                return
            }
            let b = base[p]
            if !(b == Byte.space || b == Byte.tab || b == Byte.carriageReturn || b == Byte.newline
                || b == Byte.closeBrace || b == Byte.closeBracket)
            {
                pos = p
                line = n
                lineStart = p
                return
            }
        }
    }

    /// The line of `offset`, counted from the line of `pos`.
    private func lineOf(_ offset: Int) -> Int {
        if offset >= pos {
            return line + ByteScan.countNewlines(base + pos, min(offset, end) - pos)
        }
        return line - ByteScan.countNewlines(base + offset, pos - offset)
    }

    /// The 1-based byte column of `offset`.
    private func columnOf(_ offset: Int) -> Int {
        var p = min(offset, end)
        while p > 0, base[p - 1] != Byte.newline { p -= 1 }
        return min(offset, end) - p + 1
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

    // MARK: - Errors

    /// The failure for a byte that is not what the grammar wants at `pos` (after whitespace).
    ///
    /// A line that starts with `{` or `[` there means the value was cut at the end of the previous line.
    private func expected(_ message: String) -> ParseFailure {
        if pos >= end { return truncatedAtEnd() }
        if pos == lineStart, pos > recordStart, base[pos] == Byte.openBrace || base[pos] == Byte.openBracket {
            return ParseFailure(tokenEnd, "unexpected end of line (truncated value?)", resume: pos)
        }
        return ParseFailure(pos, message)
    }

    /// The failure for reaching the end inside a value (after whitespace).
    private func truncatedAtEnd() -> ParseFailure {
        let crossedNewline = ByteScan.find(Byte.newline, base + tokenEnd, end - tokenEnd) != nil
        let message =
            crossedNewline ? "unexpected end of line (truncated value?)" : "unexpected end of input (truncated value?)"
        return ParseFailure(tokenEnd, message, resume: end)
    }

    private func unexpectedValueByte() -> ParseFailure {
        let c = base[pos]
        if Self.isLetter(c) { return badWord(at: pos) }
        if c == Byte.singleQuote { return ParseFailure(pos, "strings must use double quotes") }
        if c == Byte.plus, word(at: pos + 1) == "Infinity" { return ParseFailure(pos, "Infinity is not valid JSON") }
        return expected("expected a value, found \(Self.describe(c))")
    }

    /// The failure for a bare word where a value should be.
    private func badWord(at offset: Int) -> ParseFailure {
        let text = word(at: offset)
        switch text {
        case "NaN", "-NaN", "nan": return ParseFailure(offset, "NaN is not valid JSON")
        case "Infinity", "-Infinity", "inf", "-inf": return ParseFailure(offset, "Infinity is not valid JSON")
        default: return ParseFailure(offset, "invalid literal '\(text)'")
        }
    }

    /// The run of letters, digits and `_ . + -` at `offset`, at most 32 bytes.
    private func word(at offset: Int) -> String {
        var p = offset
        while p < end, p - offset < 32, Self.isWordByte(base[p]) { p += 1 }
        return String(decoding: UnsafeBufferPointer(start: base + offset, count: p - offset), as: UTF8.self)
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool {
        b &- Byte.zero < 10
    }

    @inline(__always)
    private static func isWordByte(_ b: UInt8) -> Bool {
        isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == Byte.dot || b == Byte.plus || b == Byte.minus
    }

    private static func describe(_ b: UInt8) -> String {
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

    // MARK: - Strings

    /// Reads the string whose opening quote is at `pos` and moves past the closing quote.
    @inline(__always)
    private mutating func parseString(isKey: Bool) throws(ParseFailure) -> String {
        let quote = pos
        let start = pos + 1
        let scan = Self.scanString(base, end, from: start)
        let p = scan.stop
        switch scan.problem {
        case .none: break
        case .endOfInput: throw ParseFailure(quote, "unterminated string", resume: end)
        case .lineBreak: throw ParseFailure(quote, "unterminated string")
        case .controlCharacter:
            throw ParseFailure(p, "unescaped control character \(Self.describe(base[p])) in string")
        }
        let escaped = scan.escaped
        let length = p - start
        pos = p + 1
        let nonASCII = scan.nonASCII
        if isKey {
            let probe = keyStrings.find(offset: start, length: length)
            if let s = probe.string { return s }
            let s = try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
            keyStrings.insert(s, offset: start, length: length, probe: probe)
            return s
        }
        if length >= internMinimumLength {
            let probe = longStrings.find(offset: start, length: length)
            if let s = probe.string { return s }
            let s = try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
            longStrings.insert(s, offset: start, length: length, probe: probe)
            return s
        }
        return try makeString(start: start, length: length, escaped: escaped, nonASCII: nonASCII)
    }

    /// What ``scanString(_:_:from:)`` found.
    struct StringScan {
        enum Problem { case none, endOfInput, lineBreak, controlCharacter }
        /// The offset of the closing quote, or of the byte that is a problem.
        var stop: Int
        var nonASCII: Bool
        var escaped: Bool
        var problem: Problem
    }

    /// Finds the closing quote of a string whose contents start at `start`, eight bytes at a time.
    @inline(__always)
    static func scanString(_ base: UnsafePointer<UInt8>, _ end: Int, from start: Int) -> StringScan {
        var p = start
        var seen: UInt64 = 0
        var escaped = false
        while true {
            if p + 8 <= end {
                let w = ByteScan.load(base + p)
                let special =
                    ByteScan.zeroBytes(w ^ 0x2222_2222_2222_2222) | ByteScan.zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                    | ((w &- 0x2020_2020_2020_2020) & ~w & ByteScan.highBits)
                if special == 0 {
                    seen |= w
                    p += 8
                    continue
                }
                let k = special.trailingZeroBitCount >> 3
                seen |= w & ((1 &<< UInt64(k &* 8)) &- 1)
                p += k
            } else {
                guard p < end else {
                    return StringScan(stop: end, nonASCII: false, escaped: escaped, problem: .endOfInput)
                }
                let b = base[p]
                if b != Byte.quote, b != Byte.backslash, b >= 0x20 {
                    seen |= UInt64(b)
                    p += 1
                    continue
                }
            }
            let b = base[p]
            if b == Byte.quote {
                return StringScan(stop: p, nonASCII: seen & ByteScan.highBits != 0, escaped: escaped, problem: .none)
            }
            if b == Byte.backslash {
                escaped = true
                p += 1
                // A line break is never skipped as an escaped byte: strings do not span lines.
                if p < end, base[p] == Byte.newline || base[p] == Byte.carriageReturn {
                    return StringScan(stop: p, nonASCII: false, escaped: escaped, problem: .lineBreak)
                }
                p += 1
                continue
            }
            let problem: StringScan.Problem =
                b == Byte.newline || b == Byte.carriageReturn ? .lineBreak : .controlCharacter
            return StringScan(stop: p, nonASCII: false, escaped: escaped, problem: problem)
        }
    }

    /// Builds the string from its source bytes `base[start..<start + length]`, checking UTF-8 when
    /// `nonASCII`.
    @inline(__always)
    private mutating func makeString(
        start: Int, length: Int, escaped: Bool, nonASCII: Bool
    ) throws(ParseFailure)
        -> String
    {
        var bytes = UnsafeBufferPointer(start: base + start, count: length)
        if escaped {
            bytes = try decodeEscapes(start: start, length: length)
        }
        if !nonASCII {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        let bad = ByteScan.firstInvalidUTF8(base + start, length) ?? 0
        throw ParseFailure(start + bad, "invalid UTF-8 in string")
    }

    /// Decodes the escapes of `base[start..<start + length]` into the scratch buffer and returns the
    /// decoded bytes, valid until the next call.
    private mutating func decodeEscapes(start: Int, length: Int) throws(ParseFailure) -> UnsafeBufferPointer<UInt8> {
        if scratchCapacity < length {
            scratch.deallocate()
            scratchCapacity = max(length, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        let out = scratch
        var o = 0
        var i = start
        let stop = start + length
        while i < stop {
            let run = ByteScan.find(Byte.backslash, base + i, stop - i) ?? (stop - i)
            if run > 0 {
                (out + o).update(from: base + i, count: run)
                o += run
                i += run
                if i >= stop { break }
            }
            let e = base[i + 1]
            var byte: UInt8 = 0
            switch e {
            case Byte.quote, Byte.backslash, Byte.slash: byte = e
            case UInt8(ascii: "n"): byte = 0x0A
            case UInt8(ascii: "t"): byte = 0x09
            case UInt8(ascii: "r"): byte = 0x0D
            case UInt8(ascii: "b"): byte = 0x08
            case UInt8(ascii: "f"): byte = 0x0C
            case UInt8(ascii: "u"):
                guard i + 6 <= stop, let unit = Self.hex4(base + i + 2) else {
                    throw ParseFailure(i, "invalid \\u escape in string")
                }
                i += 6
                var scalar = unit
                if unit >= 0xD800, unit <= 0xDBFF {
                    if i + 6 <= stop, base[i] == Byte.backslash, base[i + 1] == UInt8(ascii: "u"),
                        let low = Self.hex4(base + i + 2), low >= 0xDC00, low <= 0xDFFF
                    {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if unit >= 0xDC00, unit <= 0xDFFF {
                    scalar = 0xFFFD
                }
                o += Self.encodeUTF8(scalar, into: out + o)
                continue
            default:
                throw ParseFailure(i, "invalid escape \(Self.describe(e)) in string")
            }
            out[o] = byte
            o += 1
            i += 2
        }
        return UnsafeBufferPointer(start: out, count: o)
    }

    @inline(__always)
    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case Byte.zero...Byte.nine: d = UInt32(c &- Byte.zero)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c &- UInt8(ascii: "a") &+ 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c &- UInt8(ascii: "A") &+ 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if scalar < 0x80 {
            out[0] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        if scalar < 0x10000 {
            out[0] = UInt8(0xE0 | (scalar >> 12))
            out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }
}
