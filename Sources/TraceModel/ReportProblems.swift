/// What a report must say about its input beyond the runs it shows: every skipped line,
/// repaired span and dropped field, and the runs of which nothing could be read.
///
/// Built once after loading, from the diagnostics of decoding and assembly; the index, the run
/// pages and `summary.json` all read the same value, so they agree.
public struct ReportProblems: Sendable, Equatable {
    /// One problem, as a report lists it.
    public struct Item: Sendable, Equatable {
        /// What became of the record.
        public var kind: Kind
        /// The input file's base name (never a directory path: reports are shared).
        public var file: String
        /// The 1-based line, or 0 when the problem concerns a whole file.
        public var line: Int
        /// What is wrong: a lowercase clause.
        public var message: String
        /// The run the record belongs to, when the record names one (a skipped line is scanned
        /// for its trace id even when it is not valid JSON).
        public var traceID: String?

        /// Creates an item.
        public init(kind: Kind, file: String, line: Int, message: String, traceID: String? = nil) {
            self.kind = kind
            self.file = file
            self.line = line
            self.message = message
            self.traceID = traceID
        }

        /// `file:line`, or the file alone when the line is unknown.
        public var place: String { line > 0 ? "\(file):\(line)" : file }
    }

    /// The kinds of problem, in the order a report lists them.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A line or record that could not be read and was skipped.
        case skippedLine = "skipped_line"
        /// A span that was kept and repaired (orphan, cycle, duplicate record, clock skew).
        case repairedSpan = "repaired_span"
        /// A field of the wrong type that was left out; its span was kept.
        case droppedField = "dropped_field"

        /// How the kind reads in a count: "skipped line", "repaired span", "dropped field".
        public var title: String {
            switch self {
            case .skippedLine: "skipped line"
            case .repairedSpan: "repaired span"
            case .droppedField: "dropped field"
            }
        }
    }

    /// A run named by skipped lines only: nothing of it could be read, so it has no page.
    public struct LostRun: Sendable, Equatable {
        /// The trace id found in its lines.
        public var traceID: String
        /// How many skipped lines name it.
        public var lines: Int
    }

    /// Every problem, by file and line.
    public var items: [Item]
    /// Runs that were lost entirely, by trace id.
    public var lostRuns: [LostRun]

    /// Creates an empty value.
    public init() {
        items = []
        lostRuns = []
    }

    /// Collects the problems of `diagnostics`.
    ///
    /// - Parameters:
    ///   - diagnostics: What decoding and assembly reported.
    ///   - traceIDs: The trace id each diagnostic's record names, parallel to `diagnostics`
    ///     (`nil` where none was found).
    ///   - renderedRunIDs: The trace ids of the runs the report shows; any other trace id named
    ///     by a skipped line is a lost run.
    public init(diagnostics: [Diagnostic], traceIDs: [String?], renderedRunIDs: Set<String>) {
        var items: [Item] = []
        items.reserveCapacity(diagnostics.count)
        for (i, d) in diagnostics.enumerated() {
            let kind: Kind
            switch d.effect {
            case .skippedRecord: kind = .skippedLine
            case .repairedSpan: kind = .repairedSpan
            case .droppedField: kind = .droppedField
            }
            items.append(
                Item(
                    kind: kind, file: SourceLocation.baseName(of: d.location.file), line: d.location.line,
                    message: d.message, traceID: i < traceIDs.count ? traceIDs[i] : nil)
            )
        }
        self.items = items
        var lost: [String: Int] = [:]
        for item in items where item.kind == .skippedLine {
            if let id = item.traceID, !renderedRunIDs.contains(id) { lost[id, default: 0] += 1 }
        }
        lostRuns = lost.keys.sorted().map { LostRun(traceID: $0, lines: lost[$0]!) }
    }

    /// How many problems are of `kind`.
    public func count(_ kind: Kind) -> Int {
        items.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
    }

    /// Whether there is nothing to report.
    public var isEmpty: Bool { items.isEmpty && lostRuns.isEmpty }

    /// The problems of each run whose records had any, in order.
    public func itemsByRun() -> [String: [Item]] {
        var result: [String: [Item]] = [:]
        for item in items {
            if let id = item.traceID { result[id, default: []].append(item) }
        }
        return result
    }

    /// The problems whose record names the run `traceID`.
    public func items(forRun traceID: String) -> [Item] {
        items.filter { $0.traceID == traceID }
    }
}
