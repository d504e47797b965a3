import TraceJSON
import TraceModel

/// A run as data, for the pages of runs too large to render as HTML rows: a compact span
/// table, each span's details as the HTML the run page writes for them, and a search corpus,
/// all deflated in chunks.
///
/// The table inflates to a little-endian binary layout:
///
/// - a `UInt32` byte count, then that many bytes of JSON: `spans`, `length` (the run's length
///   in nanoseconds, or `null`), `strings` (interned names, ids, labels, models and row
///   markup), `kinds`, `ids` (`[element id, span index]` for every element id in the details
///   other than a span's own anchor), `firstError` and the column names;
/// - zero bytes up to a multiple of 8;
/// - ``floatColumns`` as `Float64` (times in nanoseconds from the run's start, `NaN` when not
///   recorded), then ``intColumns`` as `Int32` (string indices, `-1` for none), then
///   ``byteColumns`` as `UInt8`, `spans` values each.
///
/// Details chunks inflate to UTF-8 text: for each span in order its details HTML, then its
/// search text (name, kind, model, error, and the strings and numbers of its input and output,
/// each after a newline), all separated by NUL bytes (neither contains NUL). The search text
/// sits next to the HTML that shows the same words, so it deflates to back-references: a
/// separate search corpus made agent-run pages 30 % larger.
struct RunData: Sendable {
    /// A deflated run of consecutive spans' entries.
    struct Chunk: Sendable, Equatable {
        /// The index of the first span.
        var first: Int
        /// How many spans the chunk holds.
        var count: Int
        /// The zlib stream.
        var deflated: [UInt8]
    }

    static let floatColumns = ["start", "width", "tokens", "tokensSelf", "cost"]
    static let intColumns = ["parent", "end", "name", "id", "anchor", "label", "model", "marks", "duration"]
    static let byteColumns = ["kind", "flags"]

    /// Bits of the `flags` column.
    enum Flag {
        static let error: UInt8 = 1
        static let critical: UInt8 = 2
        /// Started and never ended: the bar runs to the run's end.
        static let open: UInt8 = 4
        /// No recorded time: the bar is a slot at the span's place in the tree's order.
        static let ordered: UInt8 = 8
        static let repaired: UInt8 = 16
    }

    /// Uncompressed bytes a details chunk holds before a new one starts: one chunk inflates in a
    /// few milliseconds, and larger ones barely compress better (measured on agent runs: 64 KB
    /// chunks 14 % larger than 1 MB ones, 256 KB 4 %).
    static let detailsChunkBytes = 256 * 1024

    var table: [UInt8]
    var details: [Chunk]
}

extension RunPageRenderer {
    /// The run as ``RunData``, rendering every span's details in order (as the full page does,
    /// so messages repeated across spans link to their first rendering). `keep` names spans
    /// whose details HTML is also returned, for the page's server-rendered part.
    ///
    /// - Parameter jobs: Threads that compress chunks.
    mutating func runData(keeping keep: Set<Int>, jobs: Int) -> (data: RunData, kept: [Int: [UInt8]]) {
        let nodes = run.run.nodes
        let n = nodes.count
        var strings = StringPool()
        var floats = [[Double]](repeating: [Double](repeating: .nan, count: n), count: RunData.floatColumns.count)
        var ints = [[Int32]](repeating: [Int32](repeating: -1, count: n), count: RunData.intColumns.count)
        var bytes = [[UInt8]](repeating: [UInt8](repeating: 0, count: n), count: RunData.byteColumns.count)
        let kinds = SpanKind.allCases
        let base = timeBase
        for i in 0..<n {
            let node = nodes[i]
            let span = node.span
            let m = run.metrics[i]
            if span.timeSource != .placeholder, let start = span.startTimeUnixNano, let base {
                let end = span.endTimeUnixNano ?? base.start.saturatingAdd(base.length)
                floats[0][i] = Double(start.saturatingSubtract(base.start))
                floats[1][i] = Double(max(0, end.saturatingSubtract(start)))
            }
            floats[2][i] = Double(m.tokensTotal)
            floats[3][i] = Double(m.tokensSelf)
            floats[4][i] = m.costTotal
            ints[0][i] = Int32(node.parent ?? -1)
            ints[1][i] = Int32(node.subtreeEnd)
            ints[2][i] = strings.index(span.name)
            ints[3][i] = strings.index(span.spanID)
            if anchors[i] != "s-" + span.spanID { ints[4][i] = strings.index(anchors[i]) }
            ints[5][i] = strings.index(span.kind == .span ? span.kindName : span.kind.rawValue)
            if let model = span.model { ints[6][i] = strings.index(model) }
            var marks = HTMLBuffer(capacity: 64)
            rowMarks(i, into: &marks)
            if !marks.bytes.isEmpty { ints[7][i] = strings.index(marks.string) }
            var duration = HTMLBuffer(capacity: 32)
            durationCell(i, into: &duration)
            if !duration.bytes.isEmpty { ints[8][i] = strings.index(duration.string) }
            bytes[0][i] = UInt8(kinds.firstIndex(of: span.kind) ?? kinds.count - 1)
            var flags: UInt8 = 0
            if span.error != nil { flags |= RunData.Flag.error }
            if criticalPath.isCritical[i] { flags |= RunData.Flag.critical }
            if span.endTimeUnixNano == nil { flags |= RunData.Flag.open }
            if span.timeSource == .placeholder || span.startTimeUnixNano == nil { flags |= RunData.Flag.ordered }
            if !node.repairs.isEmpty { flags |= RunData.Flag.repaired }
            bytes[1][i] = flags
        }

        // Details, rendered in order into chunks; chunks deflate in parallel batches.
        var kept: [Int: [UInt8]] = [:]
        var ids: [JSONValue] = []
        var details: [RunData.Chunk] = []
        var pending: [(first: Int, count: Int, bytes: [UInt8])] = []
        var current: [UInt8] = []
        var currentFirst = 0
        func flush(_ all: Bool) {
            guard all || pending.count >= 4 * max(1, jobs) else { return }
            let batch = pending
            details += ParallelRunner.map(count: batch.count, jobs: jobs) { k in
                RunData.Chunk(first: batch[k].first, count: batch[k].count, deflated: Deflate.compress(batch[k].bytes))
            }
            pending.removeAll(keepingCapacity: true)
        }
        for i in 0..<n {
            var out = HTMLBuffer(capacity: 2048)
            detail(i, into: &out)
            if keep.contains(i) { kept[i] = out.bytes }
            for id in Self.elementIDs(in: out.bytes).dropFirst() {
                ids.append(.array([.string(id), .number(JSONNumber(i))]))
            }
            if i > currentFirst { current.append(0) }
            current += out.bytes
            current.append(0)
            Self.searchText(nodes[i].span, into: &current)
            if current.count >= RunData.detailsChunkBytes || i == n - 1 {
                pending.append((currentFirst, i + 1 - currentFirst, current))
                current = []
                currentFirst = i + 1
                flush(false)
            }
        }
        flush(true)

        var header = JSONObject()
        header.members = [
            ("version", .number(JSONNumber(1))),
            ("spans", .number(JSONNumber(n))),
            ("length", base.map { .number(JSONNumber(text: String($0.length))) } ?? .null),
            ("kinds", .array(kinds.map { .string($0.rawValue) })),
            ("firstError", run.firstErrorIndex.map { .number(JSONNumber($0)) } ?? .null),
            ("floatColumns", .array(RunData.floatColumns.map { .string($0) })),
            ("intColumns", .array(RunData.intColumns.map { .string($0) })),
            ("byteColumns", .array(RunData.byteColumns.map { .string($0) })),
            ("ids", .array(ids)),
            ("strings", .array(strings.values.map { .string($0) })),
        ]
        var table: [UInt8] = []
        let json = JSONText.bytes(.object(header), pretty: false)
        let length = UInt32(json.count)
        for shift in stride(from: 0, to: 32, by: 8) { table.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        table += json
        while table.count % 8 != 0 { table.append(0) }
        table.reserveCapacity(table.count + n * (8 * floats.count + 4 * ints.count + bytes.count))
        for column in floats {
            for v in column {
                let bits = v.bitPattern
                for shift in stride(from: 0, to: 64, by: 8) {
                    table.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
                }
            }
        }
        for column in ints {
            for v in column {
                let bits = UInt32(bitPattern: v)
                for shift in stride(from: 0, to: 32, by: 8) {
                    table.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift)))
                }
            }
        }
        for column in bytes { table += column }

        return (RunData(table: Deflate.compress(table), details: details), kept)
    }

    /// What a tree row shows after a span's name: tags, markers of errors below, its own
    /// error, dropped fields and repairs.
    func rowMarks(_ i: Int, into out: inout HTMLBuffer) {
        let node = run.run.nodes[i]
        let span = node.span
        Self.rowTags(span, into: &out)
        descendantErrorMarker(i, into: &out)
        if let error = span.error {
            out.raw("<span class=\"err-marker\"")
            out.attribute("title", Self.errorSummary(error))
            out.raw(">!</span>")
        }
        Self.droppedFieldsMarker(span, into: &out)
        for repair in node.repairs {
            out.raw("<span class=\"repair\"")
            out.attribute("title", repair.explanation)
            out.raw(">")
            out.raw(repair.label)
            out.raw("</span>")
        }
    }

    /// The values of the `id` attributes in `html`, in order.
    static func elementIDs(in html: [UInt8]) -> [String] {
        var ids: [String] = []
        let pattern = Array(" id=\"".utf8)
        var i = 0
        let n = html.count
        while i + pattern.count < n {
            if html[i] == pattern[0], html[i + 1] == pattern[1], html[i + 2] == pattern[2], html[i + 3] == pattern[3],
                html[i + 4] == pattern[4]
            {
                var j = i + 5
                while j < n, html[j] != UInt8(ascii: "\"") { j += 1 }
                ids.append(String(decoding: html[(i + 5)..<j], as: UTF8.self))
                i = j
            } else {
                i += 1
            }
        }
        return ids
    }

    /// One span's searchable text: each field after a newline, NUL bytes as spaces.
    static func searchText(_ span: Span, into out: inout [UInt8]) {
        func add(_ s: String) {
            guard !s.isEmpty else { return }
            out.append(0x0A)
            for b in s.utf8 { out.append(b == 0 ? 0x20 : b) }
        }
        add(span.name)
        add(span.kind == .span ? span.kindName : span.kind.rawValue)
        if let model = span.model { add(model) }
        if let error = span.error {
            if let type = error.type { add(type) }
            add(error.message)
        }
        for value in [span.input, span.output] {
            guard let value else { continue }
            var stack = [value]
            while let v = stack.popLast() {
                switch v {
                case .string(let s): add(s)
                case .number(let x): add(x.text)
                case .array(let items): stack.append(contentsOf: items.reversed())
                case .object(let o): stack.append(contentsOf: o.members.map(\.value).reversed())
                case .bool, .null: break
                }
            }
        }
    }
}

/// Strings interned in order of first use.
struct StringPool {
    private(set) var values: [String] = []
    private var indices: [String: Int32] = [:]

    mutating func index(_ s: String) -> Int32 {
        if let i = indices[s] { return i }
        let i = Int32(values.count)
        values.append(s)
        indices[s] = i
        return i
    }
}
