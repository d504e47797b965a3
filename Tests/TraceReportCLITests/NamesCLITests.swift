import Foundation
import Testing

@Suite("Names the file carries", .serialized)
struct NamesCLITests {
    @Test("Langfuse's trace name names the run and its tags become labels")
    func langfuseTraceName() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let otlp = #"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"scope":{"name":"langfuse-sdk"},"spans":[
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"support-agent","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000",
             "attributes":[{"key":"langfuse.observation.type","value":{"stringValue":"agent"}},{"key":"langfuse.trace.name","value":{"stringValue":"support-flow"}},
             {"key":"langfuse.trace.tags","value":{"arrayValue":{"values":[{"stringValue":"demo"},{"stringValue":"refunds"}]}}}]}]}]}]}
            """#
        try Data(otlp.utf8).write(to: dir.appendingPathComponent("trace.json"))
        let out = dir.appendingPathComponent("report")
        let result = try run(["render", dir.appendingPathComponent("trace.json").path, "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let index = String(decoding: try #require(try tree(out)["index.html"]), as: UTF8.self)
        #expect(index.contains("<td data-key=\"name\" data-value=\"support-flow\">"))
        #expect(index.contains("<li class=\"label\">demo</li><li class=\"label\">refunds</li>"))
    }
}
