/// Builds arrays of a known small size without the generic, unspecialized allocation path.
///
/// `Array(unsafeUninitializedCapacity:initializingWith:)` and `reserveCapacity` allocate through a
/// non-inlinable standard library function that looks up the storage class's metadata at run time on
/// every call, which costs more than parsing a small object. Array literals allocate through an inlined
/// path with cached metadata, so sizes up to 16 use a literal.
enum ArrayBuilder {
    /// An array of `count` elements, `element(i)` called once for each `i` in order.
    @inline(__always)
    static func make<T>(count: Int, _ element: (Int) -> T) -> [T] {
        switch count {
        case 0: return []
        case 1: return [element(0)]
        case 2: return [element(0), element(1)]
        case 3: return [element(0), element(1), element(2)]
        case 4: return [element(0), element(1), element(2), element(3)]
        case 5: return [element(0), element(1), element(2), element(3), element(4)]
        case 6: return [element(0), element(1), element(2), element(3), element(4), element(5)]
        case 7: return [element(0), element(1), element(2), element(3), element(4), element(5), element(6)]
        case 8: return [element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7)]
        case 9:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8),
            ]
        case 10:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9),
            ]
        case 11:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10),
            ]
        case 12:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10), element(11),
            ]
        case 13:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10), element(11), element(12),
            ]
        case 14:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10), element(11), element(12), element(13),
            ]
        case 15:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10), element(11), element(12), element(13), element(14),
            ]
        case 16:
            return [
                element(0), element(1), element(2), element(3), element(4), element(5), element(6), element(7),
                element(8), element(9), element(10), element(11), element(12), element(13), element(14), element(15),
            ]
        default:
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let out = buffer.baseAddress!
                for i in 0..<count { (out + i).initialize(to: element(i)) }
                initialized = count
            }
        }
    }
}
