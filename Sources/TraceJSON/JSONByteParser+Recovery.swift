/// Error recovery for ``JSONByteParser``: where a failure is reported, its message, and where reading goes on.
extension JSONByteParser {
    /// Turns `failure` into an error with a line and column, drops the partial value and moves to the
    /// place to go on reading.
    mutating func recover(from failure: ParseFailure) -> JSONSyntaxError {
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

    /// The failure for a byte that is not what the grammar wants at `pos` (after whitespace).
    ///
    /// A line that starts with `{` or `[` there means the value was cut at the end of the previous line.
    func expected(_ message: String) -> ParseFailure {
        if pos >= end { return truncatedAtEnd() }
        if pos == lineStart, pos > recordStart, base[pos] == Byte.openBrace || base[pos] == Byte.openBracket {
            return ParseFailure(tokenEnd, "unexpected end of line (truncated value?)", resume: pos)
        }
        return ParseFailure(pos, message)
    }

    /// The failure for reaching the end inside a value (after whitespace).
    func truncatedAtEnd() -> ParseFailure {
        let crossedNewline = ByteScan.find(Byte.newline, base + tokenEnd, end - tokenEnd) != nil
        let message =
            crossedNewline ? "unexpected end of line (truncated value?)" : "unexpected end of input (truncated value?)"
        return ParseFailure(tokenEnd, message, resume: end)
    }

    func unexpectedValueByte() -> ParseFailure {
        let c = base[pos]
        if Self.isLetter(c) { return badWord(at: pos) }
        if c == Byte.singleQuote { return ParseFailure(pos, "strings must use double quotes") }
        if c == Byte.plus, word(at: pos + 1) == "Infinity" { return ParseFailure(pos, "Infinity is not valid JSON") }
        return expected("expected a value, found \(Self.describe(c))")
    }

    /// The failure for a bare word where a value should be.
    func badWord(at offset: Int) -> ParseFailure {
        let text = word(at: offset)
        switch text {
        case "NaN", "-NaN", "nan": return ParseFailure(offset, "NaN is not valid JSON")
        case "Infinity", "-Infinity", "inf", "-inf": return ParseFailure(offset, "Infinity is not valid JSON")
        default: return ParseFailure(offset, "invalid literal '\(text)'")
        }
    }

    /// The run of letters, digits and `_ . + -` at `offset`, at most 32 bytes.
    func word(at offset: Int) -> String {
        var p = offset
        while p < end, p - offset < 32, Self.isWordByte(base[p]) { p += 1 }
        return String(decoding: UnsafeBufferPointer(start: base + offset, count: p - offset), as: UTF8.self)
    }
}
