import Foundation
import Testing
import TraceFormats
import TraceJSON
import TraceModel

/// The fixtures written by hand in each producer's current shape, beside these tests.
let producerFixturesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

/// The bytes of a fixture, for example `fixtureBytes("inspect/refund-zstd.eval")`.
func fixtureBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: producerFixturesRoot.appendingPathComponent(path)))
}

/// Reads a fixture as the CLI does.
func load(fixture path: String) throws -> Loaded {
    load(bytes: try fixtureBytes(path), file: URL(fileURLWithPath: path).lastPathComponent)
}
