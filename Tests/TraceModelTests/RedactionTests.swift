import Testing
import TraceJSON
import TraceModel

@Suite("Redaction")
struct RedactionTests {
    @Test("the same value gets the same placeholder, numbered by first occurrence")
    func stablePlaceholders() throws {
        var r = try Redactor(options: RedactionOptions())
        #expect(r.redact("from b@x.io to a@x.io") == "from [email#1] to [email#2]")
        #expect(r.redact("cc a@x.io, b@x.io") == "cc [email#2], [email#1]")
        let email = try #require(r.manifest.entries.first { $0.name == "email" })
        #expect(email.count == 4)
        #expect(email.values == 2)
    }

    @Test("card numbers need the Luhn check; numbers in JSON are caught too")
    func cards() throws {
        var r = try Redactor(options: RedactionOptions())
        #expect(r.redact("4111-1111-1111-1111 and 4111-1111-1111-1112") == "[card_number#1] and 4111-1111-1111-1112")
        let value = r.redact(
            JSONValue.object(
                JSONObject([
                    ("pan", .number(JSONNumber(text: "5555555555554444"))),
                    ("n", .number(JSONNumber(text: "1234567890123"))),
                ])))
        #expect(value["pan"] == .string("[card_number#2]"))
        #expect(value["n"] == .number(JSONNumber(text: "1234567890123")))
    }

    @Test("dates, times, versions and ids are not phone numbers")
    func phoneFalsePositives() throws {
        var r = try Redactor(options: RedactionOptions())
        let text = "on 2025-06-14 12:30:45.123, v1.2.3, order 12345678, ip 10.0.0.1, took 1500 ms"
        #expect(r.redact(text) == text)
        #expect(
            r.redact("call (415) 555-0132 or 415.555.0132 or +49 30 901820")
                == "call [phone_number#1] or [phone_number#2] or [phone_number#3]")
    }

    @Test("field paths replace whole values, keys with dots included")
    func fields() throws {
        var r = try Redactor(options: RedactionOptions(builtIn: false, fields: ["metadata.user.email", "input"]))
        let span = r.redact(
            Span(
                traceID: "t", spanID: "s", name: "n", input: .string("secret"),
                metadata: JSONObject([("user.email", .string("x")), ("keep", .string("y"))])))
        #expect(span.input == .string("[input#1]"))
        #expect(span.metadata["user.email"] == .string("[metadata.user.email#1]"))
        #expect(span.metadata["keep"] == .string("y"))
        #expect(throws: RedactionError.invalidField("a..b")) {
            try Redactor(options: RedactionOptions(fields: ["a..b"]))
        }
    }
}
