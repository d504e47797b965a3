/// Two runs of the same task compared span by span: the trees aligned, what changed on each
/// aligned span, and the first difference that leads to a different final output.
///
/// **Alignment.** Spans are aligned by name path and order. The roots are aligned with each
/// other when each run has one; otherwise top-level spans are aligned like children. Under two
/// aligned spans, the children are aligned by a longest common subsequence of their names (in
/// the runs' child order, which is start-time order): those are aligned in place. Children left
/// over on both sides with the same name are then aligned with each other in order, as *moved*
/// (their place among their siblings changed). The rest are *removed* (only the old run has
/// them) or *added* (only the new run has them), with their whole subtrees. Removed spans stay
/// where they were among the children both runs have. Sibling lists too long to compare in full
/// (more than ``TextDiff/maxCells`` pairs after their common ends) are aligned by the k-th span
/// of each name instead, and pairs that cross are the moved ones.
///
/// **What changed** on an aligned pair (``Field``): its position (moved); its input or output
/// (compared as ``DiffText``, with a line diff); its model; its status (`ok`, `unfinished`, or the
/// error's type and message); its duration, when the two differ by at least 1 ms and by at least
/// a quarter of the longer one (so timing noise is not a change); its tokens (input, output or
/// total); its cost. A pair with no changed field is `same`, else `changed`.
///
/// **Final output.** A run's final output is its root span's output; when neither root records
/// one, the output of the span that ends last among those that record one (a later span in tree
/// order wins a tie). The final outcome differs when the two final outputs' texts differ or the
/// runs' statuses differ.
///
/// **First difference.** Only when the final outcome differs. The aligned tree is walked in
/// execution order, each row having two moments: when it starts (before its children) and when
/// it ends (after them). A row differs at its start when it was added or removed or its input
/// changed, and at its end when its output or status changed. A move, a model, a duration, a
/// token or a cost change alone is not a difference here: it changes no result. The first
/// difference is the row of the first such moment, among the moments up to and including the
/// end of the row that holds the new run's final output (the old run's, when the new run has
/// none), since only those can have led to it. So a parent whose output changed because one of
/// its children's did is never chosen over that child, and a span whose input changed (because
/// the run's input or an earlier step changed) is chosen over the later spans it fed. When no
/// moment qualifies, the row of the final output is the first difference.
public struct RunDiff: Sendable, Equatable {
    /// How an aligned row compares.
    public enum Change: String, Sendable, Equatable {
        /// In both runs, nothing changed.
        case same
        /// In both runs, something changed (see ``Row/fields``).
        case changed
        /// Only in the new run.
        case added
        /// Only in the old run.
        case removed
    }

    /// What can change on an aligned pair, in the order a page lists them.
    public enum Field: String, Sendable, Equatable, CaseIterable {
        case position, input, output, model, status, duration, tokens, cost
    }

    /// One row of the aligned tree.
    public struct Row: Sendable, Equatable {
        /// The node in the old run (``Run/nodes`` index); `nil` for an added span.
        public var old: Int?
        /// The node in the new run; `nil` for a removed span.
        public var new: Int?
        /// The depth in the aligned tree; top-level rows are at 0.
        public var depth: Int
        /// How the row compares.
        public var change: Change
        /// What changed, in ``Field`` order; empty unless ``change`` is `changed`.
        public var fields: [Field]
        /// The line diff of the input, when the input changed.
        public var input: TextDiff?
        /// The line diff of the output, when the output changed.
        public var output: TextDiff?

        /// Creates a row.
        public init(
            old: Int?, new: Int?, depth: Int, change: Change, fields: [Field] = [], input: TextDiff? = nil,
            output: TextDiff? = nil
        ) {
            self.old = old
            self.new = new
            self.depth = depth
            self.change = change
            self.fields = fields
            self.input = input
            self.output = output
        }

        /// Whether the row was aligned out of its place among its siblings.
        public var moved: Bool { fields.first == .position }
    }

    /// The rows in depth-first order of the aligned tree.
    public var rows: [Row]
    /// The row of the first difference that leads to a different final output, if it differs.
    public var firstDifference: Int?
    /// Whether the final outcome (final output or run status) differs.
    public var finalOutcomeChanged: Bool
    /// The line diff of the final outputs (possibly without changed lines).
    public var finalOutput: TextDiff
    /// The row holding the final output (the new run's, else the old run's).
    public var finalOutputRow: Int?

    /// Compares `old` with `new`.
    public init(old: AnalyzedRun, new: AnalyzedRun) {
        let a = old.run
        let b = new.run
        rows = Self.align(a, b)
        for r in rows.indices where rows[r].old != nil && rows[r].new != nil {
            Self.compare(&rows[r], a.nodes[rows[r].old!].span, b.nodes[rows[r].new!].span)
        }
        let oldFinal = Self.finalOutputNode(a)
        let newFinal = Self.finalOutputNode(b)
        finalOutput = TextDiff(
            old: DiffText.text(oldFinal.flatMap { a.nodes[$0].span.output }),
            new: DiffText.text(newFinal.flatMap { b.nodes[$0].span.output }))
        finalOutcomeChanged = !finalOutput.isEmpty || old.status != new.status
        if let newFinal {
            finalOutputRow = rows.firstIndex { $0.new == newFinal }
        } else if let oldFinal {
            finalOutputRow = rows.firstIndex { $0.old == oldFinal }
        } else {
            finalOutputRow = rows.isEmpty ? nil : 0
        }
        firstDifference = finalOutcomeChanged ? Self.firstDifference(rows, until: finalOutputRow) : nil
    }

    /// Rows per ``Change``, in the order same, changed, added, removed.
    public var counts: (same: Int, changed: Int, added: Int, removed: Int) {
        var c = (same: 0, changed: 0, added: 0, removed: 0)
        for row in rows {
            switch row.change {
            case .same: c.same += 1
            case .changed: c.changed += 1
            case .added: c.added += 1
            case .removed: c.removed += 1
            }
        }
        return c
    }

    // MARK: - Alignment

    /// A child list's entry before it becomes a row.
    private enum Entry {
        case pair(Int, Int, moved: Bool)
        case removed(Int)
        case added(Int)
    }

    /// The aligned rows of two runs, depth first, without recursion.
    static func align(_ a: Run, _ b: Run) -> [Row] {
        let oldTop = a.nodes.indices.filter { a.nodes[$0].parent == nil }
        let newTop = b.nodes.indices.filter { b.nodes[$0].parent == nil }
        let top: [Entry] =
            oldTop.count == 1 && newTop.count == 1
            ? [.pair(oldTop[0], newTop[0], moved: false)] : alignSiblings(oldTop, newTop, a, b)
        var rows: [Row] = []
        rows.reserveCapacity(max(a.nodes.count, b.nodes.count))
        var stack: [(Entry, Int)] = top.reversed().map { ($0, 0) }
        while let (entry, depth) = stack.popLast() {
            switch entry {
            case .pair(let i, let j, let moved):
                rows.append(Row(old: i, new: j, depth: depth, change: .same, fields: moved ? [.position] : []))
                let children = alignSiblings(a.children(of: i), b.children(of: j), a, b)
                for child in children.reversed() { stack.append((child, depth + 1)) }
            case .removed(let i):
                for k in i..<a.nodes[i].subtreeEnd {
                    rows.append(
                        Row(old: k, new: nil, depth: depth + a.nodes[k].depth - a.nodes[i].depth, change: .removed))
                }
            case .added(let j):
                for k in j..<b.nodes[j].subtreeEnd {
                    rows.append(
                        Row(old: nil, new: k, depth: depth + b.nodes[k].depth - b.nodes[j].depth, change: .added))
                }
            }
        }
        return rows
    }

    /// Aligns two sibling lists (node indices) by name: a longest common subsequence in place,
    /// then leftovers of the same name as moved; removed entries keep their place.
    private static func alignSiblings(_ old: [Int], _ new: [Int], _ a: Run, _ b: Run) -> [Entry] {
        if old.isEmpty { return new.map { .added($0) } }
        if new.isEmpty { return old.map { .removed($0) } }
        let oldNames = old.map { a.nodes[$0].span.name }
        let newNames = new.map { b.nodes[$0].span.name }
        // partner[j]: the old position aligned with new position j; inPlace[j]: not moved.
        var partner = [Int?](repeating: nil, count: new.count)
        var inPlace = [Bool](repeating: false, count: new.count)
        var oldTaken = [Bool](repeating: false, count: old.count)
        if let pairs = SequenceAlignment.commonSubsequence(oldNames, newNames, maxCells: TextDiff.maxCells) {
            for (x, y) in pairs {
                partner[y] = x
                inPlace[y] = true
                oldTaken[x] = true
            }
        } else {
            // The k-th span of each name with the k-th; the longest run of pairs in order stays
            // in place.
            var queues: [String: [Int]] = [:]
            for (x, name) in oldNames.enumerated() { queues[name, default: []].append(x) }
            var next: [String: Int] = [:]
            for (y, name) in newNames.enumerated() {
                let k = next[name, default: 0]
                if let q = queues[name], k < q.count {
                    partner[y] = q[k]
                    oldTaken[q[k]] = true
                    next[name] = k + 1
                }
            }
            for y in increasingRun(partner) { inPlace[y] = true }
        }
        // Leftovers with the same name: moved.
        var leftovers: [String: [Int]] = [:]
        for x in old.indices where !oldTaken[x] { leftovers[oldNames[x], default: []].append(x) }
        var used: [String: Int] = [:]
        for y in new.indices where partner[y] == nil {
            let k = used[newNames[y], default: 0]
            if let q = leftovers[newNames[y]], k < q.count {
                partner[y] = q[k]
                oldTaken[q[k]] = true
                used[newNames[y]] = k + 1
            }
        }
        // Merge: removed entries before the in-place pair that follows them.
        var entries: [Entry] = []
        entries.reserveCapacity(old.count + new.count)
        var cursor = 0
        for y in new.indices {
            if let x = partner[y], inPlace[y] {
                while cursor < x {
                    if !oldTaken[cursor] { entries.append(.removed(old[cursor])) }
                    cursor += 1
                }
                cursor = x + 1
                entries.append(.pair(old[x], new[y], moved: false))
            } else if let x = partner[y] {
                entries.append(.pair(old[x], new[y], moved: true))
            } else {
                entries.append(.added(new[y]))
            }
        }
        while cursor < old.count {
            if !oldTaken[cursor] { entries.append(.removed(old[cursor])) }
            cursor += 1
        }
        return entries
    }

    /// The positions of a longest strictly increasing run of the non-nil values (patience
    /// sorting); ties keep the earliest positions.
    static func increasingRun(_ values: [Int?]) -> [Int] {
        var tails: [Int] = []  // positions, by run length
        var previous = [Int](repeating: -1, count: values.count)
        for (y, v) in values.enumerated() {
            guard let v else { continue }
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if values[tails[mid]]! < v { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[y] = tails[low - 1] }
            if low == tails.count { tails.append(y) } else { tails[low] = y }
        }
        var result: [Int] = []
        var y = tails.last ?? -1
        while y >= 0 {
            result.append(y)
            y = previous[y]
        }
        return result.reversed()
    }

    // MARK: - Comparison

    /// Fills in what changed between two aligned spans.
    private static func compare(_ row: inout Row, _ old: Span, _ new: Span) {
        var fields = row.fields
        let oldInput = DiffText.text(old.input)
        let newInput = DiffText.text(new.input)
        if oldInput != newInput || (old.input == nil) != (new.input == nil) {
            fields.append(.input)
            row.input = TextDiff(old: oldInput, new: newInput)
        }
        let oldOutput = DiffText.text(old.output)
        let newOutput = DiffText.text(new.output)
        if oldOutput != newOutput || (old.output == nil) != (new.output == nil) {
            fields.append(.output)
            row.output = TextDiff(old: oldOutput, new: newOutput)
        }
        if old.model != new.model { fields.append(.model) }
        if statusText(old) != statusText(new) { fields.append(.status) }
        if durationChanged(old.durationNanos, new.durationNanos) { fields.append(.duration) }
        if old.usage.inputTokens != new.usage.inputTokens || old.usage.outputTokens != new.usage.outputTokens
            || old.usage.tokens != new.usage.tokens
        {
            fields.append(.tokens)
        }
        if costChanged(old.usage.cost, new.usage.cost) { fields.append(.cost) }
        row.fields = fields
        row.change = fields.isEmpty ? .same : .changed
    }

    /// A span's status as the diff compares it: `ok`, `unfinished`, or `error` with the error's
    /// type and message.
    public static func statusText(_ span: Span) -> String {
        if let error = span.error { return "error: " + (error.type.map { "\($0): " } ?? "") + error.message }
        if span.startTimeUnixNano != nil && span.endTimeUnixNano == nil { return "unfinished" }
        return "ok"
    }

    /// Whether two durations differ by at least 1 ms and by at least a quarter of the longer.
    public static func durationChanged(_ old: Int64?, _ new: Int64?) -> Bool {
        guard let old, let new else { return (old == nil) != (new == nil) }
        let delta = old > new ? old - new : new - old
        return delta >= 1_000_000 && delta >= max(old, new) / 4
    }

    private static func costChanged(_ old: Double?, _ new: Double?) -> Bool {
        guard let old, let new else { return (old == nil) != (new == nil) }
        return (old - new).magnitude > 1e-12 * max(1, old.magnitude, new.magnitude)
    }

    // MARK: - Final output and first difference

    /// The node whose output is the run's final output: the root's, else the output-bearing
    /// span that ends last (ties: later in tree order).
    public static func finalOutputNode(_ run: Run) -> Int? {
        guard let root = run.nodes.first else { return nil }
        if root.span.output != nil { return 0 }
        var best: Int? = nil
        var bestEnd = Int64.min
        for (i, node) in run.nodes.enumerated() where node.span.output != nil {
            let end = node.span.endTimeUnixNano ?? node.span.startTimeUnixNano ?? Int64.min
            if best == nil || end >= bestEnd {
                best = i
                bestEnd = end
            }
        }
        return best
    }

    /// The first row differing at a start or end moment, up to the end of row `limit`.
    static func firstDifference(_ rows: [Row], until limit: Int?) -> Int? {
        func differsAtStart(_ row: Row) -> Bool {
            row.change == .added || row.change == .removed || row.fields.contains(.input)
        }
        func differsAtEnd(_ row: Row) -> Bool {
            row.fields.contains(.output) || row.fields.contains(.status)
        }
        var open: [Int] = []
        for r in rows.indices {
            while let last = open.last, rows[last].depth >= rows[r].depth {
                open.removeLast()
                if differsAtEnd(rows[last]) { return last }
                if last == limit { return limit }
            }
            if differsAtStart(rows[r]) { return r }
            open.append(r)
        }
        while let last = open.popLast() {
            if differsAtEnd(rows[last]) { return last }
            if last == limit { return limit }
        }
        return limit
    }
}
