extension RunAnalyzer {
    /// Whether the run failed: its root, or any span on its agent path, ended with an error that
    /// was not handled.
    ///
    /// The agent path is the root and every `agent`, `task` or `handoff` span reached from it
    /// through spans of those kinds only. An error on the path is one the agent did not recover
    /// from: the exception left the agent loop, and so it ended the run, even when the wrapper
    /// above it (an SDK's `task` span, for example) never recorded it. An error below the path
    /// (a tool call or a model call whose agent went on) is handled: the span failed, the run
    /// did not. A span with no parent (a root, or an orphan whose parent was never recorded)
    /// that failed fails the run too.
    static func failed(_ run: Run) -> Bool {
        let nodes = run.nodes
        var onPath = [Bool](repeating: false, count: nodes.count)
        for i in nodes.indices {
            let span = nodes[i].span
            guard let parent = nodes[i].parent else {
                onPath[i] = true
                if span.error != nil { return true }
                continue
            }
            guard onPath[parent] else { continue }
            switch span.kind {
            case .agent, .task, .handoff:
                onPath[i] = true
                if span.error != nil { return true }
            default:
                break
            }
        }
        return false
    }
}
