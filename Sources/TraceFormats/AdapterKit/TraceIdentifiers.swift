/// Normalizes the many encodings of trace and span ids into one form, so that a span is its
/// (trace id, span id) whatever wrote it: lowercase hex for binary ids written as hex (any case,
/// with or without `0x`), base64, or decimal integers; other ids (UUIDs, `span_…` strings) are
/// kept as written.
package enum TraceIdentifiers {
    /// The normalized form of an id written as a string. Empty and all-zero ids give `nil`.
    ///
    /// - Parameter byteCount: The id's size in bytes when the format defines it (16 for OTel
    ///   trace ids, 8 for span ids), which tells base64 from hex; `nil` when unknown.
    package static func normalize(_ id: String, byteCount: Int? = nil) -> String? {
        var text = id.trimmingSpaces()
        if text.isEmpty { return nil }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { text.removeFirst(2) }
        if isHex(text) {
            let lower = text.lowercased()
            if lower.allSatisfy({ $0 == "0" }) { return nil }
            return lower
        }
        if let byteCount, let bytes = base64Decode(text), bytes.count == byteCount {
            if bytes.allSatisfy({ $0 == 0 }) { return nil }
            return hex(bytes)
        }
        if byteCount == nil, text.hasSuffix("="), let bytes = base64Decode(text), bytes.count == 8 || bytes.count == 16
        {
            if bytes.allSatisfy({ $0 == 0 }) { return nil }
            return hex(bytes)
        }
        return text
    }

    /// Lowercase hex, zero-padded to `byteCount * 2` digits, for an id written as a decimal
    /// integer of any size (read from the JSON number's text, never through `Double`).
    package static func hex(decimal: String, byteCount: Int) -> String? {
        var digits: [UInt8] = []
        for c in decimal.utf8 {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            digits.append(c - 0x30)
        }
        guard !digits.isEmpty else { return nil }
        // Repeated division by 16 over the decimal digits.
        var hexDigits: [UInt8] = []
        var number = digits
        while !(number.count == 1 && number[0] == 0) && !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            for d in number {
                let value = remainder * 10 + Int(d)
                let q = value / 16
                remainder = value % 16
                if !(quotient.isEmpty && q == 0) { quotient.append(UInt8(q)) }
            }
            hexDigits.append(UInt8(remainder))
            number = quotient.isEmpty ? [0] : quotient
        }
        let alphabet = Array("0123456789abcdef".utf8)
        var text = String(decoding: hexDigits.reversed().map { alphabet[Int($0)] }, as: UTF8.self)
        if text.isEmpty || text.allSatisfy({ $0 == "0" }) { return nil }
        if text.count < byteCount * 2 { text = String(repeating: "0", count: byteCount * 2 - text.count) + text }
        return text
    }

    static func isHex(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66)
            }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(alphabet[Int(b >> 4)])
            out.append(alphabet[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Standard or URL-safe base64, padding optional; `nil` if the text is not base64.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case 0x41...0x5A: values.append(c - 0x41)
            case 0x61...0x7A: values.append(c - 0x61 + 26)
            case 0x30...0x39: values.append(c - 0x30 + 52)
            case 0x2B, 0x2D: values.append(62)
            case 0x2F, 0x5F: values.append(63)
            case 0x3D: continue
            default: return nil
            }
        }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for v in values {
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
