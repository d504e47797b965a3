// swift-tools-version:6.0
// libFuzzer targets for trace-report, one per entry point. Build and run them with Tests/fuzz/run;
// they need `-sanitize=fuzzer` (which gives them libFuzzer's main), so they live outside the
// main package's normal build.
import PackageDescription

let entries = ["json", "decoders", "zip", "markdown", "pipeline"]

let package = Package(
    name: "trace-report-fuzz",
    dependencies: [.package(name: "trace-report", path: "..")],
    targets: entries.map { entry in
        .executableTarget(
            name: "fuzz-\(entry)",
            dependencies: [.product(name: "TraceReportFuzzing", package: "trace-report")],
            path: "Sources/fuzz-\(entry)"
        )
    }
)
