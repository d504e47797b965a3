import Testing
import TraceJSON

/// Parses `bytes` piece by piece as cut by `split` and joins the results.
private func parseInPieces(_ bytes: [UInt8], count: Int) -> (JSONParseResult, pieces: Int) {
    bytes.withUnsafeBytes { buffer in
        let pieces = JSONStreamParser.split(buffer, into: count)
        var joined = JSONParseResult()
        for (index, piece) in pieces.enumerated() {
            let end = index + 1 < pieces.count ? pieces[index + 1].offset : buffer.count
            let part = JSONStreamParser.parse(
                UnsafeRawBufferPointer(rebasing: buffer[piece.offset..<end]),
                firstLine: piece.firstLine
            )
            joined.records += part.records
            joined.errors += part.errors
        }
        return (joined, pieces.count)
    }
}

/// A JSON Lines text with long repeated strings, pretty-printed objects and some broken lines.
private func sampleText(lines: Int, broken: Bool) -> [UInt8] {
    var text = "\u{FEFF}"
    let history = (0..<5).map { "message \($0): " + String(repeating: "Markdown *text* é 中 \\n", count: 10 + $0) }
    for i in 0..<lines {
        switch i % 11 {
        case 3:
            text += "{\n    \"pretty\": \(i),\n    \"list\": [\n        {\"a\": 1}\n    ]\n}\n"
        case 7 where broken:
            text += "{\"n\":\(i),\"cut\":[1,\n"
        case 9 where broken:
            text += "{\"n\":\(i),\"bad\":NaN}\r\n"
        case 10:
            text += "\n"
        default:
            let messages = history.prefix(i % 5 + 1).map { "{\"role\":\"user\",\"content\":\"\($0)\"}" }
            text += "{\"n\":\(i),\"messages\":[\(messages.joined(separator: ","))]}\n"
        }
    }
    return Array(text.utf8)
}

@Suite("Splitting for parallel parsing")
struct JSONSplitTests {
    @Test("pieces parse to the same records, errors and lines as the whole text", arguments: [false, true])
    func sameAsWhole(broken: Bool) {
        let bytes = sampleText(lines: 400, broken: broken)
        let whole = JSONStreamParser.parse(bytes)
        #expect(whole.records.count > 250)
        #expect(whole.errors.isEmpty == !broken)
        for count in [1, 2, 3, 4, 7, 16, 64, 1000] {
            let (joined, pieces) = parseInPieces(bytes, count: count)
            #expect(pieces <= count)
            #expect(joined == whole)
        }
        #expect(parseInPieces(bytes, count: 16).pieces > 8)
    }

    @Test("threaded parsing gives the same result as a whole parse")
    func threaded() {
        let bytes = sampleText(lines: 6_000, broken: true)
        #expect(bytes.count > 3 << 20)
        let whole = JSONStreamParser.parse(bytes)
        let threaded = bytes.withUnsafeBytes { JSONStreamParser.parse($0, threads: 4) }
        #expect(threaded == whole)
    }

    @Test("offsets ascend from zero and fall on lines starting with { or [")
    func offsets() {
        let bytes = sampleText(lines: 200, broken: false)
        bytes.withUnsafeBytes { buffer in
            let pieces = JSONStreamParser.split(buffer, into: 10)
            #expect(pieces.first?.offset == 0)
            #expect(pieces.first?.firstLine == 1)
            for (a, b) in zip(pieces, pieces.dropFirst()) {
                #expect(a.offset < b.offset)
                #expect(bytes[b.offset - 1] == UInt8(ascii: "\n"))
                #expect(bytes[b.offset] == UInt8(ascii: "{") || bytes[b.offset] == UInt8(ascii: "["))
                let newlines = bytes[..<b.offset].count(where: { $0 == UInt8(ascii: "\n") })
                #expect(b.firstLine == newlines + 1)
            }
        }
    }

    @Test("a single document and an unindented array are not cut inside")
    func noCutInsideValues() {
        let document = Array(
            ("{\n\"a\": [\n" + (0..<500).map { "{\"i\": \($0)}" }.joined(separator: ",\n") + "\n]\n}\n").utf8)
        let array = Array(("[\n" + (0..<500).map { "{\"i\": \($0)}" }.joined(separator: ",\n") + "\n]\n").utf8)
        for bytes in [document, array] {
            bytes.withUnsafeBytes { buffer in
                #expect(JSONStreamParser.split(buffer, into: 8).count == 1)
            }
        }
    }

    @Test("empty input and one piece")
    func trivial() {
        [UInt8]().withUnsafeBytes { #expect(JSONStreamParser.split($0, into: 4).map(\.offset) == [0]) }
        Array("{}\n{}\n".utf8).withUnsafeBytes { #expect(JSONStreamParser.split($0, into: 1).map(\.offset) == [0]) }
    }
}
