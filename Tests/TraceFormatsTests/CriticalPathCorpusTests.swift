import Foundation
import Testing
import TraceModel

private let zipkinDir = corpusRoot.appendingPathComponent("zipkin-v2")
private let hasZipkinCorpus = FileManager.default.fileExists(
    atPath: zipkinDir.appendingPathComponent("zipkin-lens-simple-db-p6.json").path)

/// The critical path of real traces, checked against times read off the files by hand
/// (Zipkin times are microseconds; the model keeps nanoseconds).
@Suite("Critical path of corpus traces")
struct CriticalPathCorpusTests {
    private func describe(_ loaded: Loaded) throws -> [String] {
        let run = try #require(loaded.runs.first)
        let path = run.criticalPath
        return path.segments.map { s in
            let name = s.node.map { run.run.nodes[$0].span.spanID } ?? "gap"
            return "\(name) \(s.start / 1000)-\(s.end / 1000)"
        }
    }

    @Test(
        "a server span calling a service then a database three times in a row waits on each call",
        .enabled(
            if: hasZipkinCorpus, "needs the sample corpus in ../shared/corpus (zipkin-v2/zipkin-lens-simple-db-p6.json)"
        )
    )
    func sequentialCalls() throws {
        let loaded = try load(corpus: "zipkin-v2/zipkin-lens-simple-db-p6.json")
        // http:/book 1541485537291342 +252016 µs; call +6051 at …391810; inserts at …470563
        // (+2414), …488973 (+2033), …498305 (+1118): one after the other, so every span is on
        // the path and the server's own time fills the stretches between them.
        let base: Int64 = 1_541_485_537_000_000
        let expected = [
            ("19f84f102048e047", 291_342, 391_810), ("8b1e63c0f49a81f7", 391_810, 397_861),
            ("19f84f102048e047", 397_861, 470_563), ("e4efd924fec0624c", 470_563, 472_977),
            ("19f84f102048e047", 472_977, 488_973), ("5d532ef6fed52445", 488_973, 491_006),
            ("19f84f102048e047", 491_006, 498_305), ("544e854ede87b217", 498_305, 499_423),
            ("19f84f102048e047", 499_423, 543_358),
        ].map { "\($0.0) \(base + Int64($0.1))-\(base + Int64($0.2))" }
        #expect(try describe(loaded) == expected)
        let run = try #require(loaded.runs.first)
        #expect(run.criticalPath.isCritical.allSatisfy { $0 })
        #expect(run.criticalPath.nanos == 252_016_000)
    }

    @Test(
        "a message consumed after the request returned is followed, and the wait is untraced",
        .enabled(
            if: hasZipkinCorpus, "needs the sample corpus in ../shared/corpus (zipkin-v2/zipkin-lens-messaging.json)")
    )
    func messaging() throws {
        let loaded = try load(corpus: "zipkin-v2/zipkin-lens-messaging.json")
        // get / …926119 +2839 µs (ends …928958); publish …927475 +13; next-message …929043 +14
        // under publish; on-message …929105 +371 under next-message: the run ends with
        // on-message, reached through publish and next-message; between them nothing is traced.
        let base: Int64 = 1_521_186_011_000_000
        let expected = [
            ("b33447baae403ed6", 926_119, 927_475), ("05e3ac9a4f6e3b90", 927_475, 927_488),
            ("b33447baae403ed6", 927_488, 928_958), ("gap", 928_958, 929_043),
            ("e457b5a2e4d86bd1", 929_043, 929_057), ("gap", 929_057, 929_105),
            ("4ad2db84ac76def7", 929_105, 929_476),
        ].map { "\($0.0) \(base + Int64($0.1))-\(base + Int64($0.2))" }
        #expect(try describe(loaded) == expected)
    }
}
