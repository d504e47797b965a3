import TraceJSON
import TraceModel

extension InspectDecoder {
    /// Turns one eval log (its header fields and its samples) into runs.
    struct LogReader {
        /// The log object: `eval`, `plan`, `results`, `stats`, `status`, `error`….
        let header: JSONObject
        let location: SourceLocation
        let formatName: String

        /// The eval's task name.
        var task: String { header["eval"]?["task"]?.stringValue ?? "eval" }

        /// The eval's id: the part of every trace id this log gives.
        var evalID: String {
            let eval = header["eval"]
            for key in ["eval_id", "run_id", "task_id"] {
                if let id = eval?[key]?.stringValue, !id.isEmpty { return id }
            }
            return "inspect-\(task)"
        }

        /// The runs of the log.
        ///
        /// - Parameters:
        ///   - samples: The samples that could be read, each with where it was read.
        ///   - reductions: The per-sample score reductions, shown on a summary run.
        ///   - unreadableSamples: Samples the log holds that could not be read (damaged archive
        ///     entries); when none could be read the eval's summary is shown instead.
        func read(
            samples: [(value: JSONValue, location: SourceLocation)], reductions: JSONValue?, unreadableSamples: Int = 0
        ) -> DecodedTrace {
            var result = DecodedTrace()
            let info = runMetadata()
            if samples.isEmpty {
                let (span, runInfo) = headerRun(
                    reductions: reductions, info: info, unreadableSamples: unreadableSamples)
                result.spans.append(span)
                result.runInfo.append(runInfo)
                return result
            }
            let epochs = header["eval"]?["config"]?["epochs"]?.numberValue?.int64 ?? 1
            for (index, sample) in samples.enumerated() {
                guard case .object(let s) = sample.value else {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, at: sample.location,
                            "sample \(index + 1) must be an object, found \(sample.value.typeName); sample skipped")
                    )
                    continue
                }
                let id = Self.idText(s["id"]) ?? String(index + 1)
                let epoch = s["epoch"]?.numberValue?.int64 ?? 1
                let traceID = "\(evalID)-sample-\(id)-epoch-\(epoch)"
                var name = "\(task) sample \(id)"
                if epochs > 1 || epoch > 1 { name += " epoch \(epoch)" }
                var reader = SampleReader(
                    sample: s,
                    traceID: traceID,
                    sampleLabel: epochs > 1 || epoch > 1 ? "sample \(id), epoch \(epoch)" : "sample \(id)",
                    evalModel: header["eval"]?["model"]?.stringValue,
                    evalTimes: evalTimes(),
                    location: sample.location,
                    formatName: formatName
                )
                reader.read()
                result.spans.append(contentsOf: reader.spans)
                result.diagnostics.append(contentsOf: reader.diagnostics)
                result.runInfo.append(RunInfo(traceID: traceID, name: name, metadata: info))
            }
            return result
        }

        /// The eval's start and end: `stats.started_at`/`completed_at`, else `eval.created`.
        func evalTimes() -> (start: Int64?, end: Int64?) {
            let start = (header["stats"]?["started_at"]?.stringValue ?? header["eval"]?["created"]?.stringValue)
                .flatMap(Timestamp.parseRFC3339)
            let end = header["stats"]?["completed_at"]?.stringValue.flatMap(Timestamp.parseRFC3339)
            return (start, end)
        }

        /// The eval-level facts shown with every run of the log.
        func runMetadata() -> JSONObject {
            var out = JSONObject()
            let eval = header["eval"]?.objectValue ?? JSONObject()
            out.members.append(("task", .string(task)))
            for key in ["model", "eval_id", "run_id", "task_id", "created", "task_file"] {
                if let v = eval[key], !v.isNull { out.members.append((key, v)) }
            }
            if let status = header["status"] { out.members.append(("status", status)) }
            if let version = header["version"] { out.members.append(("log version", version)) }
            if let dataset = eval["dataset"] { out.members.append(("dataset", dataset)) }
            for key in [
                "task_args", "model_args", "model_generate_config", "config", "sandbox", "revision", "packages",
            ] {
                if let v = eval[key], !Self.isEmptyValue(v) { out.members.append((key, v)) }
            }
            if let plan = header["plan"], !plan.isNull { out.members.append(("plan", plan)) }
            if case .object(var results)? = header["results"] {
                results.members.removeAll { $0.key == "sample_reductions" }
                out.members.append(("results", .object(results)))
            }
            if let stats = header["stats"], !stats.isNull { out.members.append(("stats", stats)) }
            if let error = header["error"], !error.isNull { out.members.append(("eval error", error)) }
            return out
        }

        /// The one run of a log without samples: the eval itself.
        func headerRun(reductions: JSONValue?, info: JSONObject, unreadableSamples: Int) -> (Span, RunInfo) {
            let traceID = evalID
            let times = evalTimes()
            let status = header["status"]?.stringValue
            let note =
                unreadableSamples > 0
                ? "none of the log's \(unreadableSamples) samples could be read; this run shows the eval's summary"
                : "the log holds no samples; this run shows the eval's summary"
            var metadata = JSONObject([("samples", .string(note))])
            if let reductions, !reductions.isNull { metadata.members.append(("reductions", reductions)) }
            var scores: [Score] = []
            if case .array(let entries)? = header["results"]?["scores"] {
                for entry in entries {
                    let scorer = entry["name"]?.stringValue ?? entry["scorer"]?.stringValue ?? "score"
                    guard case .object(let metrics)? = entry["metrics"] else { continue }
                    for metric in metrics.members {
                        guard case .number(let n)? = metric.value["value"] else { continue }
                        let name = metric.value["name"]?.stringValue ?? metric.key
                        scores.append(Score(name: "\(scorer)/\(name)", value: n.double, text: n.text))
                    }
                }
            }
            var usage = Usage()
            if case .object(let models)? = header["stats"]?["model_usage"] {
                usage = Self.sumUsage(models)
            }
            var error: SpanError? = nil
            if case .object(let e)? = header["error"] {
                error = SpanError(
                    message: e["message"]?.stringValue ?? "the eval failed", stack: e["traceback"]?.stringValue)
            } else if status == "error" {
                error = SpanError(message: "the eval ended with status \"error\"")
            }
            var labels: [String] = []
            if let status, status != "success" { labels.append(status) }
            let span = Span(
                traceID: traceID,
                spanID: "eval",
                name: task,
                kind: .eval,
                startTimeUnixNano: times.start,
                endTimeUnixNano: status == "started" ? nil : (times.end ?? times.start),
                error: error,
                model: header["eval"]?["model"]?.stringValue,
                usage: usage,
                scores: scores,
                labels: labels,
                metadata: metadata,
                source: location,
                sourceFormat: formatName
            )
            return (span, RunInfo(traceID: traceID, name: task, metadata: info))
        }

        /// Token counts summed over `model_usage` entries (`{"<model>": {input_tokens, …}}`).
        static func sumUsage(_ models: JSONObject) -> Usage {
            var usage = Usage()
            for model in models.members {
                let u = InspectDecoder.usage(model.value)
                if let v = u.inputTokens { usage.inputTokens = (usage.inputTokens ?? 0) + v }
                if let v = u.outputTokens { usage.outputTokens = (usage.outputTokens ?? 0) + v }
                if let v = u.totalTokens { usage.totalTokens = (usage.totalTokens ?? 0) + v }
                if let v = u.cost { usage.cost = (usage.cost ?? 0) + v }
            }
            return usage
        }

        /// A sample id as text: ids are integers or strings.
        static func idText(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let s)?: s
            case .number(let n)?: n.text
            default: nil
            }
        }

        static func isEmptyValue(_ value: JSONValue) -> Bool {
            switch value {
            case .null: true
            case .object(let o): o.isEmpty
            case .array(let a): a.isEmpty
            default: false
            }
        }
    }
}
