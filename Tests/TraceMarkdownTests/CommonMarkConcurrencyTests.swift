import Dispatch
import Foundation
import Testing
import TraceMarkdown

@Suite("CommonMark concurrency")
struct CommonMarkConcurrencyTests {
    @Test("Rendering on several threads at once matches serial rendering")
    func concurrentMatchesSerial() {
        let documents = ChatCorpus.documents(count: 200)
        let optionSets: [CommonMarkOptions] = [.default, .smart, [.hardBreaks, .smart]]
        let jobs = optionSets.flatMap { options in documents.indices.map { (index: $0, options: options) } }

        let serial = jobs.map { CommonMark.html(from: documents[$0.index], options: $0.options) }
        let serialBytes = jobs.map { CommonMark.html(fromUTF8: Array(documents[$0.index].utf8), options: $0.options) }

        let rounds = 4
        let results = ResultSlots(count: jobs.count * rounds)
        // Interleave so neighbouring iterations (run on different threads) render different documents.
        DispatchQueue.concurrentPerform(iterations: jobs.count * rounds) { iteration in
            let job = jobs[(iteration * 7919) % jobs.count]
            let slot = (iteration * 7919) % jobs.count + (iteration / jobs.count) * jobs.count
            if iteration % 2 == 0 {
                results.store(CommonMark.html(from: documents[job.index], options: job.options), at: slot)
            } else {
                let bytes = CommonMark.html(fromUTF8: Array(documents[job.index].utf8), options: job.options)
                results.store(String(decoding: bytes, as: UTF8.self), at: slot)
            }
        }

        let concurrent = results.values
        #expect(concurrent.count == jobs.count * rounds)
        for (slot, html) in concurrent.enumerated() {
            let job = slot % jobs.count
            #expect(html == serial[job], "document \(jobs[job].index) differs when rendered concurrently")
        }
        #expect(serialBytes.map { String(decoding: $0, as: UTF8.self) } == serial)
        #expect(
            Set(serial.prefix(documents.count)).count == documents.count, "the corpus should hold distinct documents")
    }
}

extension CommonMarkConcurrencyTests {
    @Test("Dedicated threads rendering the corpus in different orders agree")
    func dedicatedThreadsAgree() {
        let documents = ChatCorpus.documents(count: 200)
        let serial = documents.map { CommonMark.html(from: $0) }
        let threadCount = 6
        let results = ResultSlots(count: documents.count * threadCount)
        let group = DispatchGroup()
        for thread in 0..<threadCount {
            group.enter()
            let worker = Thread {
                // Each thread starts at a different document and walks with a different stride.
                let stride = [1, 3, 7, 11, 13, 17][thread]
                for step in 0..<documents.count {
                    let index = (thread * 31 + step * stride) % documents.count
                    results.store(CommonMark.html(from: documents[index]), at: thread * documents.count + index)
                }
                group.leave()
            }
            worker.start()
        }
        group.wait()
        for (slot, html) in results.values.enumerated() {
            #expect(html == serial[slot % documents.count], "thread \(slot / documents.count) disagrees")
        }
    }
}

/// Collects one result per slot from many threads.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [String?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ value: String, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        precondition(slots[index] == nil, "slot \(index) written twice")
        slots[index] = value
    }

    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? "" }
    }
}
