import TraceFormats
import TraceJSON
public import TraceModel

/// Told how far reading has come, from any thread (a progress line, for example).
public protocol LoadProgress: Sendable {
    /// `bytes` more of the input were decoded.
    func addBytesRead(_ bytes: Int64)
    /// `bytes` of the input were decoded in all, counting every input done so far.
    func setBytesRead(_ bytes: Int64)
}

/// The first stages of every report, as one value transform: inputs in; decoded, assembled and
/// analyzed runs and every diagnostic out. `render`, `diff`, `extract` and `merge` all load
/// through it, and so can a program using the library.
public struct Pipeline: Sendable {
    /// The format of every input, or `nil` to detect each input's own.
    public var format: (any TraceFormatDecoder)?
    /// The most threads any stage uses.
    public var jobs: Int
    /// Told how many bytes were decoded, as they are.
    public var progress: (any LoadProgress)?
    /// Whether large plain files release their spans' inputs and outputs once decoded, to be
    /// read again when runs are rendered (``Loaded/contentSource``). Off by default: the runs
    /// loaded are then whole.
    public var releasesContent = false

    /// Creates a pipeline reading `format` (or any known format) on up to `jobs` threads.
    public init(format: (any TraceFormatDecoder)? = nil, jobs: Int = 1) {
        self.format = format
        self.jobs = max(1, jobs)
    }

    /// What loading produced.
    public struct Loaded: Sendable {
        /// The runs, analyzed, in the order a report lists them.
        public var runs: [AnalyzedRun]
        /// Every diagnostic of decoding and assembly, in order.
        public var diagnostics: [Diagnostic]
        /// The number of span records decoded (before records of one span were merged).
        public var spanRecords: Int
        /// The diagnostics as the report shows them: by kind, each with its run where known.
        public var problems: ReportProblems
        /// Where the runs' span inputs and outputs are read again, when loading released them
        /// (see ``releasesContent``); `nil` when the runs are whole.
        public var contentSource: ContentSource?
    }

    /// What decoding produced, before assembly.
    public struct Decoded: Sendable {
        /// The decoded spans, run facts and diagnostics of every input, in input order.
        public var trace = DecodedTrace()
        /// The trace id written on each line a diagnostic names, read while its text was at hand.
        var lineTraceIDs: [SourceLocation: String] = [:]
        /// Where released span inputs and outputs are read again.
        var contentSource: ContentSource?
    }

    /// Decodes, assembles and analyzes `inputs`. Each input's bytes are released as soon as it is
    /// decoded (pass the array with `consume`), so the text of one input and the spans of all are
    /// what loading holds at most.
    public func load(_ inputs: consuming [TraceInput], extraRunInfo: [RunInfo] = []) -> Loaded {
        assemble(decode(consume inputs), extraRunInfo: extraRunInfo)
    }

    /// Decodes `inputs` (pass the array with `consume` to release each input once decoded).
    public func decode(_ inputs: consuming [TraceInput]) -> Decoded {
        let decoder = TraceDecoder(format: format, candidates: TraceFormats.all, jobs: jobs)
        // Content is released only when every input is a large plain file read in pieces.
        if releasesContent,
            inputs.allSatisfy({ input in
                input.pieceReader.map { reader in !reader.head.withUnsafeBytes { decoder.readsWhole($0) } } ?? false
            })
        {
            let all = inputs
            if let decoded = decode(consume inputs, decoder: decoder, recorder: ContentSource.Recorder()) {
                return decoded
            }
            // A piece could not be read again by record after content was released: read it all
            // again, keeping content.
            return decode(all, decoder: decoder, recorder: nil)!
        }
        return decode(consume inputs, decoder: decoder, recorder: nil)!
    }

    /// Decodes `inputs`, releasing content through `recorder` when one is given while every
    /// piece can be read again by record; `nil` when a piece could not be after content was
    /// released.
    private func decode(
        _ inputs: consuming [TraceInput], decoder: TraceDecoder, recorder: ContentSource.Recorder?
    ) -> Decoded? {
        var recorder = recorder
        var decoded = DecodedTrace()
        var bytesRead: Int64 = 0
        var lineTraceIDs: [SourceLocation: String] = [:]
        var pending = consume inputs
        pending.reverse()
        var inputIndex = 0
        var abandoned = false
        while let input = pending.popLast() {
            defer { inputIndex += 1 }
            if let reader = input.pieceReader, !reader.head.withUnsafeBytes({ decoder.readsWhole($0) }) {
                // A large plain file: read, decoded and released a piece at a time.
                var state = TraceDecoder.PieceState()
                var pieceDecoder = decoder
                if let progress { pieceDecoder.onDecoded = { progress.addBytesRead(Int64($0)) } }
                var offset = 0
                do {
                    try reader.forEachPiece(pieceBytes: input.pieceBytes) { piece in
                        let firstLine = state.nextLine
                        var trace = pieceDecoder.decodePiece(piece, file: input.displayName, state: &state)
                        Self.noteTraceIDs(of: trace.diagnostics, in: piece, firstLine: firstLine, into: &lineTraceIDs)
                        if recorder != nil, !trace.spans.isEmpty {
                            if let format = state.format, format.decodesRecordsAlone, !state.rewroteLineEnds {
                                recorder!.inputs[Int32(inputIndex)] = ContentSource.Input(
                                    reader: reader, file: input.displayName, format: format)
                                recorder!.release(
                                    &trace.spans, piece: piece, offset: offset, firstLine: firstLine, input: inputIndex)
                            } else {
                                if recorder!.released { abandoned = true }
                                recorder = nil
                            }
                        }
                        offset += piece.count
                        decoded.append(trace)
                    }
                } catch {
                    decoded.diagnostics.append(
                        Diagnostic(
                            .error, at: SourceLocation(file: input.displayName, line: state.nextLine),
                            "cannot read: \(error.reason); the lines before it were read"))
                }
                bytesRead += Int64(input.byteCount)
                progress?.setBytesRead(bytesRead)
                continue
            }
            let (trace, problem) = input.withTextBytes { text in
                var decoder = decoder
                if let progress {
                    // ProgressLine counts input bytes; a compressed input's text is larger.
                    let scale = Double(input.byteCount) / Double(max(1, text.count))
                    decoder.onDecoded = { progress.addBytesRead(Int64((Double($0) * scale).rounded())) }
                }
                let trace = decoder.decode(text, file: input.displayName)
                // The run a skipped line belonged to is read from the line now, while its text is here.
                Self.noteTraceIDs(of: trace.diagnostics, in: text, firstLine: 1, into: &lineTraceIDs)
                return trace
            }
            bytesRead += Int64(input.byteCount)
            progress?.setBytesRead(bytesRead)
            decoded.append(trace)
            if let problem { decoded.diagnostics.append(problem) }
        }
        if abandoned { return nil }
        var result = Decoded(trace: decoded, lineTraceIDs: lineTraceIDs)
        if let recorder, recorder.released {
            result.contentSource = ContentSource(
                inputs: recorder.inputs, stretches: recorder.stretches, stretchesByTrace: recorder.stretchesByTrace)
        }
        return result
    }

    /// Assembles decoded spans into runs and analyzes them.
    public func assemble(_ decodedInputs: consuming Decoded, extraRunInfo: [RunInfo] = []) -> Loaded {
        var decoded = decodedInputs.trace
        let lineTraceIDs = decodedInputs.lineTraceIDs
        let contentSource = decodedInputs.contentSource
        let spanRecords = decoded.spans.count
        let spanInfo = Self.runInfo(writtenOn: decoded.spans)
        let (runs, repairs) = RunAssembler().assemble(decoded.spans, runInfo: decoded.runInfo + spanInfo + extraRunInfo)
        decoded.spans.removeAll()
        let analyzed = RunAnalyzer().analyze(runs, jobs: jobs)
        let diagnostics = decoded.diagnostics + repairs
        let problems = ReportProblems(
            diagnostics: diagnostics,
            traceIDs: Self.traceIDs(of: diagnostics, lineTraceIDs: lineTraceIDs, runs: runs),
            renderedRunIDs: Set(runs.map(\.traceID))
        )
        return Loaded(
            runs: analyzed, diagnostics: diagnostics, spanRecords: spanRecords, problems: problems,
            contentSource: contentSource)
    }

    /// Records, for each diagnostic placed on a line of `text` (whose first line is the file's
    /// line `firstLine`), the trace id written on that line, found even when the line is not
    /// valid JSON.
    static func noteTraceIDs(
        of diagnostics: [Diagnostic], in text: UnsafeRawBufferPointer, firstLine: Int,
        into found: inout [SourceLocation: String]
    ) {
        let located = diagnostics.filter { $0.location.line >= firstLine && found[$0.location] == nil }
        guard !located.isEmpty else { return }
        let lines = LineIndex(text)
        for d in located {
            guard let line = lines.line(d.location.line - firstLine + 1, in: text), let id = Self.traceID(inLine: line)
            else { continue }
            found[d.location] = id
        }
    }

    /// Facts about a whole run that instrumentation writes on its spans: Langfuse's
    /// `langfuse.trace.name` names the run, and `langfuse.trace.tags` become its labels.
    static func runInfo(writtenOn spans: [Span]) -> [RunInfo] {
        var result: [RunInfo] = []
        for span in spans {
            let name = span.metadata["langfuse.trace.name"]?.stringValue
            var tags: [String] = []
            switch span.metadata["langfuse.trace.tags"] {
            case .array(let items)?: tags = items.compactMap(\.stringValue)
            case .string(let text)?:
                // Some exporters write the list as JSON text.
                let parsed = JSONStreamParser.parse(Array(text.utf8))
                if parsed.errors.isEmpty, parsed.records.count == 1, case .array(let items) = parsed.records[0].value {
                    tags = items.compactMap(\.stringValue)
                } else if !text.isEmpty {
                    tags = [text]
                }
            default: break
            }
            guard name != nil || !tags.isEmpty else { continue }
            result.append(RunInfo(traceID: span.traceID, name: name, labels: tags))
        }
        return result
    }

    /// The run each diagnostic's record belongs to: the run of the span read at that place, or
    /// else a trace id written on the line itself, found even when the line is not valid JSON
    /// (a truncated record still names its run).
    static func traceIDs(of diagnostics: [Diagnostic], lineTraceIDs: [SourceLocation: String], runs: [Run]) -> [String?]
    {
        guard !diagnostics.isEmpty else { return [] }
        var spanRuns: [SourceLocation: String] = [:]
        // Repairs and dropped fields name a span read at their place; skipped lines name none.
        let namesSpans = diagnostics.contains { $0.effect != .skippedRecord }
        for run in runs where namesSpans {
            for node in run.nodes where spanRuns[node.span.source] == nil {
                spanRuns[node.span.source] = run.traceID
            }
        }
        return diagnostics.map { d in
            d.traceID ?? spanRuns[d.location] ?? (d.location.line > 0 ? lineTraceIDs[d.location] : nil)
        }
    }

    /// The value of the first `"trace_id"` (or `"traceId"`, `"traceID"`) string member in a
    /// line's bytes, scanned without parsing so broken JSON still yields it.
    static func traceID(inLine line: UnsafeRawBufferPointer) -> String? {
        let keys: [[UInt8]] = [Array("\"trace_id\"".utf8), Array("\"traceId\"".utf8), Array("\"traceID\"".utf8)]
        let n = line.count
        var i = 0
        while i < n {
            if line[i] == UInt8(ascii: "\""), let key = keys.first(where: { Self.matches($0, line, at: i) }) {
                var j = i + key.count
                while j < n, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
                guard j < n, line[j] == UInt8(ascii: ":") else { i += 1; continue }
                j += 1
                while j < n, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
                guard j < n, line[j] == UInt8(ascii: "\"") else { i += 1; continue }
                j += 1
                let start = j
                while j < n, line[j] != UInt8(ascii: "\""), line[j] != UInt8(ascii: "\\"), j - start < 256 { j += 1 }
                guard j < n, line[j] == UInt8(ascii: "\""), j > start else { return nil }
                let bytes = UnsafeRawBufferPointer(rebasing: line[start..<j])
                guard let id = String(validating: bytes, as: UTF8.self) else { return nil }
                return id
            }
            i += 1
        }
        return nil
    }

    private static func matches(_ key: [UInt8], _ line: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + key.count <= line.count else { return false }
        for k in 0..<key.count where line[i + k] != key[k] { return false }
        return true
    }
}

/// Byte offsets of the lines of a file, for looking up the line a diagnostic names.
struct LineIndex {
    private var starts: [Int] = [0]

    init(_ bytes: UnsafeRawBufferPointer) {
        for i in 0..<bytes.count where bytes[i] == 0x0A { starts.append(i + 1) }
    }

    /// The bytes of 1-based line `number`, without its line break.
    func line(_ number: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard number >= 1, number <= starts.count else { return nil }
        let from = starts[number - 1]
        var to = number < starts.count ? starts[number] - 1 : bytes.count
        if to > from, bytes[to - 1] == 0x0D { to -= 1 }
        guard from <= to else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[from..<to])
    }
}
