import ArgumentParser
import TraceEval

/// The run selection options of `render`: `--where`, `--sample`, `--keep`.
struct SelectionArguments: ParsableArguments {
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Render only runs where FIELD OP VALUE holds: status=error, label=TEXT, score.NAME<0.5, metadata.KEY=VALUE, duration>30s, name~REGEX, error~REGEX (operators = != < <= > >= ~ !~). Repeatable; all must hold.",
            valueName: "expr"))
    var filters: [String] = []

    @Option(
        name: .customLong("sample"),
        help: ArgumentHelp(
            "Render N of the selected runs, chosen by a stable hash of their trace ids (the same runs on every machine), plus every run matching --keep.",
            valueName: "n"))
    var sample: Int?

    @Option(
        name: .customLong("keep"),
        help: ArgumentHelp(
            "With --sample, always render runs where EXPR holds (e.g. status=error). Repeatable; any may hold.",
            valueName: "expr"))
    var keep: [String] = []

    func selection() throws -> RunSelection {
        func parse(_ texts: [String], option: String) throws -> [RunFilter] {
            try texts.map { text in
                do {
                    return try RunFilter(parsing: text)
                } catch {
                    throw ValidationError("\(option) \(error)")
                }
            }
        }
        if let sample, sample < 0 { throw ValidationError("--sample must be 0 or more") }
        if !keep.isEmpty && sample == nil { throw ValidationError("--keep needs --sample") }
        return RunSelection(
            filters: try parse(filters, option: "--where"), sample: sample, keep: try parse(keep, option: "--keep"))
    }
}
