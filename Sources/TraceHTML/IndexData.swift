/// The data a large index carries in place of server-rendered rows: each run's table row and
/// each run's page body, deflated (zlib format) and base64-encoded, so the page's script can
/// inflate them with the browser's own `DecompressionStream('deflate')`.
///
/// Both are HTML escaped here, never by the script, joined with NUL bytes: rows are the `<tr>`
/// elements the small index renders (the script reads each run's id, status, page and cell
/// values from their attributes), in start order, ``rowsPerChunk`` to a chunk; page bodies are
/// in the same order, ``bodiesPerChunk`` to a chunk, so deflate shares context across similar
/// runs.
///
/// Before deflating, a chunk's digits are set apart (``separateDigits(_:)``): the markup
/// around the numbers then repeats from run to run, and deflate finds longer matches. On
/// 100,000 small agent runs this cut the page bodies by 23 % and the rows by 13 %.
package enum IndexData {
    /// Rows per deflated chunk of row data: the first chunk is drawn before the others inflate.
    package static let rowsPerChunk = 5000
    /// Page bodies per deflated chunk at most; opening a run inflates its chunk (about 2 MB of
    /// HTML for small runs).
    package static let bodiesPerChunk = 256
    /// Spans per chunk of page bodies: a chunk closes with the run that reaches this many. A
    /// body's size follows its span count, so chunks of long runs stay near ten megabytes (on
    /// the 200 MB agent benchmark, 256 runs made 36 MB chunks: a run opened slowly, and the two
    /// threads that deflate them waited on the last one). Small runs still fill 256 to a chunk:
    /// each chunk starts without context, and 1,024 spans made the bodies of 100,000 small runs
    /// 3.6 % larger.
    package static let bodySpansPerChunk = 2048

    /// The chunks of page bodies, as ranges of start-order positions, for runs of `spanCounts`
    /// spans in start order: each closes at ``bodiesPerChunk`` runs or ``bodySpansPerChunk``
    /// spans, so the chunks depend only on the runs.
    package static func bodyChunks(spanCounts: [Int]) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var first = 0
        var spans = 0
        for (i, count) in spanCounts.enumerated() {
            spans += count
            if i + 1 - first == bodiesPerChunk || spans >= bodySpansPerChunk {
                chunks.append(first..<(i + 1))
                first = i + 1
                spans = 0
            }
        }
        if first < spanCounts.count { chunks.append(first..<spanCounts.count) }
        return chunks
    }
    /// The zlib level.
    static let level: Int32 = 9

    /// HTML fragments joined with NUL bytes (a NUL inside one, which escaping never leaves,
    /// would become U+FFFD).
    package static func join(_ bodies: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bodies.reduce(0) { $0 + $1.count + 1 })
        for (i, body) in bodies.enumerated() {
            if i > 0 { out.append(0) }
            for b in body {
                if b == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { out.append(b) }
            }
        }
        return out
    }

    /// `fragments` joined (``join(_:)``), their digits set apart (``separateDigits(_:)``),
    /// compressed and base64-encoded, as ``pack(_:)`` does with the joined bytes, without holding
    /// the joined text: the digits are gathered from the fragments, then the markup is written
    /// straight after them.
    package static func pack(fragments: consuming [[UInt8]]) -> [UInt8] {
        let parts = separatedParts(fragments, replacingNUL: true)
        return base64(Deflate.compress(parts: [parts.digits, parts.markup], level: level))
    }

    /// The digits of `fragments` set apart (``separateDigits(_:)``) from the fragments joined
    /// with NUL bytes; with `replacingNUL`, a NUL inside a fragment becomes U+FFFD, as
    /// ``join(_:)`` writes it.
    static func separated(_ fragments: [[UInt8]], replacingNUL: Bool) -> [UInt8] {
        let parts = separatedParts(fragments, replacingNUL: replacingNUL)
        return parts.digits + parts.markup
    }

    /// ``separated(_:replacingNUL:)`` as its two parts, made in one pass: the digits with their
    /// line feed, and the markup. Bytes between digits are copied a run at a time, and each
    /// fragment is let go once copied (freed, when the caller passed its last copy).
    static func separatedParts(
        _ fragments: consuming [[UInt8]], replacingNUL: Bool
    ) -> (digits: [UInt8], markup: [UInt8]) {
        var fragments = fragments
        var digits: [UInt8] = []
        var markup: [UInt8] = []
        markup.reserveCapacity(fragments.reduce(fragments.count) { $0 + $1.count })
        var firstRun = true
        for f in fragments.indices {
            if f > 0 { markup.append(0) }
            let fragment = fragments[f]
            fragments[f] = []
            fragment.withUnsafeBufferPointer { p in
                let n = p.count
                var i = 0
                // Where the bytes copied as they are start.
                var plain = 0
                while i < n {
                    let b = p[i]
                    guard b &- 0x30 < 10 || b == 0x01 || (b == 0 && replacingNUL) else {
                        i += 1
                        continue
                    }
                    if plain < i { markup.append(contentsOf: UnsafeBufferPointer(rebasing: p[plain..<i])) }
                    i += 1
                    if b == 0 {
                        markup.append(0xEF)
                        markup.append(0xBF)
                        markup.append(0xBD)
                    } else {
                        if !firstRun { digits.append(UInt8(ascii: ",")) }
                        firstRun = false
                        markup.append(0x01)
                        if b != 0x01 {
                            let from = i - 1
                            while i < n, p[i] &- 0x30 < 10 { i += 1 }
                            digits.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<i]))
                        }
                    }
                    plain = i
                }
                if plain < n { markup.append(contentsOf: UnsafeBufferPointer(rebasing: p[plain..<n])) }
            }
        }
        digits.append(0x0A)
        return (digits, markup)
    }

    /// `bytes` with digits set apart (``separateDigits(_:)``), compressed in the zlib format, then
    /// base64-encoded.
    package static func pack(_ bytes: consuming [UInt8]) -> [UInt8] {
        let separated = separateDigits(bytes)
        _ = consume bytes
        return base64(deflate(separated))
    }

    /// The bytes ``pack(_:)`` was given, from its output decoded from base64; `nil` when they are
    /// not a whole zlib stream of digits set apart.
    package static func unpack(_ deflated: [UInt8]) -> [UInt8]? {
        inflate(deflated).flatMap(joinDigits)
    }

    /// `bytes` as two parts: first every run of ASCII digits, in order, joined with commas, and a
    /// line feed; then `bytes` with each run replaced by one U+0001 byte. A U+0001 byte already
    /// in `bytes` is kept as U+0001 with an empty run, so every input comes back whole.
    package static func separateDigits(_ bytes: [UInt8]) -> [UInt8] {
        separated([bytes], replacingNUL: false)
    }

    /// The bytes ``separateDigits(_:)`` was given; `nil` when `bytes` are not its output.
    package static func joinDigits(_ bytes: [UInt8]) -> [UInt8]? {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return nil }
        let numbers = bytes[..<newline].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + newline)
        var next = 0
        for b in bytes[(newline + 1)...] {
            guard b == 0x01 else {
                out.append(b)
                continue
            }
            // An empty list is one empty run: a chunk with no digits has an empty first part.
            guard next < numbers.count else { return nil }
            if numbers[next].isEmpty { out.append(0x01) } else { out.append(contentsOf: numbers[next]) }
            next += 1
        }
        return next == numbers.count || (next == 0 && newline == 0) ? out : nil
    }

    /// `bytes` compressed in the zlib format (RFC 1950), as `DecompressionStream('deflate')`
    /// reads it.
    package static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        Deflate.compress(bytes, level: level)
    }

    /// Inflates zlib-format `bytes`; `nil` when they are not a whole zlib stream.
    package static func inflate(_ bytes: [UInt8]) -> [UInt8]? {
        Deflate.decompress(bytes)
    }

    /// Standard base64 with padding.
    package static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        Base64.encode(bytes, into: &out)
        return out
    }
}

extension IndexData {
    /// The run page bodies a large `index.html` carries, by the page path its row links to
    /// (`runs/<name>.html`); empty for an index that carries none. A merge of report folders
    /// reads them to write the pages a large shard did not.
    package static func carriedBodies(inIndex html: [UInt8]) -> [String: [UInt8]] {
        let rows = chunks(in: html, type: "application/x-trace-report-rows")
        let bodies = chunks(in: html, type: "application/x-trace-report-bodies")
        guard !rows.isEmpty, rows.count == bodies.count else { return [:] }
        var result: [String: [UInt8]] = [:]
        // A row links to its page (`runs/NAME.html`), or, with no page written, to the run
        // opened in place (`#run/NAME`).
        let page = Array("href=\"runs/".utf8)
        let inPlace = Array("href=\"#run/".utf8)
        for (row, body) in zip(rows, bodies) {
            let name: ArraySlice<UInt8>
            if let start = firstRange(of: page, in: row) {
                let from = start + page.count
                guard let end = row[from...].firstIndex(of: UInt8(ascii: "\"")), end - from > 5 else { continue }
                name = row[from..<(end - 5)]
            } else if let start = firstRange(of: inPlace, in: row) {
                let from = start + inPlace.count
                guard let end = row[from...].firstIndex(of: UInt8(ascii: "\"")) else { continue }
                name = row[from..<end]
            } else {
                continue
            }
            result["runs/" + String(decoding: name, as: UTF8.self) + ".html"] = body
        }
        return result
    }

    /// The NUL-separated fragments of every `<script type="TYPE">` element, inflated, in order.
    private static func chunks(in html: [UInt8], type: String) -> [[UInt8]] {
        let open = Array("<script type=\"\(type)\"".utf8)
        let close = Array("</script>".utf8)
        var fragments: [[UInt8]] = []
        var p = 0
        while let start = firstRange(of: open, in: html[p...]) {
            guard let tagEnd = html[start...].firstIndex(of: UInt8(ascii: ">")),
                let end = firstRange(of: close, in: html[(tagEnd + 1)...])
            else { break }
            p = end + close.count
            guard let packed = Base64.decode(Array(html[(tagEnd + 1)..<end])), let raw = unpack(packed) else {
                return []
            }
            fragments.append(contentsOf: raw.split(separator: 0, omittingEmptySubsequences: false).map(Array.init))
        }
        return fragments
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            guard let hit = haystack[i...last].firstIndex(of: first) else { return nil }
            if haystack[hit..<(hit + needle.count)].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        firstRange(of: needle, in: haystack[...])
    }
}
