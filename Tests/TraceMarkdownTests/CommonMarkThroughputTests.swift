import Foundation
import Testing
import TraceMarkdown

/// Prints single-thread throughput; run with
/// `TRACE_MARKDOWN_BENCHMARK=1 swift test -c release --filter CommonMarkThroughputTests`.
@Suite("CommonMark throughput")
struct CommonMarkThroughputTests {
    @Test(
        "Single-thread throughput on chat Markdown",
        .enabled(if: ProcessInfo.processInfo.environment["TRACE_MARKDOWN_BENCHMARK"] != nil)
    )
    func throughput() {
        let documents = ChatCorpus.documents(count: 2_000)
        let byteDocuments = documents.map { Array($0.utf8) }
        let totalBytes = byteDocuments.reduce(0) { $0 + $1.count }
        let megabytes = Double(totalBytes) / 1_000_000

        func best(of runs: Int, _ body: () -> Int) -> Duration {
            var fastest = Duration.seconds(1_000)
            for _ in 0..<runs {
                let clock = ContinuousClock()
                var sink = 0
                let elapsed = clock.measure { sink &+= body() }
                #expect(sink > 0)
                fastest = min(fastest, elapsed)
            }
            return fastest
        }
        func rate(_ duration: Duration) -> Double {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return megabytes / seconds
        }

        let stringTime = best(of: 7) { documents.reduce(0) { $0 + CommonMark.html(from: $1).utf8.count } }
        let byteTime = best(of: 7) { byteDocuments.reduce(0) { $0 + CommonMark.html(fromUTF8: $1).count } }
        let smartTime = best(of: 7) {
            documents.reduce(0) { $0 + CommonMark.html(from: $1, options: .smart).utf8.count }
        }

        print(
            """
            TraceMarkdown throughput, 1 thread, \(documents.count) documents, \(totalBytes) bytes of Markdown, \
            libcmark \(CommonMark.version):
              html(from:)               \(String(format: "%.1f", rate(stringTime))) MB/s
              html(fromUTF8:)           \(String(format: "%.1f", rate(byteTime))) MB/s
              html(from:options:.smart) \(String(format: "%.1f", rate(smartTime))) MB/s
            """
        )
    }
}
