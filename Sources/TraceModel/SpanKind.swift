/// What a span did in an agent run.
///
/// Unknown kinds are kept as ``SpanKind/span`` (a generic span), and the name they were written
/// with stays available in ``Span/kindName``.
public enum SpanKind: String, Sendable, CaseIterable, Equatable, Hashable {
    /// An agent's turn or a whole agent run.
    case agent
    /// A call to a language model.
    case llm
    /// A tool or function call.
    case tool
    /// A search over documents.
    case retrieval
    /// An embedding call.
    case embedding
    /// A read from or write to agent memory.
    case memory
    /// An update of the agent's state.
    case state
    /// A handoff from one agent to another.
    case handoff
    /// A guardrail or policy check.
    case guardrail
    /// A reasoning or planning step.
    case reasoning
    /// An evaluation or scoring step.
    case eval
    /// A task or workflow step.
    case task
    /// Any other span.
    case span

    /// The kind for a name as written in a trace; unknown names give ``span``.
    public init(name: String) {
        self = SpanKind(rawValue: name.lowercased()) ?? .span
    }
}
