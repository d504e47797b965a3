import TraceJSON
public import TraceModel

/// The read and decode stages for one input: bytes in, normalized spans and diagnostics out.
///
/// The format is the one given, or else detected from the file's first JSON value among
/// ``candidates``. Large inputs are cut at record boundaries and the pieces are parsed and
/// decoded on up to ``jobs`` threads; the result is the same, in the same order, whatever the
/// number of jobs.
public struct TraceDecoder: Sendable {
    /// The most threads to use.
    public var jobs: Int
    /// The format to read, or `nil` to detect it per file.
    public var format: (any TraceFormatDecoder)?
    /// The formats detection chooses from, in order of preference.
    public var candidates: [any TraceFormatDecoder]
    /// Called with the size of each piece of input once it is decoded, from any thread.
    public var onDecoded: (@Sendable (Int) -> Void)?

    /// Pieces smaller than this are not worth a thread.
    static let minimumPieceBytes = 1 << 20

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - format: The format of every input, or `nil` to detect each file's format.
    ///   - candidates: The formats to detect among.
    ///   - jobs: The most threads to use.
    public init(
        format: (any TraceFormatDecoder)? = nil, candidates: [any TraceFormatDecoder] = [NativeTraceDecoder()],
        jobs: Int = 1
    ) {
        self.format = format
        self.candidates = candidates
        self.jobs = max(1, jobs)
    }

    /// Whether a file starting with `head` must be decoded whole (an archive, a multipart body)
    /// rather than piece by piece.
    public func readsWhole(_ head: UnsafeRawBufferPointer) -> Bool {
        (format.map { [$0] } ?? candidates).contains { $0.matches(bytes: head) }
    }

    /// Decodes the bytes of `file` (the name is used only in diagnostics).
    public func decode(_ bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        if let archive = (format.map { [$0] } ?? candidates).first(where: { $0.matches(bytes: bytes) }) {
            return archive.decode(bytes: bytes, file: file)
        }
        if let encoding = Self.utf16Encoding(bytes) {
            return Self.notUTF8(file: file, encoding: encoding)
        }
        if let text = Self.withLoneCarriageReturnsAsNewlines(bytes) {
            return text.withUnsafeBytes { decodeText($0, file: file) }
        }
        return decodeText(bytes, file: file)
    }

    /// The result for a file in another encoding: one error, no spans.
    static func notUTF8(file: String, encoding: String) -> DecodedTrace {
        var result = DecodedTrace()
        result.diagnostics.append(
            Diagnostic(
                .error, at: SourceLocation(file: file, line: 1),
                "the file is \(encoding), not UTF-8; convert it (for example iconv -f \(encoding) -t UTF-8); file skipped"
            )
        )
        return result
    }

    /// `UTF-16LE` or `UTF-16BE` when the bytes start with that byte order mark, or look like
    /// UTF-16 text (a zero byte beside each of the first ASCII characters).
    static func utf16Encoding(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count >= 2 else { return nil }
        if bytes[0] == 0xFF && bytes[1] == 0xFE { return "UTF-16LE" }
        if bytes[0] == 0xFE && bytes[1] == 0xFF { return "UTF-16BE" }
        guard bytes.count >= 4 else { return nil }
        if bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 { return "UTF-16LE" }
        if bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 { return "UTF-16BE" }
        return nil
    }

    /// How many values at the start of a file detection looks at for the first that is a trace.
    static let detectionWindow = 1000

    /// The format of the first value among the first ``detectionWindow`` that any candidate
    /// reads, so a stray first line (`1`, `null`, a log header object) does not hide the file.
    /// A value with every field a native span requires is native even when it carries keys
    /// another format is known by.
    func detect(_ records: [JSONRecord]) -> (any TraceFormatDecoder)? {
        let native = candidates.first { $0 is NativeTraceDecoder }
        for record in records.prefix(Self.detectionWindow) {
            if let native, NativeTraceDecoder.isSpan(record.value) { return native }
            if let found = candidates.first(where: { $0.matches(record.value) }) { return found }
        }
        return nil
    }

    /// A copy of `bytes` with each carriage return that is not followed by a line feed turned
    /// into a line feed, or `nil` when there is none. Files with CR-only line endings (old Mac
    /// style) then read line by line, so a broken record costs only its own line. A raw CR is
    /// never valid inside a JSON string, so no valid value changes.
    static func withLoneCarriageReturnsAsNewlines(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let n = bytes.count
        var p = 0
        var firstLone = -1
        while p < n, let k = ByteScan.find(0x0D, base + p, n - p) {
            let at = p + k
            if at + 1 >= n || base[at + 1] != 0x0A {
                firstLone = at
                break
            }
            p = at + 1
        }
        guard firstLone >= 0 else { return nil }
        var copy = [UInt8](bytes)
        for i in firstLone..<n where copy[i] == 0x0D && (i + 1 >= n || copy[i + 1] != 0x0A) {
            copy[i] = 0x0A
        }
        return copy
    }

    private func decodeText(_ bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        var state = PieceState()
        state.wholeFile = true
        return decodeText(bytes, file: file, state: &state)
    }

    /// What decoding a file piece by piece carries from one piece to the next.
    public struct PieceState: Sendable {
        /// The line the next piece starts on.
        public internal(set) var nextLine = 1
        /// The format found in an earlier piece.
        var chosen: (any TraceFormatDecoder)?
        /// Whether the file was found to be of no known format: later pieces are skipped.
        var skipped = false
        /// Whether the text is the whole file (a file whose first piece holds no value then
        /// ends there, as it always has).
        var wholeFile = false
        /// Whether some piece was read with its lone carriage returns as line feeds, so its
        /// line numbers count lines the file's bytes do not end.
        public internal(set) var rewroteLineEnds = false

        /// The format decoding chose (or was given), once a piece held a value.
        public var format: (any TraceFormatDecoder)? { chosen }

        /// The state before a file's first piece.
        public init() {}
    }

    /// Decodes the next piece of a file read piece by piece (each piece ending at a record
    /// boundary, as ``JSONStreamParser/lateRecordBoundary(_:)`` finds): the spans and
    /// diagnostics, with the file's line numbers, that decoding the whole file gives for it.
    /// Archives and compressed files must be decoded whole, with ``decode(_:file:)-(UnsafeRawBufferPointer,_)``.
    public func decodePiece(_ bytes: UnsafeRawBufferPointer, file: String, state: inout PieceState) -> DecodedTrace {
        guard !state.skipped else { return DecodedTrace() }
        if state.nextLine == 1, state.chosen == nil, let encoding = Self.utf16Encoding(bytes) {
            state.skipped = true
            return Self.notUTF8(file: file, encoding: encoding)
        }
        if let text = Self.withLoneCarriageReturnsAsNewlines(bytes) {
            state.rewroteLineEnds = true
            return text.withUnsafeBytes { decodeText($0, file: file, state: &state) }
        }
        return decodeText(bytes, file: file, state: &state)
    }

    /// Decodes records read again from a file decoded piece by piece with `format`: `bytes`
    /// starts at the start of line `firstLine` and ends at a record boundary. The spans are
    /// those decoding the whole piece gave for these records, with the same line numbers.
    public func decodeRecords(
        _ bytes: UnsafeRawBufferPointer, firstLine: Int, file: String, format: any TraceFormatDecoder
    ) -> DecodedTrace {
        decodeParsed(JSONStreamParser.parse(bytes, firstLine: firstLine), with: format, file: file)
    }

    private func decodeText(_ bytes: UnsafeRawBufferPointer, file: String, state: inout PieceState) -> DecodedTrace {
        let lineOffset = state.nextLine - 1
        if let base = bytes.baseAddress {
            state.nextLine += ByteScan.countNewlines(base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        // Once the format is known every part is decoded in parallel. Before, the first part is
        // parsed alone (its first value tells the format), so it is made small: the piece is
        // cut in four parts a thread.
        let known = format ?? state.chosen
        let wanted = max(1, min(known == nil && jobs > 1 ? 4 * jobs : jobs, bytes.count / Self.minimumPieceBytes))
        let pieces = JSONStreamParser.split(bytes, into: wanted).map { ($0.offset, $0.firstLine + lineOffset) }
        let base = UInt(bitPattern: bytes.baseAddress)
        let count = bytes.count
        /// Parses and decodes parts `first...` on up to `jobs` threads, in order.
        func decodeParts(from first: Int, with chosen: any TraceFormatDecoder) -> [DecodedTrace] {
            ParallelRunner.map(count: pieces.count - first, jobs: jobs) { k in
                let index = first + k
                let from = pieces[index].0
                let to = index + 1 < pieces.count ? pieces[index + 1].0 : count
                let slice = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base)! + from, count: to - from)
                let decoded = decodeParsed(
                    JSONStreamParser.parse(slice, firstLine: pieces[index].1), with: chosen, file: file)
                onDecoded?(to - from)
                return decoded
            }
        }
        var merged = DecodedTrace()
        if let known {
            for result in decodeParts(from: 0, with: known) { merged.append(result) }
            return merged
        }
        // The first part is parsed first: its first value tells the format.
        let firstEnd = pieces.count > 1 ? pieces[1].0 : count
        let firstParse = JSONStreamParser.parse(
            UnsafeRawBufferPointer(rebasing: bytes[pieces[0].0..<firstEnd]), firstLine: pieces[0].1)
        let chosen: any TraceFormatDecoder
        if let firstRecord = firstParse.records.first {
            guard let detected = detect(firstParse.records) else {
                state.skipped = true
                var result = decodeParsed(
                    JSONParseResult(records: [], errors: firstParse.errors), with: NativeTraceDecoder(), file: file)
                result.diagnostics.append(unrecognized(firstRecord, file: file))
                result.diagnostics.sort { $0.location.line < $1.location.line }
                return result
            }
            chosen = detected
        } else {
            // No value parsed: report the syntax errors as they are.
            if state.wholeFile { state.skipped = true }
            return decodeParsed(firstParse, with: candidates.first ?? NativeTraceDecoder(), file: file)
        }
        state.chosen = chosen
        merged.append(decodeParsed(firstParse, with: chosen, file: file))
        onDecoded?(firstEnd - pieces[0].0)
        if pieces.count > 1 {
            for result in decodeParts(from: 1, with: chosen) { merged.append(result) }
        }
        return merged
    }

    /// Decodes JSON text held in an array.
    public func decode(_ bytes: [UInt8], file: String) -> DecodedTrace {
        bytes.withUnsafeBytes { decode($0, file: file) }
    }

    private func unrecognized(_ record: JSONRecord, file: String) -> Diagnostic {
        let expected = candidates.map { "\($0.formatName) (\($0.shapeDescription))" }.joined(separator: "; ")
        var found = record.value.typeName
        if case .object(let o) = record.value {
            let keys = o.members.prefix(6).map { "\"\($0.key)\"" }.joined(separator: ", ")
            found = o.members.isEmpty ? "an empty object" : "an object with keys \(keys)\(o.count > 6 ? ", …" : "")"
        }
        return Diagnostic(
            .error,
            at: SourceLocation(file: file, line: record.line),
            "unrecognized trace format: found \(found); expected one of: \(expected); name the format with --format; file skipped"
        )
    }

    private func decodeParsed(
        _ parsed: JSONParseResult, with format: any TraceFormatDecoder, file: String
    ) -> DecodedTrace {
        var decoded = format.decode(parsed.records, file: file)
        if !parsed.errors.isEmpty {
            var syntax = parsed.errors.map {
                Diagnostic(
                    .error, at: SourceLocation(file: file, line: $0.line),
                    "\($0.message) (column \($0.column)); line skipped")
            }
            syntax.append(contentsOf: decoded.diagnostics)
            syntax.sort { $0.location.line < $1.location.line }
            decoded.diagnostics = syntax
        }
        return decoded
    }
}
