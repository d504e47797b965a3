import ArgumentParser
import CMalloc

/// The `trace-report` command.
@main
struct TraceReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace-report",
        abstract: "Turn agent and LLM trace files into self-contained static HTML reports.",
        discussion: """
            Reads trace files in any supported format (trace-report JSONL, OTLP JSON and other \
            OpenTelemetry exports, OpenAI Agents SDK, LangSmith, Braintrust, Langfuse, Jaeger, Zipkin, \
            Inspect AI, SWE-agent, any-agent; the format is detected) and writes a folder with index.html (every run with its \
            status, latency, tokens, cost and scores) and one self-contained page per run under runs/. \
            The pages open from disk and make no network request.
            """,
        version: TraceReportVersion.current,
        subcommands: [RenderCommand.self, DiffCommand.self, ExtractCommand.self, MergeCommand.self],
        defaultSubcommand: nil
    )

    static func main() {
        // A render frees large buffers all the time (page bodies, packed chunks); with glibc's
        // adaptive thresholds each thread's heap kept tens of megabytes of them. On the 200 MB
        // benchmark peak memory went from 402 MB to 376 MB at --jobs 1 and from 450 MB to
        // 417 MB at --jobs 2, in the same time.
        trace_report_return_freed_memory()
        Self.main(nil)
    }
}

/// The version printed by `--version`.
enum TraceReportVersion {
    static let current = "0.1.0"
}
