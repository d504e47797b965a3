/// One run: the spans of one trace id arranged as a tree.
///
/// The tree is stored flat, in depth-first order, so no code needs recursion to walk it: a node's
/// subtree is the range `index..<subtreeEnd`.
public struct Run: Sendable, Equatable {
    /// The run's trace id.
    public var traceID: String
    /// The nodes in depth-first order; children follow their parent in start-time order.
    public var nodes: [SpanNode]
    /// What the input recorded about the run apart from its spans, merged over all records.
    public var info: RunInfo?

    /// Creates a run from nodes already in depth-first order.
    public init(traceID: String, nodes: [SpanNode], info: RunInfo? = nil) {
        self.traceID = traceID
        self.nodes = nodes
        self.info = info
    }

    /// The first root span, which names the run and carries its scores and labels.
    public var root: Span? { nodes.first?.span }

    /// Indices of the direct children of node `index`.
    public func children(of index: Int) -> [Int] {
        var result: [Int] = []
        var i = index + 1
        let end = nodes[index].subtreeEnd
        while i < end {
            result.append(i)
            i = nodes[i].subtreeEnd
        }
        return result
    }
}

/// A span placed in its run's tree.
public struct SpanNode: Sendable, Equatable {
    /// The span, with duplicates merged.
    public var span: Span
    /// The index of the parent node, or `nil` for a top-level node.
    public var parent: Int?
    /// Depth in the tree; top-level nodes are at depth 0.
    public var depth: Int
    /// The end (exclusive) of this node's subtree in ``Run/nodes``.
    public var subtreeEnd: Int
    /// What assembly repaired on this span.
    public var repairs: [SpanRepair]

    /// Whether this node, stored at `index`, has children.
    public func hasChildren(at index: Int) -> Bool { subtreeEnd > index + 1 }

    /// Creates a node.
    public init(span: Span, parent: Int?, depth: Int, subtreeEnd: Int, repairs: [SpanRepair] = []) {
        self.span = span
        self.parent = parent
        self.depth = depth
        self.subtreeEnd = subtreeEnd
        self.repairs = repairs
    }
}

/// A repair made while assembling a run's tree. Nothing is dropped: each repair is shown on
/// the span and reported as a warning.
public enum SpanRepair: Sendable, Equatable {
    /// The parent id names no span of the run; the span is shown under the root.
    case orphan(missingParentID: String)
    /// The span was its own ancestor; the link to this parent was cut.
    case cycleBroken(formerParentID: String)
    /// The span id appeared on several records, merged with later non-null fields winning.
    case duplicateMerged(recordCount: Int)
    /// The span starts before or ends after its parent.
    case outsideParentTime

    /// A short label for the span row.
    public var label: String {
        switch self {
        case .orphan: "orphan"
        case .cycleBroken: "cycle"
        case .duplicateMerged: "merged"
        case .outsideParentTime: "skew"
        }
    }

    /// A sentence for tooltips and details.
    public var explanation: String {
        switch self {
        case .orphan(let id): "parent \"\(id)\" is not in the trace; shown under the root"
        case .cycleBroken(let id): "parent link to \"\(id)\" formed a cycle and was cut"
        case .duplicateMerged(let n): "recorded \(n) times; later non-null fields win"
        case .outsideParentTime: "runs outside its parent's time range; drawn as recorded"
        }
    }
}
