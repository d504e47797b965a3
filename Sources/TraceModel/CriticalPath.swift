/// The chain of spans that determined when a run ended, as Jaeger defines it.
///
/// The walk starts at the run's end and goes back in time: from a span's end to its
/// last-finishing child, then to the child that finished before that child started, and so on;
/// each child on the way is walked the same way. A span's time between the children it waited
/// on is its own critical time.
///
/// - Parallel children: only the last one to finish is on the path; children that overlap it
///   (started before it and finished after the previous one on the path started) are not.
/// - Subtrees, not spans: a child is placed by the extent of its whole subtree, so a descendant
///   that outlives its parent (clock skew, fire-and-forget work, an orphan placed under the root)
///   is still followed.
/// - Unfinished spans (no end time) run until their parent's end; an unfinished root until the
///   run's last recorded time. Spans without a start time are left out.
/// - Time on the path that falls outside the span being walked is given to the nearest enclosing
///   span that was running then; when none was, it is a gap (untraced time, such as a message
///   waiting in a queue).
///
/// The walk is iterative, so runs of any depth are fine.
public struct CriticalPath: Sendable, Equatable {
    /// A stretch of time on the critical path.
    public struct Segment: Sendable, Equatable {
        /// The node (index in ``Run/nodes``) whose own work this is; `nil` for untraced time.
        public var node: Int?
        /// Start, nanoseconds since the Unix epoch.
        public var start: Int64
        /// End (exclusive), nanoseconds since the Unix epoch.
        public var end: Int64

        /// Creates a segment.
        public init(node: Int?, start: Int64, end: Int64) {
            self.node = node
            self.start = start
            self.end = end
        }

        /// The segment's length.
        public var nanos: Int64 { end - start }
    }

    /// The segments in time order; together they cover the run from its first start to its end.
    public var segments: [Segment]
    /// Per node, whether it is on the critical path (walked through, even with no time of its own).
    public var isCritical: [Bool]

    /// Indices into ``segments`` grouped by node (node `i`'s are `order[offsets[i]..<offsets[i + 1]]`).
    private var order: [Int]
    private var offsets: [Int]

    /// Creates a path of `count` nodes from its segments in time order.
    public init(segments: [Segment] = [], count: Int = 0) {
        self.segments = segments
        self.isCritical = [Bool](repeating: false, count: count)
        var offsets = [Int](repeating: 0, count: count + 1)
        for s in segments {
            guard let n = s.node, n < count else { continue }
            isCritical[n] = true
            offsets[n + 1] += 1
        }
        for i in 0..<count { offsets[i + 1] += offsets[i] }
        var fill = offsets
        var order = [Int](repeating: 0, count: offsets[count])
        for (k, s) in segments.enumerated() {
            guard let n = s.node, n < count else { continue }
            order[fill[n]] = k
            fill[n] += 1
        }
        self.order = order
        self.offsets = offsets
    }

    /// The total time the path covers.
    public var nanos: Int64 { segments.reduce(0) { $0 + $1.nanos } }

    /// Critical time per node, indexed like ``Run/nodes``.
    public func nanosByNode() -> [Int64] {
        var result = [Int64](repeating: 0, count: isCritical.count)
        for s in segments { if let n = s.node { result[n] += s.nanos } }
        return result
    }

    /// The segments of one node, in time order.
    public func segments(of node: Int) -> [Segment] {
        guard node + 1 < offsets.count else { return [] }
        return order[offsets[node]..<offsets[node + 1]].map { segments[$0] }
    }

    /// Critical time per kind of span, largest first (ties by name); untraced time is listed
    /// under the name `untraced`.
    ///
    /// - Parameter kindName: The name a node's kind is shown with.
    public func nanosByKind(_ kindName: (Int) -> String) -> [(kind: String, nanos: Int64)] {
        var totals: [String: Int64] = [:]
        for s in segments where s.nanos > 0 {
            totals[s.node.map(kindName) ?? "untraced", default: 0] += s.nanos
        }
        return totals.map { (kind: $0.key, nanos: $0.value) }.sorted {
            $0.nanos != $1.nanos ? $0.nanos > $1.nanos : $0.kind < $1.kind
        }
    }

    /// Computes the critical path of `run`.
    public init(run: Run) {
        let nodes = run.nodes
        let n = nodes.count
        // Own interval of each span: unfinished spans run to their parent's end.
        var runEnd: Int64? = nil
        for node in nodes {
            if let e = node.span.endTimeUnixNano ?? node.span.startTimeUnixNano { runEnd = max(runEnd ?? e, e) }
        }
        var ownStart = [Int64?](repeating: nil, count: n)
        var ownEnd = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            guard let s = nodes[i].span.startTimeUnixNano else { continue }
            var inheritedEnd: Int64? = runEnd
            if let p = nodes[i].parent, ownStart[p] != nil { inheritedEnd = ownEnd[p] }
            ownStart[i] = s
            ownEnd[i] = max(s, nodes[i].span.endTimeUnixNano ?? inheritedEnd ?? s)
        }
        // Subtree extents, children before parents (children always follow their parent).
        var subStart = ownStart
        var subEnd = [Int64?](repeating: nil, count: n)
        for i in 0..<n where ownStart[i] != nil { subEnd[i] = ownEnd[i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            guard let p = nodes[i].parent, let s = subStart[i], let e = subEnd[i] else { continue }
            subStart[p] = min(subStart[p] ?? s, s)
            subEnd[p] = max(subEnd[p] ?? e, e)
        }

        /// A span being walked: its children by subtree end, latest first, and the walk's cursor.
        struct Frame {
            var node: Int?
            var children: [Int]
            var next: Int
            var cursor: Int64
            var low: Int64
        }
        func timedChildren(_ list: [Int]) -> [Int] {
            list.filter { subEnd[$0] != nil }.sorted { a, b in
                let ea = subEnd[a]!, eb = subEnd[b]!
                if ea != eb { return ea > eb }
                let sa = subStart[a]!, sb = subStart[b]!
                return sa != sb ? sa > sb : a > b
            }
        }
        var segments: [Segment] = []
        var stack: [Frame] = []
        var walked: [Int] = []

        // Gives [a, b) to the frame at `level`: its own interval keeps what it covers, the rest
        // goes to the enclosing frames, and what no span covers is a gap.
        func attribute(_ a: Int64, _ b: Int64, level: Int) {
            var work: [(Int64, Int64, Int)] = [(a, b, level)]
            while let (x, y, l) = work.popLast() {
                guard y > x else { continue }
                guard l >= 0 else {
                    segments.append(Segment(node: nil, start: x, end: y))
                    continue
                }
                guard let node = stack[l].node, let s = ownStart[node] else {
                    work.append((x, y, l - 1))
                    continue
                }
                let e = ownEnd[node]
                let from = max(x, s), to = min(y, e)
                if to > from {
                    segments.append(Segment(node: node, start: from, end: to))
                    work.append((x, from, l - 1))
                    work.append((to, y, l - 1))
                } else {
                    work.append((x, y, l - 1))
                }
            }
        }

        let tops = timedChildren((0..<n).filter { nodes[$0].parent == nil })
        guard let last = tops.first, let end = subEnd[last] else {
            self.init(segments: [], count: n)
            return
        }
        let low = tops.compactMap { subStart[$0] }.min() ?? end
        stack.append(Frame(node: nil, children: tops, next: 0, cursor: end, low: low))
        while !stack.isEmpty {
            let level = stack.count - 1
            var frame = stack[level]
            // The next child that finished before the cursor: the one this span waited on.
            var picked: Int? = nil
            while frame.next < frame.children.count {
                let c = frame.children[frame.next]
                frame.next += 1
                if subEnd[c]! <= frame.cursor {
                    picked = c
                    break
                }
            }
            if let c = picked {
                attribute(subEnd[c]!, frame.cursor, level: level)
                frame.cursor = subStart[c]!
                stack[level] = frame
                walked.append(c)
                stack.append(
                    Frame(
                        node: c, children: timedChildren(run.children(of: c)), next: 0, cursor: subEnd[c]!,
                        low: subStart[c]!))
            } else {
                attribute(frame.low, frame.cursor, level: level)
                stack.removeLast()
            }
        }
        segments.sort { $0.start < $1.start }
        // Join touching pieces of the same node or gap.
        var joined: [Segment] = []
        joined.reserveCapacity(segments.count)
        for s in segments where s.nanos > 0 {
            if let last = joined.last, last.node == s.node, last.end == s.start {
                joined[joined.count - 1].end = s.end
            } else {
                joined.append(s)
            }
        }
        self.init(segments: joined, count: n)
        for i in walked { isCritical[i] = true }
    }
}

extension AnalyzedRun {
    /// The run's critical path: the chain of spans that determined when it ended.
    ///
    /// Computed on each access; keep the value when using it more than once.
    public var criticalPath: CriticalPath { CriticalPath(run: run) }
}
