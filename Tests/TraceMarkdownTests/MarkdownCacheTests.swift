import Dispatch
import Testing
import TraceMarkdown

@Suite("Markdown cache")
struct MarkdownCacheTests {
    @Test("A cached render is the render, and a repeat is found instead of parsed again")
    func reuse() {
        let cache = MarkdownCache()
        let documents = ChatCorpus.documents(count: 40)
        for text in documents + documents {
            #expect(CommonMark.html(from: text, cache: cache) == CommonMark.html(fromUTF8: Array(text.utf8)))
        }
        #expect(cache.counts.texts == 40)
        #expect(cache.counts.hits == 40)
    }

    @Test("Plain text is not stored; texts equal as Swift strings but not as bytes are kept apart")
    func keys() {
        let cache = MarkdownCache()
        _ = CommonMark.html(from: "just words here", cache: cache)
        #expect(cache.counts.texts == 0)
        let composed = "*caf\u{E9}*"
        let decomposed = "*cafe\u{301}*"
        #expect(composed == decomposed)
        let a = CommonMark.html(from: composed, cache: cache)
        let b = CommonMark.html(from: decomposed, cache: cache)
        #expect(a == Array("<p><em>caf\u{E9}</em></p>\n".utf8))
        #expect(b == Array("<p><em>cafe\u{301}</em></p>\n".utf8))
        #expect(cache.counts.texts == 2)
    }

    @Test("A full cache still renders every text, and stores no more")
    func bounded() {
        let cache = MarkdownCache(byteLimit: 200)
        for text in ChatCorpus.documents(count: 10) {
            #expect(CommonMark.html(from: text, cache: cache) == CommonMark.html(fromUTF8: Array(text.utf8)))
        }
        #expect(cache.counts.texts == 0)
    }

    @Test("Threads sharing a cache get the same bytes as one thread alone")
    func concurrent() {
        let cache = MarkdownCache()
        let documents = ChatCorpus.documents(count: 30)
        let expected = documents.map { CommonMark.html(fromUTF8: Array($0.utf8)) }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<documents.count {
                let k = (i + worker * 7) % documents.count
                #expect(CommonMark.html(from: documents[k], cache: cache) == expected[k])
            }
        }
        #expect(cache.counts.texts == 30)
    }
}
