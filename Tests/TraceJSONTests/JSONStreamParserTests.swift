import Testing
import TraceJSON

/// Parses `text` and expects exactly one value and no errors.
private func value(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
    let result = JSONStreamParser.parse(text)
    #expect(result.errors == [], sourceLocation: sourceLocation)
    #expect(result.records.count == 1, sourceLocation: sourceLocation)
    return result.records.first?.value
}

/// Parses `text` and returns the only error, expecting no records.
private func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
    let result = JSONStreamParser.parse(text)
    #expect(result.records.isEmpty, sourceLocation: sourceLocation)
    #expect(result.errors.count == 1, sourceLocation: sourceLocation)
    return result.errors.first
}

private func string(_ s: String) -> JSONValue { .string(s) }
private func number(_ s: String) -> JSONValue { .number(JSONNumber(text: s)) }

@Suite("JSON values")
struct JSONValueParsingTests {
    @Test("every kind of value parses")
    func everyKind() {
        #expect(value("null") == .null)
        #expect(value("true") == .bool(true))
        #expect(value("false") == .bool(false))
        #expect(value("0") == number("0"))
        #expect(value(#""hi""#) == string("hi"))
        #expect(value("[]") == .array([]))
        #expect(value("{}") == .object(JSONObject()))
        #expect(
            value(" [ 1 , \"a\" , null , [ ] , { } ] ")
                == .array([number("1"), string("a"), .null, .array([]), .object(JSONObject())]))
        let nested = value(#"{"a": {"b": [true, {"c": null}]}, "d": -1.5e+3}"#)
        #expect(
            nested
                == .object(
                    JSONObject([
                        (
                            "a",
                            .object(
                                JSONObject([("b", .array([.bool(true), .object(JSONObject([("c", .null)]))]))])
                            )
                        ),
                        ("d", number("-1.5e+3")),
                    ])
                )
        )
    }

    @Test("object members keep their order and duplicate keys")
    func memberOrder() throws {
        let object = try #require(value(#"{"z":1,"a":2,"m":3,"a":4}"#)?.objectValue)
        #expect(object.members.map(\.key) == ["z", "a", "m", "a"])
        #expect(object["a"] == number("4"))
    }

    @Test("numbers keep their exact text")
    func exactNumbers() {
        let digits39 = "123456789012345678901234567890123456789"
        #expect(value(digits39) == number(digits39))
        #expect(value("-" + digits39)?.numberValue?.text == "-" + digits39)
        for text in ["0", "-0", "0.5", "-0.0", "1e10", "1E-10", "2.50e+007", "0.1000000000000000055511151231257827"] {
            #expect(value(text)?.numberValue?.text == text)
        }
        #expect(value("[1.0,2]") == .array([number("1.0"), number("2")]))
    }

    @Test("string escapes decode, including surrogate pairs")
    func escapes() {
        #expect(value(#""a\"b\\c\/d\b\f\n\r\t""#) == string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(value(#""\u0041\u00e9\u4E2D\u0000""#) == string("Aé中\u{0}"))
        #expect(value(#""\ud83d\ude80 \uD83D\uDE00""#) == string("🚀 😀"))
        #expect(value(#""raw é 中 🚀""#) == string("raw é 中 🚀"))
    }

    @Test("lone surrogates become U+FFFD")
    func loneSurrogates() {
        #expect(value(#""\ud83d""#) == string("\u{FFFD}"))
        #expect(value(#""\ude80x""#) == string("\u{FFFD}x"))
        #expect(value(#""\ud83d\u0041""#) == string("\u{FFFD}A"))
        #expect(value(#""\ud83d\ud83d\ude80""#) == string("\u{FFFD}🚀"))
    }

    @Test("long strings, repeated and escaped, keep their content")
    func longStrings() throws {
        let long = String(repeating: "Markdown **text** with é and 中文 ", count: 20)
        let escaped = long.replacingAll("**", with: "\\n")
        let text = "[\"\(long)\",\"\(long)\",\"\(escaped)\",\"\(escaped)\",{\"\(long)\":1}]"
        let array = try #require(value(text)?.arrayValue)
        let expectedEscaped = long.replacingAll("**", with: "\n")
        #expect(
            array == [
                string(long), string(long), string(expectedEscaped), string(expectedEscaped),
                .object(JSONObject([(long, number("1"))])),
            ])
    }

    @Test("strings around every 8-byte boundary find their end")
    func stringBoundaries() {
        for n in 0..<40 {
            let body = String(repeating: "x", count: n)
            #expect(value("\"\(body)\"") == string(body))
            #expect(value("\"\(body)\\n\"") == string(body + "\n"))
            #expect(value("\"\(body)é\"") == string(body + "é"))
            #expect(value("[\"\(body)\",1]") == .array([string(body), number("1")]))
        }
    }

    @Test("arrays and objects of every size up to 40 keep all their elements in order")
    func containerSizes() {
        for n in 0...40 {
            let numbers = (0..<n).map { number("\($0)") }
            let arrayText = "[" + (0..<n).map { "\($0)" }.joined(separator: ",") + "]"
            #expect(value(arrayText) == .array(numbers))
            let objectText = "{" + (0..<n).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
            let members = (0..<n).map { (key: "k\($0)", value: number("\($0)")) }
            #expect(value(objectText) == .object(JSONObject(members)))
            #expect(
                value("[" + arrayText + "," + objectText + "]")
                    == .array([.array(numbers), .object(JSONObject(members))]))
        }
    }

    @Test("a 100,000-deep array is an error, not a crash")
    func deepNesting() throws {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n{\"next\":1}\n"
        let result = JSONStreamParser.parse(text)
        #expect(
            result.errors == [JSONSyntaxError(line: 1, column: 10_001, message: "nesting deeper than 10000 levels")])
        #expect(result.records.map(\.line) == [2])
    }

    @Test("nesting up to the limit parses")
    func nestingAtLimit() throws {
        let depth = JSONStreamParser.maximumDepth
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var v = try #require(value(text))
        var levels = 0
        while case .array(let a) = v {
            levels += 1
            v = a[0]
        }
        #expect(levels == depth)
        #expect(v == number("1"))
    }
}

@Suite("JSON layouts")
struct JSONLayoutTests {
    @Test("a byte order mark, CRLF and blank lines are accepted")
    func bomAndCRLF() {
        let text = "\u{FEFF}{\"a\":1}\r\n\r\n  \r\n{\"b\":\r\n2}\r\n"
        let result = JSONStreamParser.parse(text)
        #expect(result.errors == [])
        #expect(result.records.map(\.line) == [1, 4])
        #expect(
            result.records.map(\.value) == [
                .object(JSONObject([("a", number("1"))])), .object(JSONObject([("b", number("2"))])),
            ])
    }

    @Test("values back to back and several on a line")
    func backToBack() {
        let result = JSONStreamParser.parse(#"{"a":1}{"b":2} [3]"x"4 true null"#)
        #expect(result.errors == [])
        #expect(result.records.count == 7)
        #expect(result.records.allSatisfy { $0.line == 1 })
        #expect(result.records[3].value == string("x"))
        #expect(result.records[4].value == number("4"))
    }

    @Test("pretty-printed objects written back to back get their first lines")
    func prettyObjects() {
        let text = """
            {
                "name": "one",
                "attributes": {
                    "k": [1, 2]
                }
            }
            {
                "name": "two"
            }

            {"name": "three"}
            """
        let result = JSONStreamParser.parse(text)
        #expect(result.errors == [])
        #expect(result.records.map(\.line) == [1, 7, 11])
        #expect(result.records.map { $0.value["name"] } == [string("one"), string("two"), string("three")])
    }

    @Test("firstLine offsets every line")
    func firstLine() {
        let result = JSONStreamParser.parse("\n{}\n{\n", firstLine: 41)
        #expect(result.records.map(\.line) == [42])
        #expect(result.errors.map(\.line) == [43])
    }

    @Test("empty and whitespace-only input give nothing")
    func empty() {
        #expect(JSONStreamParser.parse("") == JSONParseResult())
        #expect(JSONStreamParser.parse("\u{FEFF}") == JSONParseResult())
        #expect(JSONStreamParser.parse(" \n\r\n\t ") == JSONParseResult())
        #expect(JSONStreamParser.parse([UInt8]()) == JSONParseResult())
    }
}

@Suite("JSON errors")
struct JSONErrorTests {
    @Test(
        "strictness: each invalid text is one error with a message",
        arguments: [
            ("NaN", "NaN is not valid JSON"),
            ("[1, NaN]", "NaN is not valid JSON"),
            ("Infinity", "Infinity is not valid JSON"),
            ("-Infinity", "Infinity is not valid JSON"),
            ("[1,]", "trailing comma before ']'"),
            (#"{"a":1,}"#, "trailing comma before '}'"),
            ("{'a':1}", "strings must use double quotes"),
            ("['a']", "strings must use double quotes"),
            ("\"a\tb\"", "unescaped control character byte 0x09 in string"),
            ("01", "leading zeros are not allowed in numbers"),
            ("-", "unexpected end of input (truncated value?)"),
            ("-a", "invalid literal '-a'"),
            ("1.", "expected digit after '.' in number"),
            ("1e", "expected digit in exponent"),
            ("1.5.3", "invalid number '1.5.3'"),
            ("tru", "invalid literal 'tru'"),
            ("True", "invalid literal 'True'"),
            ("nulls", "invalid literal 'nulls'"),
            (#"{"a" 1}"#, "expected ':' after object key"),
            (#"{"a":1 "b":2}"#, "expected ',' or '}' after object member"),
            ("[1 2]", "expected ',' or ']' after array element"),
            ("{1:2}", "expected string key or '}'"),
            (#"{"a":1,2}"#, "expected string key after ','"),
            (#"{"a":}"#, "expected a value, found '}'"),
            ("]", "expected a value, found ']'"),
            (#""\x""#, "invalid escape 'x' in string"),
            (#""\u12G4""#, "invalid \\u escape in string"),
            (#""abc"#, "unterminated string"),
            (#"{"a":[1,2"#, "unexpected end of input (truncated value?)"),
        ]
    )
    func strictness(text: String, message: String) {
        #expect(failure(text)?.message == message)
    }

    @Test("invalid UTF-8 in a string is an error at the bad byte")
    func invalidUTF8() {
        for bad: [UInt8] in [
            [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ] {
            let bytes = Array(#"{"k":"ab"#.utf8) + bad + Array(#"cd"}"#.utf8)
            let result = JSONStreamParser.parse(bytes)
            #expect(result.records.isEmpty)
            #expect(result.errors == [JSONSyntaxError(line: 1, column: 9, message: "invalid UTF-8 in string")])
        }
        let long = Array(("{\"k\":\"" + String(repeating: "é", count: 50)).utf8) + [0xBF] + Array("\\n\"}".utf8)
        #expect(JSONStreamParser.parse(long).errors.map(\.message) == ["invalid UTF-8 in string"])
    }

    @Test("errors carry line and column")
    func lineAndColumn() {
        let text = """
            {
                "a": 1,
                "b": NaN
            }
            """
        #expect(
            JSONStreamParser.parse(text).errors == [
                JSONSyntaxError(line: 3, column: 10, message: "NaN is not valid JSON")
            ])
        #expect(
            "\(JSONSyntaxError(line: 3, column: 10, message: "NaN is not valid JSON"))" == "3:10: NaN is not valid JSON"
        )
    }

    @Test("every broken JSON Lines line is reported on its own line while every good line parses")
    func brokenJSONLines() {
        let lines: [[UInt8]] = [
            Array(#"{"n":1}"#.utf8),
            Array("this is not json".utf8),
            Array(#"{"n":3}"#.utf8),
            Array(#"{"n":4,"msg":"truncated"#.utf8),
            Array(#"{"n":5}"#.utf8),
            Array(#"{"n":6,"#.utf8),
            Array(#"{"n":7}"#.utf8),
            Array(#"{"n":8,"list":[1,2,],"x":1}"#.utf8),
            Array(#"{"n":9}"#.utf8),
            Array(#"{"n":10,"v":NaN}"#.utf8),
            Array(#"{"n":11}"#.utf8),
            Array(#"{"n":12,"s":"bad "#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8),
            Array(#"{"n":13}"#.utf8),
            Array(#"{"n":14,"ok":tru}"#.utf8),
            Array(#"{"n":15}"#.utf8),
            Array(#"{"n":16"#.utf8),
            Array(#"{"n":17}"#.utf8),
            Array(#"{"n":18,"a":["#.utf8),
            Array(#"{"n":19}"#.utf8),
            Array(#"{"n":20,"a":"#.utf8),
            Array(#"{"n":21}"#.utf8),
            Array(#"{"n":22}}"#.utf8),
            Array(#"{"n":23}"#.utf8),
            Array(#"{"n":24,"a":[1,"#.utf8),
            Array(#"{"n":25}"#.utf8),
            Array(#"{"n":26,"a":{"#.utf8),
            Array(#"{"n":27}"#.utf8),
            Array(#"{"n":28}"#.utf8),
            Array(#"{"n":29,"v":1"#.utf8),
        ]
        let bytes = Array(lines.joined(separator: [0x0A]))
        let result = JSONStreamParser.parse(bytes)
        let good = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 22, 23, 25, 27, 28]
        #expect(result.records.map(\.line) == good)
        #expect(result.records.map { $0.value["n"]?.numberValue?.int64 } == good.map { Int64($0) })
        #expect(result.errors.map(\.line) == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 29])
        #expect(
            result.errors.map(\.message) == [
                "invalid literal 'this'",
                "unterminated string",
                "unexpected end of line (truncated value?)",
                "trailing comma before ']'",
                "NaN is not valid JSON",
                "invalid UTF-8 in string",
                "invalid literal 'tru'",
                "unexpected end of line (truncated value?)",
                "unexpected end of line (truncated value?)",
                "unexpected end of line (truncated value?)",
                "expected a value, found '}'",
                "unexpected end of line (truncated value?)",
                "unexpected end of line (truncated value?)",
                "unexpected end of input (truncated value?)",
            ]
        )
    }

    @Test("a truncated line points at the end of that line")
    func truncatedLineColumn() {
        let result = JSONStreamParser.parse("{\"a\":1\r\n{\"b\":2}\n")
        #expect(
            result.errors == [JSONSyntaxError(line: 1, column: 7, message: "unexpected end of line (truncated value?)")]
        )
        #expect(result.records.map(\.line) == [2])
    }

    @Test("an error inside a pretty-printed object skips to the next top-level object")
    func prettyRecovery() {
        let text = """
            {
                "a": [1, 2,],
                "b": {
                    "c": 1
                }
            }
            {
                "ok": true
            }
            {
                "a": 1,
                "b": {
            {
                "ok": 2
            }
            """
        let result = JSONStreamParser.parse(text)
        #expect(result.errors.map(\.line) == [2, 12])
        #expect(
            result.errors.map(\.message) == ["trailing comma before ']'", "unexpected end of line (truncated value?)"])
        #expect(result.records.map(\.line) == [7, 13])
    }

    @Test("hostile input never hangs")
    func hostile() {
        let samples = [
            "{", "[", "\"", "\\", "{\"", "{\"a\"", "{\"a\":", "[1,", "\u{0}", "\u{1}{}", "{}}", "]]]]", "\"\\u",
            "\"\\ud800\\u",
        ]
        for sample in samples {
            for suffix in ["", "\n", "\n{}"] {
                let result = JSONStreamParser.parse(sample + suffix)
                #expect(result.errors.count >= 1)
            }
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

@Suite("Pretty JSON of deep values")
struct DeepPrettyJSONTests {
    @Test("A value nested 9,999 levels deep prints with bounded indentation")
    func boundedIndentation() {
        var value = JSONValue.number(JSONNumber(1))
        for _ in 0..<9_999 { value = .array([value]) }
        let text = JSONWriter.write(value, pretty: true)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2 * 9_999 + 1)
        let widest = lines.map { $0.prefix { $0 == " " }.count }.max() ?? 0
        #expect(widest == 2 * JSONWriter.maxIndentLevels)
        #expect(text.utf8.count < 2 * 9_999 * (2 * JSONWriter.maxIndentLevels + 2) + 10)
    }

    @Test("pretty printing with a line depth writes deeper values on their parent's line")
    func lineDepth() {
        let run = JSONValue.object(
            JSONObject([("id", .string("a")), ("scores", .object(JSONObject([("x", .number(JSONNumber(1)))])))]))
        let value = JSONValue.object(
            JSONObject([("title", .string("t")), ("runs", .array([run, run])), ("labels", .array([]))]))
        let text = String(decoding: JSONWriter.bytes(value, pretty: true, lineDepth: 2), as: UTF8.self)
        #expect(
            text == """
                {
                  "title": "t",
                  "runs": [
                    {"id":"a","scores":{"x":1}},
                    {"id":"a","scores":{"x":1}}
                  ],
                  "labels": []
                }
                """)
        #expect(JSONWriter.bytes(value, pretty: true, lineDepth: .max) == JSONWriter.bytes(value, pretty: true))
    }
}
