import Dispatch
import Synchronization
public import TraceModel

/// The render stage: turns analyzed runs into the files of a report (`index.html` and one page
/// per run under `runs/`). It never writes to disk.
///
/// Output bytes depend only on the runs, the options and the libcmark version: never on the
/// clock, the machine, hash seeds or ``ReportOptions/parallelism``.
public struct ReportRenderer: Sendable {
    /// The options in use.
    public var options: ReportOptions

    /// Creates a renderer.
    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    /// Renders the whole report, files sorted by path.
    public func render(_ runs: [AnalyzedRun]) -> [OutputFile] {
        let stems = Naming.runFileStems(runs.map(\.run.traceID))
        var pages = [OutputFile?](repeating: nil, count: runs.count)
        if options.parallelism > 1 && runs.count > 1 {
            let results = ResultSlots<OutputFile>(count: runs.count)
            DispatchQueue.concurrentPerform(iterations: runs.count) { i in
                results.store(renderRunPage(runs[i], fileStem: stems[i]), at: i)
            }
            pages = results.values
        } else {
            for i in runs.indices { pages[i] = renderRunPage(runs[i], fileStem: stems[i]) }
        }
        var files = pages.map { $0! }
        files.append(renderIndex(runs, fileStems: stems))
        files.sort { $0.relativePath < $1.relativePath }
        return files
    }

    /// Renders the page of one run as `runs/<fileStem>.html`.
    public func renderRunPage(_ run: AnalyzedRun, fileStem: String) -> OutputFile {
        var renderer = RunPageRenderer(run: run, fileName: fileStem)
        var body = HTMLBuffer(capacity: 64 * 1024)
        renderer.body(into: &body)
        let bytes = PageShell.page(title: run.name + " · trace-report", pageClass: "run-page", body: body.bytes)
        return OutputFile(relativePath: "runs/" + fileStem + ".html", contents: bytes)
    }

    /// Renders `index.html`, linking to run pages named by `fileStems`.
    public func renderIndex(_ runs: [AnalyzedRun], fileStems: [String]) -> OutputFile {
        var body = HTMLBuffer(capacity: 16 * 1024 + runs.count * 512)
        IndexRenderer(runs: runs, fileStems: fileStems, title: options.title).body(into: &body)
        return OutputFile(relativePath: "index.html", contents: PageShell.page(title: options.title, pageClass: "index-page", body: body.bytes))
    }

    /// The file stem each run's page gets, in the order given.
    public static func fileStems(for runs: [AnalyzedRun]) -> [String] {
        Naming.runFileStems(runs.map(\.run.traceID))
    }
}

/// Slots that worker threads fill at distinct indices.
private final class ResultSlots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ value: Value, at index: Int) {
        slots.withLock { $0[index] = value }
    }

    var values: [Value?] { slots.withLock { $0 } }
}
