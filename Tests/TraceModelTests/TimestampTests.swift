import Testing

@testable import TraceModel

@Suite("Timestamps")
struct TimestampTests {
    @Test(
        "RFC 3339 forms",
        arguments: [
            ("1970-01-01T00:00:00Z", Int64(0)),
            ("2025-06-01T12:00:00.123456789Z", Int64(1_748_779_200_123_456_789)),
            ("2025-06-01T14:00:00+02:00", Int64(1_748_779_200_000_000_000)),
            ("2025-06-01 12:00:00.5", Int64(1_748_779_200_500_000_000)),
            ("2024-02-29t00:00:00z", Int64(1_709_164_800_000_000_000)),
        ])
    func rfc3339(text: String, nanos: Int64) {
        #expect(Timestamp.parseRFC3339(text) == nanos)
    }

    @Test(
        "Malformed date-times are rejected",
        arguments: ["", "2025-13-01T00:00:00Z", "2025-06-01T25:00:00Z", "2025-06-01T12:00:00Zjunk", "06/01/2025"])
    func malformed(text: String) {
        #expect(Timestamp.parseRFC3339(text) == nil)
    }

    @Test("Unix seconds are converted exactly")
    func unixSeconds() {
        #expect(Timestamp.parseUnixSeconds("1748779200.123456789") == 1_748_779_200_123_456_789)
        #expect(Timestamp.parseUnixSeconds("1.5e9") == 1_500_000_000_000_000_000)
        #expect(Timestamp.parseUnixSeconds("-1") == -1_000_000_000)
    }

    @Test("UTC formatting round-trips")
    func formatting() {
        #expect(Timestamp.formatUTC(1_748_779_200_123_456_789) == "2025-06-01 12:00:00.123Z")
        #expect(Timestamp.formatUTC(-1_000_000) == "1969-12-31 23:59:59.999Z")
    }
}
