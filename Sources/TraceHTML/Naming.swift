/// Safe, stable names derived from ids found in traces: file names for run pages and anchors for
/// spans. The same ids always give the same names.
package enum Naming {
    /// A file name stem for each trace id, unique, stable, and safe on every file system.
    ///
    /// Ids made only of letters, digits, `-`, `_` and `.` (and not starting with `.`) are kept when
    /// no other id differs from them only by letter case; any other id is cleaned and gets a
    /// short hash of the original appended. Stems are then checked for uniqueness ignoring case
    /// (a cleaned id plus its hash can equal another id as written, `victim run` and
    /// `victim_run-dc070ab9`): a later stem that clashes gets a further hash until it is unique.
    package static func runFileStems(_ traceIDs: [String]) -> [String] {
        let cleaned = traceIDs.map { clean($0, limit: 80) }
        var caseCount: [String: Int] = [:]
        for c in cleaned { caseCount[c.lowercased(), default: 0] += 1 }
        var stems: [String] = []
        stems.reserveCapacity(traceIDs.count)
        var kept: [Bool] = []
        for (id, c) in zip(traceIDs, cleaned) {
            if c.utf8.elementsEqual(id.utf8) && caseCount[c.lowercased()] == 1 {
                stems.append(c)
                kept.append(true)
            } else {
                stems.append(c + "-" + shortHash(id))
                kept.append(false)
            }
        }
        // Ids kept as written claim their names first, so a clash renames only hashed stems.
        var used: Set<String> = []
        for (stem, k) in zip(stems, kept) where k { used.insert(stem.lowercased()) }
        for i in stems.indices where !kept[i] {
            var stem = stems[i]
            var round = 0
            while used.contains(stem.lowercased()) {
                round += 1
                stem = stems[i] + "-" + shortHash(traceIDs[i] + "\u{0}" + String(round))
            }
            used.insert(stem.lowercased())
            stems[i] = stem
        }
        return stems
    }

    /// An anchor id (`s-…`) for each span id of a run, unique within the page.
    package static func spanAnchors(_ spanIDs: [String]) -> [String] {
        var used: Set<String> = []
        var anchors: [String] = []
        anchors.reserveCapacity(spanIDs.count)
        for id in spanIDs {
            let c = clean(id, limit: 64)
            var anchor = "s-" + (c == id ? c : c + "-" + shortHash(id))
            if used.contains(anchor) { anchor += "-" + shortHash(anchor + "\u{0}" + String(anchors.count)) }
            used.insert(anchor)
            anchors.append(anchor)
        }
        return anchors
    }

    /// `id` reduced to letters, digits, `-`, `_` and `.`, at most `limit` bytes, never empty and
    /// never starting with `.`.
    package static func clean(_ id: String, limit: Int) -> String {
        var out: [UInt8] = []
        for byte in id.utf8 {
            if out.count >= limit { break }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                out.append(byte)
            case UInt8(ascii: "."):
                out.append(out.isEmpty ? UInt8(ascii: "_") : byte)
            default:
                if out.last != UInt8(ascii: "_") { out.append(UInt8(ascii: "_")) }
            }
        }
        if out.isEmpty { return "run" }
        return String(decoding: out, as: UTF8.self)
    }

    /// Eight hex digits of the SHA-256 of `text`.
    package static func shortHash(_ text: String) -> String {
        String(SHA256.hexDigest(of: Array(text.utf8)).prefix(8))
    }
}
