// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "trace-report",
    products: [
        .library(
            name: "TraceReport",
            targets: [
                "TraceJSON", "TraceModel", "TraceFormats", "TraceEval", "TraceMarkdown", "TraceHTML", "TraceReportCore",
            ]
        ),
        .executable(name: "trace-report", targets: ["trace-report"]),
        .library(name: "TraceReportTracing", targets: ["TraceReportTracing"]),
        .executable(name: "tracing-example", targets: ["tracing-example"]),
        // The entry points of the libFuzzer targets in Fuzz/ (a package of its own).
        .library(name: "TraceReportFuzzing", targets: ["TraceReportFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        .target(name: "TraceJSON", swiftSettings: swiftSettings),
        .target(name: "TraceModel", dependencies: ["TraceJSON"], swiftSettings: swiftSettings),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .target(
            name: "TraceFormats", dependencies: ["TraceJSON", "TraceModel", "CZlib", "CZstd"],
            swiftSettings: swiftSettings),
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        .target(name: "TraceEval", dependencies: ["TraceJSON", "TraceModel"], swiftSettings: swiftSettings),
        .target(name: "TraceMarkdown", dependencies: ["CCmark"], swiftSettings: swiftSettings),
        .target(
            name: "TraceHTML",
            dependencies: ["TraceJSON", "TraceModel", "TraceEval", "TraceMarkdown", "CZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TraceReportCore",
            dependencies: ["TraceJSON", "TraceModel", "TraceFormats", "TraceEval", "TraceHTML", "CZlib", "CZstd"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "trace-report",
            dependencies: [
                "TraceJSON", "TraceModel", "TraceFormats", "TraceEval", "TraceHTML", "TraceReportCore", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "library-usage",
            dependencies: ["TraceEval", "TraceHTML", "TraceReportCore"],
            path: "Examples/library-usage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TraceReportTracing",
            dependencies: ["TraceJSON", .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tracing-example",
            dependencies: ["TraceReportTracing", .product(name: "Tracing", package: "swift-distributed-tracing")],
            path: "Examples/tracing-example",
            swiftSettings: swiftSettings
        ),
        // Depends on nothing: it writes a file TraceHTML compiles (see its main.swift).
        .executableTarget(name: "generate-embedded-assets", swiftSettings: swiftSettings),
        .target(
            name: "TraceReportFuzzing",
            dependencies: [
                "TraceJSON", "TraceModel", "TraceFormats", "TraceEval", "TraceMarkdown", "TraceHTML", "TraceReportCore",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraceReportFuzzingTests", dependencies: ["TraceReportFuzzing"], swiftSettings: swiftSettings),
        .testTarget(name: "TraceJSONTests", dependencies: ["TraceJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TraceModelTests",
            dependencies: ["TraceJSON", "TraceModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraceFormatsTests",
            dependencies: ["TraceJSON", "TraceModel", "TraceFormats", "TraceReportCore"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraceEvalTests",
            dependencies: ["TraceJSON", "TraceModel", "TraceFormats", "TraceEval"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TraceMarkdownTests", dependencies: ["TraceMarkdown"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TraceHTMLTests",
            dependencies: ["TraceJSON", "TraceModel", "TraceHTML", "TraceMarkdown", "TraceReportCore"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraceReportTracingTests",
            dependencies: [
                "TraceReportTracing", "TraceJSON", "TraceModel", "TraceFormats", "TraceHTML", "tracing-example",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProductionInputTests",
            dependencies: ["trace-report", "TraceReportCore", "CZlib", "CZstd"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraceReportCLITests",
            dependencies: [
                "trace-report", "TraceHTML", "TraceEval", "TraceFormats", "TraceJSON", "TraceModel", "TraceReportCore",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
