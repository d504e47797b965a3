import Foundation
import Testing
import TraceJSON

@Suite("Redaction at share time", .serialized)
struct RedactionCLITests {
    /// One secret of each kind the built-in rules know, and the rule that must catch it.
    static let secrets: [(rule: String, value: String)] = [
        ("openai_key", "sk-proj-Xy7Tq2Lm9Pz4Rw8Kd1Nc6Vb3Hj5Gf0Sa"),
        ("anthropic_key", "sk-ant-api03-Qw8Er7Ty6Ui5Op4As3Df2Gh1JkLz"),
        ("aws_access_key", "AKIAQ3EXAMPLE7KEY9ZZ"),
        ("github_token", "ghp_R2d2C3poBb8Yoda5Luke7Leia9Han0Solo1Chewie"),
        ("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTkxMjMifQ.Sflkx7wRJSMeKKF2QT4fwpMeJf36POk6yJV"),
        ("bearer_token", "tok_9fK2mQ7xLp4Zr8Wv"),
        ("basic_auth", "YWxhZGRpbjpvcGVuc2VzYW1l"),
        ("email", "maria.lopez@example.net"),
        ("phone_number", "+44 20 7946 0958"),
        ("card_number", "4242 4242 4242 4242"),
        ("private_key", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"),
    ]

    static func trace() -> String {
        let s = Dictionary(uniqueKeysWithValues: secrets.map { ($0.rule, $0.value) })
        let pem = "-----BEGIN PRIVATE KEY-----\n\(s["private_key"]!)\n-----END PRIVATE KEY-----"
        func line(_ o: [String: Any]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
        }
        return [
            line([
                "trace_id": "share-1", "span_id": "root", "name": "support-agent", "kind": "agent",
                "start_time": 1_750_000_000, "end_time": 1_750_000_010,
                "input": ["message": "I'm \(s["email"]!), phone \(s["phone_number"]!), card \(s["card_number"]!)."],
                "output": "Used [the key](https://example.com/?k=\(s["openai_key"]!)) and `\(s["anthropic_key"]!)`",
                "metadata": ["user_email": s["email"]!, "customer": "C-1001", "deploy_key": pem],
                "scores": ["correctness": 0.2], "labels": ["leaked \(s["aws_access_key"]!)"],
            ]),
            line([
                "trace_id": "share-1", "span_id": "call", "parent_id": "root", "name": "fetch", "kind": "tool",
                "start_time": 1_750_000_001, "end_time": 1_750_000_004,
                "input": [
                    "headers": [
                        "Authorization": "Bearer \(s["bearer_token"]!)", "X-Proxy": "Basic \(s["basic_auth"]!)",
                    ], "session": s["jwt"]!,
                ],
                "output": ["content": "**Token** \(s["github_token"]!) for \(s["email"]!) (ticket T-77123)"],
                "error": ["type": "AuthError", "message": "rejected \(s["aws_access_key"]!) for \(s["email"]!)"],
            ]),
            line([
                "trace_id": "share-1", "span_id": "answer", "parent_id": "root", "name": "answer", "kind": "llm",
                "start_time": 1_750_000_005, "end_time": 1_750_000_009,
                "output": [
                    "role": "assistant",
                    "content":
                        "Call \(s["phone_number"]!) or write to \(s["email"]!). Card 4242424242424241 is not a card.",
                ],
                "error": ["type": "AgentError", "message": "gave up"],
            ]),
        ].joined(separator: "\n") + "\n"
    }

    @Test("With --redact no secret is in any output byte, and the manifest counts each rule")
    func render() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("seeded.jsonl")
        try Data(Self.trace().utf8).write(to: input)
        let out = dir.appendingPathComponent("report")
        let result = try run([
            "render", input.path, "-o", out.path, "-q", "--redact",
            "--redact-pattern", "ticket=T-[0-9]{5}", "--redact-field", "metadata.customer",
            "--junit", out.appendingPathComponent("junit.xml").path, "--summary",
            out.appendingPathComponent("summary.md").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try tree(out)
        #expect(
            Set(files.keys).isSuperset(of: [
                "index.html", "summary.json", "junit.xml", "summary.md", "runs/share-1.html",
            ]))
        // Every byte of every file, and every piece of each secret long enough to identify it.
        var needles =
            Self.secrets.map(\.value) + [
                "T-77123", "C-1001", "maria.lopez", "7946 0958", "4242 4242", "Xy7Tq2Lm9Pz4", "R2d2C3po",
            ]
        needles += Self.secrets.map { String($0.value.suffix(10)) }
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let text = String(decoding: data, as: UTF8.self)
            for needle in needles {
                #expect(!text.contains(needle), "\(path) contains \(needle)")
                // Also as it would appear percent-encoded in a link or escaped in JSON.
                #expect(!text.contains(needle.replacingOccurrences(of: " ", with: "%20")), "\(path) contains \(needle)")
            }
        }
        let page = String(decoding: files["runs/share-1.html"]!, as: UTF8.self)
        #expect(page.contains("[email#1]"))
        #expect(page.contains("[openai_key#1]"))
        #expect(page.contains("Card 4242424242424241 is not a card"), "a number failing the Luhn check stays")

        // Counts: occurrences replaced per rule, as seeded above.
        let expected: [String: Int] = [
            "openai_key": 1, "anthropic_key": 1, "aws_access_key": 2, "github_token": 1, "jwt": 1,
            "bearer_token": 1, "basic_auth": 1, "email": 5, "phone_number": 2, "card_number": 1, "private_key": 1,
            "ticket": 1, "metadata.customer": 1,
        ]
        let summary = try #require(JSONStreamParser.parse([UInt8](files["summary.json"]!)).records.first?.value)
        let rules = try #require(summary["redaction"]?["rules"]?.arrayValue)
        var counted: [String: Int] = [:]
        for rule in rules { counted[rule["name"]!.stringValue!] = Int(rule["count"]!.numberValue!.int64!) }
        #expect(counted == expected)
        #expect(rules.first { $0["name"]?.stringValue == "email" }?["values"]?.numberValue?.int64 == 1)
        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        for (rule, count) in expected {
            #expect(index.contains("data-rule=\"\(rule)\" data-count=\"\(count)\""), "index manifest for \(rule)")
        }
    }

    @Test("extract --redact writes a row without the secrets; bad patterns are usage errors")
    func extract() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("seeded.jsonl")
        try Data(Self.trace().utf8).write(to: input)
        let result = try run(["extract", input.path, "--run", "share-1", "--redact"])
        #expect(result.status == 0, "\(result.stderr)")
        for secret in Self.secrets { #expect(!result.stdout.contains(secret.value), "\(secret.rule)") }
        #expect(result.stdout.contains("[email#1]"))
        #expect(
            try run(["render", input.path, "-o", dir.appendingPathComponent("r").path, "--redact-pattern", "bad=("])
                .status == 64)
        #expect(
            try run(["render", input.path, "-o", dir.appendingPathComponent("r").path, "--redact-pattern", "no-equals"])
                .status == 64)
    }
}
