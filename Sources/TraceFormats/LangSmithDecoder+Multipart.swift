import CZstd
import TraceJSON
public import TraceModel

/// LangSmith's multipart ingest bodies: what the SDKs (Python 0.15 by default) send to
/// `/runs/multipart` instead of a JSON `{"post": [...], "patch": [...]}` batch.
///
/// The body is `multipart/form-data`, one part per piece of a run, each part JSON: `post.<id>`
/// or `patch.<id>` holds the run's fields, and `post.<id>.inputs`, `.outputs`, `.events`,
/// `.extra`, `.error` and `.serialized` hold the large ones separately. `attachment.<id>.<name>`
/// parts (files attached to a run) are listed in the run's metadata. A whole body compressed
/// with Zstandard (as sent with `Content-Encoding: zstd`) is decompressed first.
///
/// The parts are joined back into runs and read as a JSON batch would be. A body that cannot be
/// read in full (a damaged part, a part that is not JSON, a part of an unknown kind, a field
/// without its run, a missing closing boundary) is refused as a whole, with an error naming
/// the part and its line: a report never shows half of it.
extension LangSmithDecoder {
    public func matches(bytes: UnsafeRawBufferPointer) -> Bool {
        if Self.isZstandard(bytes) {
            guard let prefix = try? Self.decompress(bytes, limit: 4096, budget: 4096, allowTruncation: true) else {
                return false
            }
            return prefix.withUnsafeBytes { Self.isMultipart($0) }
        }
        return Self.isMultipart(bytes)
    }

    public func decode(bytes: UnsafeRawBufferPointer, file: String) -> DecodedTrace {
        var result = DecodedTrace()
        let refused = " (a LangSmith multipart body); the body is not rendered"
        if Self.isZstandard(bytes) {
            let budget = ZipArchive.defaultBudget(archiveSize: bytes.count)
            do {
                let plain = try Self.decompress(bytes, limit: Int(budget), budget: budget, allowTruncation: false)
                return plain.withUnsafeBytes { decode(bytes: $0, file: file) }
            } catch {
                result.diagnostics.append(error.diagnostic(at: SourceLocation(file: file, line: 0), outcome: refused))
                return result
            }
        }
        let parsed: [JSONRecord]
        do {
            parsed = try Self.runs(fromMultipart: bytes)
        } catch {
            result.diagnostics.append(
                error.diagnostic(at: SourceLocation(file: file, line: 0), outcome: refused))
            return result
        }
        let decoded = decode(parsed, file: file)
        if let first = decoded.diagnostics.first(where: { $0.severity == .error }) {
            result.diagnostics.append(Diagnostic(.error, at: first.location, first.message + refused))
            return result
        }
        return decoded
    }

    static func isZstandard(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F && bytes[3] == 0xFD
    }

    /// Whether `bytes` open with a multipart boundary line followed by a LangSmith part header.
    static func isMultipart(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count > 4, bytes[0] == UInt8(ascii: "-"), bytes[1] == UInt8(ascii: "-") else { return false }
        let head = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 1024)]), as: UTF8.self)
            .lowercased()
        return head.contains("content-disposition: form-data; name=\"post.")
            || head.contains("content-disposition: form-data; name=\"patch.")
    }

    /// The body's runs, one record per `post.<id>` or `patch.<id>` part with its field parts
    /// joined in, as `{"post": [run]}` or `{"patch": [run]}` at the line of its part.
    static func runs(fromMultipart bytes: UnsafeRawBufferPointer) throws(FieldError) -> [JSONRecord] {
        let data = Array(bytes)
        // The boundary is the first line, less its leading "--".
        guard let firstEnd = data.firstIndex(of: 0x0A) else {
            throw FieldError("the body has no boundary line", line: 1)
        }
        var boundary = Array(data[2..<firstEnd])
        if boundary.last == 0x0D { boundary.removeLast() }
        guard !boundary.isEmpty else { throw FieldError("the body's boundary line is empty", line: 1) }
        let delimiter: [UInt8] = [0x0D, 0x0A, 0x2D, 0x2D] + boundary

        var lineStarts: [Int] = [0]
        for (i, b) in data.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        func line(at offset: Int) -> Int {
            var lo = 0
            var hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            return lo + 1
        }
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard !needle.isEmpty, data.count >= needle.count else { return nil }
            var i = start
            let last = data.count - needle.count
            while i <= last {
                if data[i] == needle[0], Array(data[i..<(i + needle.count)]) == needle { return i }
                i += 1
            }
            return nil
        }

        var runs: [(key: String, line: Int, run: JSONObject)] = []
        var index: [String: Int] = [:]
        var pendingFields: [(key: String, field: String, value: JSONValue, line: Int)] = []
        var attachments: [String: [JSONValue]] = [:]
        var position = firstEnd + 1
        var closed = false
        while position < data.count {
            let partLine = line(at: position)
            // Headers, up to an empty line.
            var headers: [String: String] = [:]
            while true {
                guard let end = data[position...].firstIndex(of: 0x0A) else {
                    throw FieldError(
                        "the part headers at line \(partLine) run past the end of the body: the body is truncated",
                        line: partLine)
                }
                var text = String(decoding: data[position..<end], as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                position = end + 1
                if text.isEmpty { break }
                guard let colon = text.firstIndex(of: ":") else {
                    throw FieldError(
                        "part header \"\(text.prefix(60))\" has no colon", line: line(at: end))
                }
                headers[String(text[..<colon]).lowercased()] = String(text[text.index(after: colon)...])
                    .trimmingSpaces()
            }
            guard let disposition = headers["content-disposition"], let name = Self.parameter("name", in: disposition)
            else {
                throw FieldError(
                    "the part at line \(partLine) has no Content-Disposition name", line: partLine)
            }
            if let encoding = headers["content-encoding"], encoding.lowercased() != "identity" {
                throw FieldError(
                    "part \"\(name)\" is encoded as \(encoding), which is not supported", line: partLine)
            }
            // The part's data: its declared length, else up to the next delimiter.
            let bodyEnd: Int
            if let lengthText = headers["content-length"] {
                guard let length = Int(lengthText), length >= 0, length <= data.count - position else {
                    throw FieldError(
                        "part \"\(name)\" declares \(lengthText) bytes, more than the body holds: the body is truncated",
                        line: partLine)
                }
                bodyEnd = position + length
                guard Array(data[bodyEnd..<min(data.count, bodyEnd + delimiter.count)]) == delimiter else {
                    throw FieldError(
                        "part \"\(name)\" is not followed by the boundary after its \(length) bytes",
                        line: partLine)
                }
            } else {
                guard let next = find(delimiter, from: position) else {
                    throw FieldError(
                        "part \"\(name)\" has no closing boundary: the body is truncated", line: partLine)
                }
                bodyEnd = next
            }
            let content = Array(data[position..<bodyEnd])
            position = bodyEnd + delimiter.count
            if position + 2 <= data.count, data[position] == 0x2D, data[position + 1] == 0x2D {
                closed = true
            }
            // Skip the rest of the delimiter line.
            if let end = data[min(position, data.count)...].firstIndex(of: 0x0A) {
                position = end + 1
            } else {
                position = data.count
            }

            let pieces = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard pieces.count >= 2, !pieces[1].isEmpty else {
                throw FieldError(
                    "part \"\(name)\" is not a LangSmith run part (post.<id>, patch.<id>, …)", line: partLine)
            }
            let operation = pieces[0]
            let runKey = operation + "." + pieces[1]
            if operation == "attachment" {
                var members: [(key: String, value: JSONValue)] = [("name", .string(pieces.count > 2 ? pieces[2] : ""))]
                if let type = headers["content-type"] { members.append(("content_type", .string(type))) }
                members.append(("bytes", .number(JSONNumber(content.count))))
                attachments[pieces[1], default: []].append(.object(JSONObject(members)))
            } else {
                guard operation == "post" || operation == "patch" else {
                    throw FieldError(
                        "part \"\(name)\" is of an unknown kind \"\(operation)\"", line: partLine)
                }
                let parsed = JSONStreamParser.parse(content, firstLine: line(at: bodyEnd - content.count))
                if let error = parsed.errors.first {
                    throw FieldError(
                        "part \"\(name)\" is not valid JSON: \(error.message)", line: error.line)
                }
                guard parsed.records.count == 1, let value = parsed.records.first?.value else {
                    throw FieldError("part \"\(name)\" must hold one JSON value", line: partLine)
                }
                if pieces.count == 2 {
                    guard case .object(var run) = value else {
                        throw FieldError(
                            "part \"\(name)\" must be a run object, found \(value.typeNameWithArticle)",
                            line: partLine)
                    }
                    if run["id"] == nil { run.members.insert(("id", .string(pieces[1])), at: 0) }
                    if let existing = index[runKey] {
                        for member in run.members { runs[existing].run.members.removeAll { $0.key == member.key } }
                        runs[existing].run.members += run.members
                    } else {
                        index[runKey] = runs.count
                        runs.append((runKey, partLine, run))
                    }
                } else {
                    pendingFields.append((runKey, pieces[2], value, partLine))
                }
            }
            if closed { break }
        }
        guard closed else {
            throw FieldError(
                "the body ends without its closing boundary: the body is truncated", line: lineStarts.count)
        }
        for field in pendingFields {
            guard let i = index[field.key] else {
                throw FieldError(
                    "part \"\(field.key).\(field.field)\" has no \"\(field.key)\" part with its run",
                    line: field.line)
            }
            runs[i].run.members.removeAll { $0.key == field.field }
            runs[i].run.members.append((field.field, field.value))
        }
        return runs.map { entry in
            var run = entry.run
            let id = String(entry.key.split(separator: ".", maxSplits: 1)[1])
            if let files = attachments[id] { run.members.append(("attachments", .array(files))) }
            let operation = entry.key.hasPrefix("post.") ? "post" : "patch"
            return JSONRecord(value: .object(JSONObject([(operation, .array([.object(run)]))])), line: entry.line)
        }
    }

    /// The value of `name="…"` in a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        let key = Array((name + "=\"").utf8)
        let bytes = Array(header.utf8)
        guard bytes.count >= key.count else { return nil }
        for start in 0...(bytes.count - key.count) where Array(bytes[start..<(start + key.count)]) == key {
            guard start == 0 || bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: ";") else {
                continue
            }
            let rest = bytes[(start + key.count)...]
            guard let end = rest.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: bytes[(start + key.count)..<end], as: UTF8.self)
        }
        return nil
    }

    /// Zstandard data decompressed, at most `limit` bytes (`budget` names the bound in errors).
    static func decompress(
        _ data: UnsafeRawBufferPointer, limit: Int, budget: UInt64, allowTruncation: Bool
    ) throws(FieldError) -> [UInt8] {
        guard let base = data.baseAddress, let context = ZSTD_createDCtx() else {
            throw FieldError("libzstd could not start")
        }
        defer { ZSTD_freeDCtx(context) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = ZSTD_inBuffer(src: base, size: data.count, pos: 0)
        var finished = false
        while input.pos < input.size {
            let (status, produced) = chunk.withUnsafeMutableBytes { out -> (Int, Int) in
                var target = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let status = ZSTD_decompressStream(context, &target, &input)
                return (status, target.pos)
            }
            if ZSTD_isError(status) != 0 {
                throw FieldError(
                    "the Zstandard-compressed body is invalid (\(String(cString: ZSTD_getErrorName(status))))")
            }
            output += chunk[0..<produced]
            if output.count >= limit {
                if allowTruncation { return Array(output.prefix(limit)) }
                throw FieldError(
                    "the compressed body expands past \(budget) bytes (64 times its size, at most 2 GiB)")
            }
            finished = status == 0
            if produced == 0, status != 0, input.pos == input.size { break }
        }
        guard finished || allowTruncation else {
            throw FieldError("the Zstandard-compressed body ends early: it is truncated")
        }
        return output
    }
}
