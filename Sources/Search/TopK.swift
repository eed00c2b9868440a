/// Partial selection: the `k` best `(id, score)` pairs, best first, ties broken by smaller id (so results do not
/// depend on scan order). Quickselect then a sort of the k survivors: O(n + k log k).
enum TopK {
    static func best<Score: Comparable>(_ items: [(id: Int64, score: Score)], k: Int) -> [(id: Int64, score: Score)] {
        guard k > 0, !items.isEmpty else { return [] }
        var items = items
        if items.count > k {
            select(&items, k: k)
            items.removeLast(items.count - k)
        }
        items.sort { better($0, $1) }
        return items
    }

    @inline(__always)
    static func better<Score: Comparable>(_ a: (id: Int64, score: Score), _ b: (id: Int64, score: Score)) -> Bool {
        a.score != b.score ? a.score > b.score : a.id < b.id
    }

    /// Moves the `k` best items to the front (in no particular order).
    private static func select<Score: Comparable>(_ items: inout [(id: Int64, score: Score)], k: Int) {
        var low = 0, high = items.count - 1
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        while low < high {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let pivot = items[low + Int(state % UInt64(high - low + 1))]
            var i = low, j = high
            while i <= j {
                while better(items[i], pivot) { i += 1 }
                while better(pivot, items[j]) { j -= 1 }
                if i <= j {
                    items.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k - 1 <= j { high = j } else if k - 1 >= i { low = i } else { return }
        }
    }
}
