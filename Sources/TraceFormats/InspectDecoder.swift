public import TraceJSON
public import TraceModel

/// Reads Inspect AI eval logs: `.json` logs (one object with `version`, `eval`, `plan`,
/// `results`, `stats` and `samples`) and `.eval` logs (a ZIP archive holding `header.json` and
/// one `samples/<id>_epoch_<n>.json` per sample).
///
/// Each sample becomes one run whose trace id joins the eval's id (`eval.eval_id`, else
/// `eval.run_id`), the sample id and the epoch. Its root span is the sample (kind `task`) with
/// the sample's input, final output and scores; the eval's task, model, status, plan and
/// results are run information. The steps come from the sample's events (`span_begin` and
/// `span_end`, or the older `step` begin and end events, rebuild the tree of solvers, scorers
/// and tools; `model` events become LLM spans, `tool` events fill their tool spans, `sandbox`
/// events become spans, scores land on their scorer's span, and `state`, `store` and other
/// events are kept as span events), or from the sample's messages when it records no events.
/// `attachment://` and `tc://` references are replaced by the text they name.
///
/// A log without samples becomes one run for the eval itself, with the eval's scores and
/// token counts.
///
/// Score values: numbers and booleans are kept, and Inspect's letter grades count as
/// `C` (correct) = 1, `I` (incorrect) = 0, `P` (partial) = 0.5 and `N` (no answer) = 0, as
/// Inspect's own `value_to_float` does; the letter stays visible as the score's text.
public struct InspectDecoder: TraceFormatDecoder {
    public let formatName = "Inspect AI eval log"
    public let formatID = "inspect"
    public let shapeDescription = "an object with version, eval and samples, or a .eval archive"

    /// Creates a decoder.
    public init() {}

    public func matches(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value else { return false }
        guard case .number? = o["version"], case .object? = o["eval"] else { return false }
        return true
    }

    public func decode(_ records: [JSONRecord], file: String) -> DecodedTrace {
        var result = DecodedTrace()
        for record in records {
            let location = SourceLocation(file: file, line: record.line)
            guard case .object(let log) = record.value, log["eval"]?.objectValue != nil else {
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location, "expected an Inspect eval log object with \"eval\"; record skipped")
                )
                continue
            }
            var samples: [(value: JSONValue, location: SourceLocation)] = []
            switch log["samples"] {
            case nil, .null?: break
            case .array(let items)?: samples = items.map { ($0, location) }
            case let other?:
                result.diagnostics.append(
                    Diagnostic(
                        .error, at: location, "\"samples\" must be an array, found \(other.typeName); samples skipped")
                )
            }
            let reader = LogReader(header: log, location: location, formatName: formatName)
            result.append(
                reader.read(samples: samples, reductions: log["reductions"] ?? log["results"]?["sample_reductions"]))
        }
        return result
    }

    public func matches(bytes: UnsafeRawBufferPointer) -> Bool {
        ZipArchive.hasSignature(bytes)
    }

    public func decode(bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        let location = SourceLocation(file: file, line: 0)
        var result = DecodedTrace()
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: bytes)
        } catch {
            result.diagnostics.append(
                Diagnostic(.error, at: location, "not a readable Inspect .eval archive: \(error.message); file skipped")
            )
            return result
        }
        var budgetExhausted = false
        func json(_ entry: ZipArchive.Entry) -> JSONValue? {
            if budgetExhausted { return nil }
            do {
                let data = try archive.contents(of: entry)
                let parsed = JSONStreamParser.parse(data)
                if let error = parsed.errors.first {
                    result.diagnostics.append(
                        Diagnostic(
                            .error,
                            at: location,
                            "\"\(entry.name)\" in the archive is not valid JSON: \(error.message) (line \(error.line)); entry skipped"
                        )
                    )
                    return nil
                }
                guard let value = parsed.records.first?.value else {
                    result.diagnostics.append(
                        Diagnostic(.error, at: location, "\"\(entry.name)\" in the archive is empty; entry skipped"))
                    return nil
                }
                return value
            } catch {
                if error.exhaustedBudget {
                    budgetExhausted = true
                    result.diagnostics.append(
                        Diagnostic(.error, at: location, "\(error.message); it and the entries after it are skipped"))
                } else {
                    result.diagnostics.append(Diagnostic(.error, at: location, "\(error.message); entry skipped"))
                }
                return nil
            }
        }
        guard let headerEntry = archive.entry(named: "header.json") ?? archive.entry(named: "_journal/start.json")
        else {
            result.diagnostics.append(
                Diagnostic(
                    .error, at: location,
                    "the ZIP archive has no header.json, so it is not an Inspect .eval log; file skipped")
            )
            return result
        }
        guard let header = json(headerEntry), case .object(let log) = header, log["eval"]?.objectValue != nil else {
            if !result.diagnostics.contains(where: { $0.severity == .error }) {
                result.diagnostics.append(
                    Diagnostic(.error, at: location, "\"\(headerEntry.name)\" has no \"eval\" object; file skipped"))
            }
            return result
        }
        var samples: [(value: JSONValue, location: SourceLocation)] = []
        var unreadable = 0
        for entry in archive.entries where entry.name.hasPrefix("samples/") && entry.name.hasSuffix(".json") {
            if let sample = json(entry) {
                samples.append((sample, location))
            } else {
                unreadable += 1
            }
        }
        var reductions: JSONValue? = log["reductions"]
        if reductions == nil, let entry = archive.entry(named: "reductions.json") { reductions = json(entry) }
        let reader = LogReader(header: log, location: location, formatName: formatName)
        result.append(reader.read(samples: samples, reductions: reductions, unreadableSamples: unreadable))
        return result
    }
}
