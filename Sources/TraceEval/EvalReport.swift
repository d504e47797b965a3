import TraceJSON
import TraceModel

/// Options for reading a set of runs as an eval report.
public struct EvalOptions: Sendable, Equatable {
    /// The pass threshold per score name; a run passes a score when its value is at least this.
    public var thresholds: [String: Double]
    /// Facets to group runs by: `metadata.KEY` (or just `KEY`), `name`, `status` or `model`.
    public var facets: [String]
    /// How runs are matched with the baseline: `trace_id` (the default), `name`, or
    /// `metadata.KEY`.
    public var matchOn: String
    /// The gates to check.
    public var gates: [Gate]

    /// Creates options.
    public init(
        thresholds: [String: Double] = [:], facets: [String] = [], matchOn: String = "trace_id", gates: [Gate] = []
    ) {
        self.thresholds = thresholds
        self.facets = facets
        self.matchOn = matchOn
        self.gates = gates
    }

    /// The threshold for `score`: the one given, else a `--fail-under` value, else 0.5 for
    /// scores whose values all lie in 0…1.
    func threshold(for score: String, values: [Double]) -> Double? {
        if let t = thresholds[score] { return t }
        for gate in gates {
            if case .failUnder(let s, let v) = gate, s == score { return v }
        }
        if !values.isEmpty, values.allSatisfy({ $0 >= 0 && $0 <= 1 }) { return 0.5 }
        return nil
    }
}

/// Statistics of one score over the runs that have it.
public struct ScoreStats: Sendable, Equatable {
    public var name: String
    public var count: Int
    public var mean: Double
    public var min: Double
    public var max: Double
    /// The threshold used for the pass rate, if any.
    public var threshold: Double?
    /// Runs at or above the threshold.
    public var passed: Int
    /// The baseline's mean, when a baseline was given and has the score.
    public var baselineMean: Double?

    /// The share of runs that pass, when there is a threshold.
    public var passRate: Double? { threshold == nil || count == 0 ? nil : Double(passed) / Double(count) }
}

/// One group of a facet: runs sharing a value.
public struct FacetGroup: Sendable, Equatable {
    public var value: String
    public var runs: Int
    public var errors: Int
    /// Mean of each score over the group's runs that have it, in the order of the report's
    /// ``EvalReport/facetScoreNames``.
    public var means: [Double?]
}

/// Runs grouped by one facet.
public struct FacetTable: Sendable, Equatable {
    public var facet: String
    public var groups: [FacetGroup]
}

/// How a run compares with its baseline match.
public struct RunComparison: Sendable, Equatable {
    /// The baseline run it matched, if any (`nil`: a new case).
    public var baseline: EvalRun?
    /// Score deltas (current minus baseline) by score name, for scores both have.
    public var deltas: [(name: String, delta: Double)]

    public static func == (a: RunComparison, b: RunComparison) -> Bool {
        a.baseline == b.baseline && a.deltas.map(\.name) == b.deltas.map(\.name)
            && a.deltas.map(\.delta) == b.deltas.map(\.delta)
    }

    /// The delta of `score`, if both runs have it.
    public func delta(_ score: String) -> Double? { deltas.first { $0.name == score }?.delta }
}

/// The whole eval reading of a report: score statistics, groups, baseline comparison, gates.
public struct EvalReport: Sendable, Equatable {
    /// The runs, in report order.
    public var runs: [EvalRun]
    /// Every score name, sorted.
    public var scoreNames: [String]
    /// The score names that get a column of their own in tables (the index, facets): all when
    /// there are at most ``maxScoreColumns``, else the most common ones; sorted.
    public var facetScoreNames: [String]

    /// The most score columns a table gets; the other scores share one column, so a table
    /// stays linear in runs when every run has a score name of its own.
    public static let maxScoreColumns = 20

    /// The names for score columns among runs whose score names are `perRun`: every name when
    /// there are at most ``maxScoreColumns``, else the ones most runs have (ties by name);
    /// sorted by name.
    public static func columnScoreNames(_ perRun: [[String]]) -> [String] {
        var counts: [String: Int] = [:]
        for names in perRun {
            for name in Set(names) { counts[name, default: 0] += 1 }
        }
        guard counts.count > maxScoreColumns else { return counts.keys.sorted() }
        let common = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return common.prefix(maxScoreColumns).map(\.key).sorted()
    }
    /// Statistics per score, in ``scoreNames`` order.
    public var scores: [ScoreStats]
    /// Groups by label (runs without labels are not counted) and by each requested facet.
    public var facets: [FacetTable]
    /// Per run, how it compares with the baseline; empty without a baseline.
    public var comparisons: [RunComparison]
    /// Baseline runs no current run matched.
    public var missing: [EvalRun]
    /// Whether a baseline was given.
    public var hasBaseline: Bool
    /// The key runs were matched on.
    public var matchOn: String
    /// Gate outcomes, in the order given.
    public var gates: [GateResult]
    /// Nearest-rank p50 and p95 of run durations.
    public var p50Nanos: Int64?
    public var p95Nanos: Int64?

    /// Whether every gate passed.
    public var gatesPassed: Bool { gates.allSatisfy(\.passed) }

    /// Reads `runs` as an eval report, comparing with `baseline` when given.
    public init(runs: [EvalRun], baseline: [EvalRun]? = nil, options: EvalOptions = EvalOptions()) {
        self.runs = runs
        self.matchOn = options.matchOn
        self.hasBaseline = baseline != nil
        // Each run's value per score name (its first score of that name), in one pass.
        var valuesByName: [String: [Double]] = [:]
        var runScores: [[String: Double]] = []
        runScores.reserveCapacity(runs.count)
        for run in runs {
            var own: [String: Double] = [:]
            for s in run.scores where own[s.name] == nil { own[s.name] = s.value }
            for (name, value) in own { valuesByName[name, default: []].append(value) }
            runScores.append(own)
        }
        scoreNames = valuesByName.keys.sorted()
        facetScoreNames = Self.columnScoreNames(runScores.map { Array($0.keys) })

        var comparisons: [RunComparison] = []
        var missing: [EvalRun] = []
        if let baseline {
            let matches = Self.baselineMatches(runs, baseline: baseline, matchOn: options.matchOn)
            var used = Set<Int>()
            for r in runs.indices {
                guard let i = matches[r] else {
                    comparisons.append(RunComparison(baseline: nil, deltas: []))
                    continue
                }
                used.insert(i)
                let b = baseline[i]
                var deltas: [(name: String, delta: Double)] = []
                for name in runScores[r].keys.sorted() {
                    if let now = runScores[r][name], let then = b.score(name) { deltas.append((name, now - then)) }
                }
                comparisons.append(RunComparison(baseline: b, deltas: deltas))
            }
            missing = baseline.indices.filter { !used.contains($0) }.map { baseline[$0] }
        }
        self.comparisons = comparisons
        self.missing = missing

        var baselineValuesByName: [String: [Double]] = [:]
        for run in baseline ?? [] {
            var seen: Set<String> = []
            for s in run.scores where seen.insert(s.name).inserted {
                baselineValuesByName[s.name, default: []].append(s.value)
            }
        }
        scores = scoreNames.map { name in
            let values = valuesByName[name] ?? []
            let threshold = options.threshold(for: name, values: values)
            let baselineValues = baselineValuesByName[name] ?? []
            return ScoreStats(
                name: name,
                count: values.count,
                mean: values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count),
                min: values.min() ?? .nan,
                max: values.max() ?? .nan,
                threshold: threshold,
                passed: threshold.map { t in values.filter { $0 >= t }.count } ?? 0,
                baselineMean: baselineValues.isEmpty ? nil : baselineValues.reduce(0, +) / Double(baselineValues.count)
            )
        }

        // Facets: labels first, then the requested ones. Groups sorted by value.
        var tables: [FacetTable] = []
        let scoreNames = self.facetScoreNames
        // Each run's value of each column's score, read once: a run in many groups (one per
        // label) is not searched again for every group.
        let columnScores: [[Double?]] = runs.map { run in scoreNames.map { run.score($0) } }
        func table(_ facet: String, _ valuesOf: (EvalRun) -> [String]) -> FacetTable {
            var members: [String: [Int]] = [:]
            for (i, run) in runs.enumerated() { for v in valuesOf(run) { members[v, default: []].append(i) } }
            let groups = members.keys.sorted().map { value -> FacetGroup in
                let group = members[value]!
                return FacetGroup(
                    value: value,
                    runs: group.count,
                    errors: group.filter { runs[$0].status == "error" }.count,
                    means: scoreNames.indices.map { k in
                        let v = group.compactMap { columnScores[$0][k] }
                        return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
                    }
                )
            }
            return FacetTable(facet: facet, groups: groups)
        }
        if runs.contains(where: { !$0.labels.isEmpty }) { tables.append(table("label", \.labels)) }
        for facet in options.facets {
            tables.append(table(facet) { [$0.value(of: facet) ?? "(none)"] })
        }
        facets = tables

        let durations = runs.compactMap(\.durationNanos).sorted()
        func percentile(_ p: Int) -> Int64? {
            guard !durations.isEmpty else { return nil }
            let rank = max(1, (p * durations.count + 99) / 100)
            return durations[min(rank, durations.count) - 1]
        }
        p50Nanos = percentile(50)
        p95Nanos = percentile(95)

        // Gates.
        var results: [GateResult] = []
        for gate in options.gates {
            switch gate {
            case .failUnder(let name, let minimum):
                let stats = scores.first { $0.name == name }
                let mean = stats?.mean ?? .nan
                let passed = mean.isFinite && mean >= minimum
                results.append(
                    GateResult(
                        gate: gate, passed: passed,
                        detail:
                            "mean \(name) is \(EvalFormatting.number(mean)) over \(stats?.count ?? 0) runs (minimum \(EvalFormatting.number(minimum)))"
                    ))
            case .failOnRegression(let name, let tolerance):
                var regressed: [String] = []
                for (run, comparison) in zip(runs, comparisons) {
                    if let d = comparison.delta(name), d < -tolerance - 1e-12 {
                        regressed.append(
                            "\(run.name) [\(run.traceID)] \(EvalFormatting.number(comparison.baseline?.score(name) ?? .nan)) → \(EvalFormatting.number(run.score(name) ?? .nan))"
                        )
                    }
                }
                let detail =
                    regressed.isEmpty
                    ? "no run lost more than \(EvalFormatting.number(tolerance)) on \(name)"
                    : "\(regressed.count) run\(regressed.count == 1 ? "" : "s") regressed on \(name): "
                        + regressed.joined(separator: "; ")
                results.append(GateResult(gate: gate, passed: regressed.isEmpty, detail: detail))
            case .failOnError:
                let failed = runs.filter { $0.status == "error" }
                let detail =
                    failed.isEmpty
                    ? "no run failed"
                    : "\(failed.count) run\(failed.count == 1 ? "" : "s") failed: "
                        + failed.map { "\($0.name) [\($0.traceID)]" + ($0.firstError.map { ": \($0)" } ?? "") }.joined(
                            separator: "; ")
                results.append(GateResult(gate: gate, passed: failed.isEmpty, detail: detail))
            }
        }
        gates = results
    }

    /// The baseline run each run matches (an index into `baseline`), or `nil`: the first baseline
    /// run not matched yet whose value of `matchOn` (see ``EvalRun/value(of:)``) is the run's, in
    /// baseline order. `render --baseline` and `diff` pair runs this way.
    public static func baselineMatches(_ runs: [EvalRun], baseline: [EvalRun], matchOn: String) -> [Int?] {
        var byKey: [String: [Int]] = [:]
        for (i, b) in baseline.enumerated() {
            if let key = b.value(of: matchOn) { byKey[key, default: []].append(i) }
        }
        var next: [String: Int] = [:]
        return runs.map { run -> Int? in
            guard let key = run.value(of: matchOn), let candidates = byKey[key] else { return nil }
            let k = next[key, default: 0]
            guard k < candidates.count else { return nil }
            next[key] = k + 1
            return candidates[k]
        }
    }

    /// The index of `name` in ``scores`` (sorted by name), by binary search.
    func scoreIndex(_ name: String) -> Int? {
        var low = 0
        var high = scores.count
        while low < high {
            let mid = (low + high) / 2
            if scores[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low < scores.count && scores[low].name == name ? low : nil
    }

    /// Whether a run fails as a test case: it failed, or a score is below its threshold.
    public func failures(of run: EvalRun) -> [String] {
        var reasons: [String] = []
        if run.status == "error" { reasons.append("run failed" + (run.firstError.map { ": \($0)" } ?? "")) }
        // The run's first value per name, once, so this stays linear in the run's scores.
        var own: [String: Double] = [:]
        for s in run.scores where own[s.name] == nil { own[s.name] = s.value }
        if own.count < scores.count {
            for name in own.keys.sorted() {
                guard let i = scoreIndex(name), let t = scores[i].threshold, let v = own[name], v < t else { continue }
                reasons.append("\(name) \(EvalFormatting.number(v)) is below \(EvalFormatting.number(t))")
            }
        } else {
            for stats in scores {
                if let t = stats.threshold, let v = own[stats.name], v < t {
                    reasons.append("\(stats.name) \(EvalFormatting.number(v)) is below \(EvalFormatting.number(t))")
                }
            }
        }
        return reasons
    }
}

/// Compact JSON for facet values that are not scalars.
enum JSONTextCompact {
    static func write(_ value: JSONValue) -> String {
        JSONWriter.write(value, pretty: false)
    }
}
