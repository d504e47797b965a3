import TraceJSON

/// The assemble stage: groups spans into runs and builds each run's tree, repairing what real
/// traces get wrong (missing parents, cycles, duplicate records, clock skew).
///
/// Every repair keeps the span and produces a warning; nothing is dropped.
public struct RunAssembler: Sendable {
    /// Creates an assembler.
    public init() {}

    /// The runs, ordered by start time then trace id, with the warnings repairs produced.
    ///
    /// - Parameters:
    ///   - spans: Span records in read order; records with the same trace and span id merge.
    ///   - runInfo: Run-level records; several for one run merge, later values winning.
    public func assemble(_ spans: [Span], runInfo: [RunInfo] = []) -> (runs: [Run], diagnostics: [Diagnostic]) {
        var infoByTrace: [IDKey: RunInfo] = [:]
        for info in runInfo {
            if var existing = infoByTrace[IDKey(info.traceID)] {
                if let name = info.name { existing.name = name }
                Self.mergeMembers(&existing.metadata, info.metadata)
                Self.unite(&existing.labels, info.labels)
                Self.mergeScores(&existing.scores, info.scores)
                infoByTrace[IDKey(info.traceID)] = existing
            } else {
                infoByTrace[IDKey(info.traceID)] = info
            }
        }
        var groupIndex: [IDKey: Int] = [:]
        var groups: [[Span]] = []
        var diagnostics: [Diagnostic] = []
        for var span in spans {
            let (checked, warnings) = ValueLimits.checked(span)
            if !warnings.isEmpty {
                span = checked
                diagnostics.append(contentsOf: warnings)
            }
            if let g = groupIndex[IDKey(span.traceID)] {
                groups[g].append(span)
            } else {
                groupIndex[IDKey(span.traceID)] = groups.count
                groups.append([span])
            }
        }
        var runs: [Run] = []
        runs.reserveCapacity(groups.count)
        for group in groups {
            var (run, warnings) = assembleRun(group)
            run.info = infoByTrace[IDKey(run.traceID)]
            runs.append(run)
            diagnostics.append(contentsOf: warnings)
        }
        // Runs whose start is not a recorded clock time sort after the others.
        func start(_ run: Run) -> Int64 {
            guard let root = run.nodes.first?.span, root.timeSource == .recorded else { return Int64.max }
            return root.startTimeUnixNano ?? Int64.max
        }
        runs.sort { a, b in
            let sa = start(a)
            let sb = start(b)
            return sa != sb ? sa < sb : IDKey.precedes(a.traceID, b.traceID)
        }
        return (runs, diagnostics)
    }

    /// Builds one run from spans sharing a trace id, in read order.
    public func assembleRun(_ records: [Span]) -> (run: Run, diagnostics: [Diagnostic]) {
        precondition(!records.isEmpty, "a run has at least one span")
        let traceID = records[0].traceID
        var diagnostics: [Diagnostic] = []

        // 1. Merge records of the same span id: later non-null fields win.
        var indexOf: [IDKey: Int] = [:]
        var spans: [Span] = []
        var recordCounts: [Int] = []
        spans.reserveCapacity(records.count)
        for record in records {
            if let i = indexOf[IDKey(record.spanID)] {
                spans[i] = Self.merge(spans[i], with: record)
                if record.isPartial || spans[i].isPartial {
                    spans[i].isPartial = spans[i].isPartial && record.isPartial
                    continue
                }
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        at: record.source,
                        "span \"\(record.spanID)\" of run \"\(traceID)\" was already recorded at line \(spans[i].source.line); fields merged, later values win"
                    )
                )
                recordCounts[i] += 1
            } else {
                indexOf[IDKey(record.spanID)] = spans.count
                spans.append(record)
                recordCounts.append(1)
            }
        }
        let n = spans.count
        var repairs = [[SpanRepair]](repeating: [], count: n)
        for i in 0..<n where recordCounts[i] > 1 {
            repairs[i].append(.duplicateMerged(recordCount: recordCounts[i]))
        }

        // 2. Resolve parents; a missing parent makes an orphan, fixed in step 4.
        var parent = [Int?](repeating: nil, count: n)
        var orphan = [Bool](repeating: false, count: n)
        for i in 0..<n {
            guard let pid = spans[i].parentSpanID else { continue }
            if let p = indexOf[IDKey(pid)] {
                if p == i {
                    repairs[i].append(.cycleBroken(formerParentID: pid))
                    diagnostics.append(
                        Diagnostic(
                            .warning, at: spans[i].source,
                            "span \"\(pid)\" of run \"\(traceID)\" is its own parent; the link was cut")
                    )
                    orphan[i] = true
                } else {
                    parent[i] = p
                }
            } else {
                orphan[i] = true
                repairs[i].append(.orphan(missingParentID: pid))
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        at: spans[i].source,
                        "span \"\(spans[i].spanID)\" of run \"\(traceID)\" names parent \"\(pid)\", which is not in the input; shown under the root"
                    )
                )
            }
        }

        // 3. Break cycles without recursion: walk up from each node, colouring the path.
        let order = (0..<n).sorted { Self.precedes(spans[$0], spans[$1]) }
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the current path, 2 done
        var path: [Int] = []
        for startNode in order where state[startNode] == 0 {
            path.removeAll(keepingCapacity: true)
            var current: Int? = startNode
            while let c = current, state[c] == 0 {
                state[c] = 1
                path.append(c)
                current = parent[c]
            }
            if let c = current, state[c] == 1, let at = path.firstIndex(of: c) {
                let cycle = path[at...]
                let cut = cycle.min { Self.precedes(spans[$0], spans[$1]) }!
                let former = spans[cut].parentSpanID ?? ""
                parent[cut] = nil
                orphan[cut] = true
                repairs[cut].append(.cycleBroken(formerParentID: former))
                let names = cycle.map { "\"\(spans[$0].spanID)\"" }.joined(separator: " → ")
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        at: spans[cut].source,
                        "spans of run \"\(traceID)\" form a parent cycle (\(names)); the link from \"\(spans[cut].spanID)\" to \"\(former)\" was cut"
                    )
                )
            }
            for p in path { state[p] = 2 }
        }

        // 4. Orphans go under the root: the earliest span without a parent that is not itself
        //    an orphan. With no such span, orphans stay at the top level.
        let trueRoot = order.first { parent[$0] == nil && !orphan[$0] }
        if let root = trueRoot {
            for i in 0..<n where orphan[i] && i != root {
                // Attaching must not create a cycle: the root has no parent, so it cannot.
                parent[i] = root
            }
        }

        // 5. Children in start-time order (ties by id); a depth-first walk with an explicit stack.
        var children = [[Int]](repeating: [], count: n)
        var tops: [Int] = []
        for i in order {
            if let p = parent[i] { children[p].append(i) } else { tops.append(i) }
        }
        if let root = trueRoot, let at = tops.firstIndex(of: root), at != 0 {
            tops.remove(at: at)
            tops.insert(root, at: 0)
        }
        var nodes: [SpanNode] = []
        nodes.reserveCapacity(n)
        var stack: [(span: Int, parentNode: Int?, depth: Int)] = tops.reversed().map { ($0, nil, 0) }
        var openNodes: [Int] = []  // node indices whose subtree is still being written
        while let item = stack.popLast() {
            while let last = openNodes.last, nodes[last].depth >= item.depth {
                nodes[last].subtreeEnd = nodes.count
                openNodes.removeLast()
            }
            let nodeIndex = nodes.count
            var spanRepairs = repairs[item.span]
            if let pNode = item.parentNode, Self.outside(spans[item.span], nodes[pNode].span) {
                spanRepairs.append(.outsideParentTime)
                diagnostics.append(
                    Diagnostic(
                        .warning,
                        at: spans[item.span].source,
                        "span \"\(spans[item.span].spanID)\" of run \"\(traceID)\" runs outside its parent \"\(nodes[pNode].span.spanID)\"'s time range; drawn as recorded"
                    )
                )
            }
            nodes.append(
                SpanNode(
                    span: spans[item.span], parent: item.parentNode, depth: item.depth, subtreeEnd: nodeIndex + 1,
                    repairs: spanRepairs)
            )
            openNodes.append(nodeIndex)
            for c in children[item.span].reversed() {
                stack.append((c, nodeIndex, item.depth + 1))
            }
        }
        for open in openNodes { nodes[open].subtreeEnd = nodes.count }
        for i in diagnostics.indices { diagnostics[i].traceID = traceID }
        return (Run(traceID: traceID, nodes: nodes), diagnostics)
    }

    /// Start-time order, ties (and missing times, which go last) broken by span id.
    static func precedes(_ a: Span, _ b: Span) -> Bool {
        let sa = a.startTimeUnixNano ?? Int64.max
        let sb = b.startTimeUnixNano ?? Int64.max
        return sa != sb ? sa < sb : IDKey.precedes(a.spanID, b.spanID)
    }

    /// Whether `child` starts before or ends after `parent`.
    static func outside(_ child: Span, _ parent: Span) -> Bool {
        if let cs = child.startTimeUnixNano, let ps = parent.startTimeUnixNano, cs < ps { return true }
        if let ce = child.endTimeUnixNano, let pe = parent.endTimeUnixNano, ce > pe { return true }
        return false
    }

    /// `scores` with `later` merged by name: a score already there is replaced, a new one appended.
    /// Linear: one index of names per merge.
    static func mergeScores(_ scores: inout [Score], _ later: [Score]) {
        guard !later.isEmpty else { return }
        var index: [IDKey: Int] = [:]
        for (i, score) in scores.enumerated() where index[IDKey(score.name)] == nil { index[IDKey(score.name)] = i }
        for score in later {
            if let i = index[IDKey(score.name)] {
                scores[i] = score
            } else {
                index[IDKey(score.name)] = scores.count
                scores.append(score)
            }
        }
    }

    /// `labels` with the labels of `later` it lacks appended, in order.
    static func unite(_ labels: inout [String], _ later: [String]) {
        guard !later.isEmpty else { return }
        var seen = Set(labels.map(IDKey.init))
        for label in later where seen.insert(IDKey(label)).inserted { labels.append(label) }
    }

    /// `object` with `later`'s members merged by key: an existing key takes the later value.
    static func mergeMembers(_ object: inout JSONObject, _ later: JSONObject) {
        guard !later.members.isEmpty else { return }
        var index: [IDKey: Int] = [:]
        for (i, member) in object.members.enumerated() where index[IDKey(member.key)] == nil {
            index[IDKey(member.key)] = i
        }
        for member in later.members {
            if let i = index[IDKey(member.key)] {
                object.members[i].value = member.value
            } else {
                index[IDKey(member.key)] = object.members.count
                object.members.append(member)
            }
        }
    }

    /// The identity of an event for uniting: name, time and attributes as compact JSON.
    static func eventKey(_ event: SpanEvent) -> [UInt8] {
        var key = Array(event.name.utf8)
        key.append(0)
        key += Array(String(event.timeUnixNano ?? Int64.min).utf8)
        key.append(0)
        key += JSONWriter.bytes(.object(event.attributes), pretty: false)
        return key
    }

    /// `base` updated with `later`'s non-null fields; scores and metadata merge by key, labels
    /// and events are united.
    public static func merge(_ base: Span, with later: Span) -> Span {
        var s = base
        if let p = later.parentSpanID { s.parentSpanID = p }
        if !later.name.isEmpty { s.name = later.name }
        if later.kindName != "span" || s.kindName == "span" {
            s.kind = later.kind
            s.kindName = later.kindName
        }
        if let t = later.startTimeUnixNano { s.startTimeUnixNano = t }
        if let t = later.endTimeUnixNano { s.endTimeUnixNano = t }
        if let v = later.input { s.input = v }
        if let v = later.output { s.output = v }
        if let v = later.error { s.error = v }
        if let v = later.model { s.model = v }
        s.usage = s.usage.merged(with: later.usage)
        mergeScores(&s.scores, later.scores)
        unite(&s.labels, later.labels)
        mergeMembers(&s.metadata, later.metadata)
        if !later.events.isEmpty {
            // Events are united by content; the key is their compact JSON, hashed with Swift's
            // per-process seeded hash, so crafted events cannot make this quadratic.
            var seen = Set(s.events.map(eventKey))
            for event in later.events where seen.insert(eventKey(event)).inserted { s.events.append(event) }
        }
        if later.timeSource != .recorded { s.timeSource = later.timeSource }
        for dropped in later.droppedFields where !s.droppedFields.contains(dropped) { s.droppedFields.append(dropped) }
        return s
    }
}
