#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// GitHub-style pipe tables on top of CommonMark, which has none.
///
/// A pre-pass splits the text into table blocks and the Markdown between them. Markdown goes
/// through ``CommonMark`` as before; each table becomes a `<table>` whose cells are rendered
/// through ``CommonMark`` one by one as inline content, so a cell is escaped and its links made
/// safe exactly like any other text. Lines inside fenced code blocks are never tables.
///
/// A table is a header row, a delimiter row with the same number of cells (`---`, `:--`,
/// `:-:`, `--:`), and the rows after it up to the first blank line or line without a pipe.
/// Body rows are padded or cut to the header's width, as GitHub does.
package enum PipeTables {
    /// A column's alignment, from its delimiter cell.
    enum Alignment {
        case none, left, center, right
    }

    /// Renders Markdown with pipe tables to safe HTML bytes.
    package static func html(fromMarkdown text: String, cache: MarkdownCache? = nil) -> [UInt8] {
        func cmark(_ markdown: String) -> [UInt8] {
            if let cache { return CommonMark.html(from: markdown, cache: cache) }
            return CommonMark.html(fromUTF8: markdown.utf8)
        }
        guard containsPipe(text) else { return cmark(text) }
        let lines = Self.lines(text)
        var out: [UInt8] = []
        var pending: [Substring] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out += cmark(pending.joined(separator: "\n"))
            pending.removeAll()
        }
        var fence: (marker: Character, count: Int)? = nil
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let open = fence {
                pending.append(line)
                if let f = fenceMarker(line), f.marker == open.marker, f.count >= open.count,
                    f.rest.allSatisfy(\.isWhitespace)
                {
                    fence = nil
                }
                i += 1
                continue
            }
            if let f = fenceMarker(line) {
                fence = (f.marker, f.count)
                pending.append(line)
                i += 1
                continue
            }
            if i + 1 < lines.count, hasPipe(line), let header = cells(line),
                let alignments = delimiterRow(lines[i + 1]),
                header.count == alignments.count
            {
                var rows: [[Substring]] = []
                var j = i + 2
                while j < lines.count, hasPipe(lines[j]), !lines[j].allSatisfy(\.isWhitespace),
                    let row = cells(lines[j])
                {
                    rows.append(row)
                    j += 1
                }
                flush()
                out += table(header: header, alignments: alignments, rows: rows)
                i = j
                continue
            }
            pending.append(line)
            i += 1
        }
        flush()
        return out
    }

    /// Whether the UTF-8 of `text` holds a `|`.
    private static func containsPipe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: "|")), bytes.count) != nil
        }
    }

    /// Whether `line` holds a `|` Character. Most lines hold no `|` byte at all, which a byte
    /// search finds far faster than a walk over Characters; a `|` byte may still be part of a
    /// longer Character (a pipe with a combining mark), so a hit is confirmed by Characters.
    private static func hasPipe(_ line: Substring) -> Bool {
        let byte = line.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: "|")), bytes.count) != nil
        }
        return byte != false && line.contains("|")
    }

    /// The lines of `text`: the same as `text.split(omittingEmptySubsequences: false,
    /// whereSeparator: \.isNewline)`, found by one scan of the bytes instead of by Characters.
    ///
    /// The two agree because every Character that is a line break is a single scalar (or
    /// `"\r\n"`): line feed, vertical tab, form feed, carriage return, U+0085, U+2028 and U+2029
    /// are all grapheme-break controls, so no Character joins them to a neighbour.
    static func lines(_ text: String) -> [Substring] {
        var text = text
        var breaks: [(start: Int, end: Int)] = []
        text.withUTF8 { b in
            let n = b.count
            var i = 0
            while i < n {
                switch b[i] {
                case 0x0A, 0x0B, 0x0C:
                    breaks.append((i, i + 1))
                    i += 1
                case 0x0D:
                    let end = i + 1 < n && b[i + 1] == 0x0A ? i + 2 : i + 1
                    breaks.append((i, end))
                    i = end
                case 0xC2 where i + 1 < n && b[i + 1] == 0x85:
                    breaks.append((i, i + 2))
                    i += 2
                case 0xE2 where i + 2 < n && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                    breaks.append((i, i + 3))
                    i += 3
                default:
                    i += 1
                }
            }
        }
        let utf8 = text.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(breaks.count + 1)
        var start = utf8.startIndex
        for (lineEnd, next) in breaks {
            lines.append(text[start..<utf8.index(utf8.startIndex, offsetBy: lineEnd)])
            start = utf8.index(utf8.startIndex, offsetBy: next)
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    /// A fence opening or closing line: up to three spaces, then three or more backticks or tildes.
    private static func fenceMarker(_ line: Substring) -> (marker: Character, count: Int, rest: Substring)? {
        var s = line[...]
        var spaces = 0
        while spaces < 4, s.first == " " {
            s = s.dropFirst()
            spaces += 1
        }
        guard spaces < 4, let c = s.first, c == "`" || c == "~" else { return nil }
        let count = s.prefix { $0 == c }.count
        guard count >= 3 else { return nil }
        return (c, count, s.dropFirst(count))
    }

    /// The cells of a row: outer pipes removed, split on pipes not escaped with a backslash.
    static func cells(_ line: Substring) -> [Substring]? {
        var s = line.drop { $0 == " " || $0 == "\t" }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        guard !s.isEmpty else { return nil }
        // Four spaces of indent make a code block, not a table.
        if line.prefix(4).allSatisfy({ $0 == " " }) && line.count >= 4 { return nil }
        if s.first == "|" { s = s.dropFirst() }
        if s.last == "|" && !s.dropLast().hasSuffix("\\") { s = s.dropLast() }
        var result: [Substring] = []
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "\\" {
                i = s.index(after: i)
                if i < s.endIndex { i = s.index(after: i) }
                continue
            }
            if s[i] == "|" {
                result.append(s[start..<i])
                start = s.index(after: i)
            }
            i = s.index(after: i)
        }
        result.append(s[start..<s.endIndex])
        return result
    }

    /// The alignments of a delimiter row, or `nil` when the line is not one.
    static func delimiterRow(_ line: Substring) -> [Alignment]? {
        guard line.contains("-"), let cells = cells(line) else { return nil }
        var result: [Alignment] = []
        for cell in cells {
            let t = cell.trimmingSpaces
            guard !t.isEmpty else { return nil }
            let left = t.hasPrefix(":")
            let right = t.hasSuffix(":")
            let dashes = t.dropFirst(left ? 1 : 0).dropLast(right && t.count > 1 ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return result
    }

    private static func table(header: [Substring], alignments: [Alignment], rows: [[Substring]]) -> [UInt8] {
        var out = Array("<table>\n<thead>\n<tr>\n".utf8)
        for (k, cell) in header.enumerated() { appendCell(cell, tag: "th", alignment: alignments[k], to: &out) }
        out += Array("</tr>\n</thead>\n".utf8)
        if !rows.isEmpty {
            out += Array("<tbody>\n".utf8)
            for row in rows {
                out += Array("<tr>\n".utf8)
                for k in 0..<header.count {
                    appendCell(k < row.count ? row[k] : "", tag: "td", alignment: alignments[k], to: &out)
                }
                out += Array("</tr>\n".utf8)
            }
            out += Array("</tbody>\n".utf8)
        }
        out += Array("</table>\n".utf8)
        return out
    }

    private static func appendCell(_ cell: Substring, tag: String, alignment: Alignment, to out: inout [UInt8]) {
        out += Array("<\(tag)".utf8)
        switch alignment {
        case .none: break
        case .left: out += Array(" class=\"align-left\"".utf8)
        case .center: out += Array(" class=\"align-center\"".utf8)
        case .right: out += Array(" class=\"align-right\"".utf8)
        }
        out.append(UInt8(ascii: ">"))
        out += inlineHTML(cell.trimmingSpaces.replacingOccurrences(of: "\\|", with: "|"))
        out += Array("</\(tag)>\n".utf8)
    }

    /// A cell's content through cmark as one paragraph, its `<p>` removed. A cell that cmark
    /// reads as another block (a heading, a list) is escaped and shown as written.
    static func inlineHTML(_ text: String) -> [UInt8] {
        guard !text.isEmpty else { return [] }
        let html = CommonMark.html(fromUTF8: text.utf8)
        let open = Array("<p>".utf8)
        let close = Array("</p>\n".utf8)
        if html.starts(with: open), html.count >= open.count + close.count, Array(html.suffix(close.count)) == close {
            let inner = html[open.count..<(html.count - close.count)]
            if !String(decoding: inner, as: UTF8.self).contains("</p>") { return Array(inner) }
        }
        return escaped(text)
    }

    private static func escaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return out
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self.drop { $0 == " " || $0 == "\t" }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
