/// A growable stack in manually managed memory, so values can be moved out in bulk without
/// reference-count traffic or copy-on-write checks.
struct RawStack<Element>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    mutating func pop() -> Element {
        count -= 1
        return (base + count).move()
    }

    /// The top element; the stack must not be empty.
    @inline(__always)
    var top: Element { base[count - 1] }

    mutating func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// Moves the elements from `start` to the top into a new array, leaving `start` elements.
    @inline(__always)
    mutating func moveOut(from start: Int) -> [Element] {
        let source = base + start
        let n = count - start
        count = start
        return ArrayBuilder.make(count: n) { (source + $0).move() }
    }

    /// Forgets the elements from `start` to the top after they were moved out elsewhere.
    @inline(__always)
    mutating func forget(from start: Int) {
        count = start
    }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
