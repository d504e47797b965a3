import Synchronization

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The HTML of Markdown texts already rendered, shared by every page of a report so that each
/// distinct text goes through cmark once, however many runs repeat it.
///
/// Keys are whole texts compared byte for byte (not as Swift strings, which treat canonically
/// equivalent texts as equal although cmark renders their bytes). They are hashed with the
/// standard library's hasher, which is seeded per process, so texts crafted to collide cannot
/// pile into one bucket and make lookups quadratic. Text that takes the plain-text fast path is
/// not stored: rendering it again costs about what hashing it does.
///
/// Memory is bounded: once the stored texts and HTML reach ``byteLimit`` bytes, new texts are
/// rendered without being stored. Safe to use from several threads; two threads may render the
/// same new text at once, and both get the same bytes.
package final class MarkdownCache: Sendable {
    /// The most bytes of text and HTML kept.
    package let byteLimit: Int

    private struct Key: Hashable, @unchecked Sendable {
        let text: String

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }

        static func == (a: Key, b: Key) -> Bool {
            var x = a.text
            var y = b.text
            return x.withUTF8 { p in
                y.withUTF8 { q in
                    p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
                }
            }
        }
    }

    private struct Storage {
        var html: [Key: [UInt8]] = [:]
        var bytes = 0
        var hits = 0
    }

    private let storage = Mutex(Storage())

    /// Creates an empty cache keeping at most `byteLimit` bytes (16 MiB by default: on the 200 MB
    /// agent benchmark 64 MiB took 30 MB more memory and no less time).
    package init(byteLimit: Int = 16 << 20) {
        self.byteLimit = byteLimit
    }

    /// How many texts are stored, and how many lookups found one.
    package var counts: (texts: Int, hits: Int) {
        storage.withLock { ($0.html.count, $0.hits) }
    }

    func lookup(_ text: String) -> [UInt8]? {
        storage.withLock { s in
            guard let html = s.html[Key(text: text)] else { return nil }
            s.hits += 1
            return html
        }
    }

    func store(_ html: [UInt8], for text: String) {
        let size = text.utf8.count + html.count
        storage.withLock { s in
            guard s.bytes + size <= byteLimit, s.html.updateValue(html, forKey: Key(text: text)) == nil else { return }
            s.bytes += size
        }
    }
}

extension CommonMark {
    /// Renders untrusted Markdown to safe HTML bytes, reusing `cache` for texts seen before.
    ///
    /// The bytes are those of ``html(fromUTF8:options:)`` for the text's UTF-8.
    package static func html(
        from markdown: String, options: CommonMarkOptions = .default, cache: MarkdownCache
    ) -> [UInt8] {
        var text = markdown
        if let plain = text.withUTF8({ PlainText.html($0, options: options) }) { return plain }
        if options == .default, let html = cache.lookup(markdown) { return html }
        let html = text.withUTF8 { renderValidating($0, options: options, plainTextFastPath: false) }
        if options == .default { cache.store(html, for: markdown) }
        return html
    }
}
