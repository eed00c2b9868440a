/// Filters over sequences: `map`, `select`/`reject`, `selectattr`/`rejectattr`, `sort`, `unique`, `sum`, `min`, `max`.
extension Jinja.Evaluator {
    func applySequenceFilter(_ name: String, _ value: Value, _ args: Jinja.CallArguments) throws(Failure) -> Value {
        let lazy = try applyEagerSequenceFilter(name, value, args)
        // map/select/reject/selectattr/rejectattr/unique are generators in Jinja (always truthy, no len(), not JSON).
        if ["map", "select", "reject", "selectattr", "rejectattr", "unique"].contains(name), case .list(let items) = lazy {
            return .iterator(Jinja.Generator(items))
        }
        return lazy
    }

    private func applyEagerSequenceFilter(_ name: String, _ value: Value, _ args: Jinja.CallArguments) throws(Failure) -> Value {
        // Jinja's map/select/reject family starts with `if value:`, so None or "" give an empty result.
        let lenient = ["map", "select", "reject", "selectattr", "rejectattr"].contains(name)
        let items = lenient && !value.truthy ? [] : try iterate(value)
        switch name {
        case "dictsort":
            let bound = try args.bind(["case_sensitive", "by", "reverse"], to: name)
            guard case .dict(let dict) = value else { throw Failure.type("dictsort needs a mapping, not \(value.typeName)") }
            let byValue: Bool
            switch bound[1]?.text ?? "key" {
            case "key": byValue = false
            case "value": byValue = true
            default: throw Failure("dictsort: you can only sort by either \"key\" or \"value\"")
            }
            let pairs = dict.entries
            let keys = try sortKeys(pairs.map { byValue ? $0.value : $0.key }, caseSensitive: bound[0]?.truthy ?? false,
                                    attribute: nil)
            let descending = bound[2]?.truthy == true
            let order = try Self.stableSort(Array(pairs.indices)) { (a, b) throws(Failure) in
                descending ? try Value.less(keys[b], keys[a]) : try Value.less(keys[a], keys[b])
            }
            return .list(order.map { .list([pairs[$0].key, pairs[$0].value]) })
        case "map":
            if let attribute = args.keyword.first(where: { $0.name == "attribute" })?.value {
                let fallback = args.keyword.first(where: { $0.name == "default" })?.value
                var out: [Value] = []
                for element in items {
                    let picked = try path(element, attribute)
                    out.append(picked.isUndefined ? fallback ?? picked : picked)
                }
                return .list(out)
            }
            guard case .string(let filter)? = args.positional.first, Jinja.Filters.names.contains(filter) else {
                throw Failure.type("map() needs a filter name or attribute=…")
            }
            let rest = Jinja.CallArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            var out: [Value] = []
            for element in items { out.append(try applyFilter(filter, element, rest)) }
            return .list(out)
        case "select", "reject":
            var out: [Value] = []
            for element in items where try passes(element, args.positional, args.keyword) == (name == "select") {
                out.append(element)
            }
            return .list(out)
        case "selectattr", "rejectattr":
            guard let attribute = args.positional.first else { throw Failure.type("\(name)() needs an attribute name") }
            var out: [Value] = []
            for element in items
            where try passes(try path(element, attribute), Array(args.positional.dropFirst()), args.keyword) == (name == "selectattr") {
                out.append(element)
            }
            return .list(out)
        case "sort":
            let bound = try args.bind(["reverse", "case_sensitive", "attribute"], to: name)
            let keys = try sortKeys(items, caseSensitive: bound[1]?.truthy ?? false, attribute: bound[2])
            let descending = bound[0]?.truthy == true
            let order = try Self.stableSort(Array(items.indices)) { (a, b) throws(Failure) in
                descending ? try Value.less(keys[b], keys[a]) : try Value.less(keys[a], keys[b])
            }
            return .list(order.map { items[$0] })
        case "unique":
            let bound = try args.bind(["case_sensitive", "attribute"], to: name)
            let keys = try sortKeys(items, caseSensitive: bound[0]?.truthy ?? false, attribute: bound[1])
            var seen: [Value] = []
            var out: [Value] = []
            for (element, key) in zip(items, keys) where !seen.contains(where: { Value.equal($0, key) }) {
                seen.append(key)
                out.append(element)
            }
            return .list(out)
        case "sum":
            let bound = try args.bind(["attribute", "start"], to: name)
            var total = bound[1] ?? .int(0)
            for element in items {
                total = try Value.binary(.add, total, try bound[0].map { (key: Value) throws(Failure) in try path(element, key) } ?? element)
            }
            return total
        case "min", "max":
            let bound = try args.bind(["case_sensitive", "attribute"], to: name)
            let keys = try sortKeys(items, caseSensitive: bound[0]?.truthy ?? false, attribute: bound[1])
            guard var best = keys.indices.first else { return .undefined(hint: "\(name)() of an empty sequence") }
            for i in keys.indices.dropFirst() {
                let better = name == "min" ? try Value.less(keys[i], keys[best]) : try Value.less(keys[best], keys[i])
                if better { best = i }
            }
            return items[best]
        default:
            throw Failure("no filter named '\(name)'")
        }
    }

    /// `a.b.c` attribute paths as Jinja's `make_attrgetter` reads them (item lookup per dotted part).
    func path(_ value: Value, _ attribute: Value) throws(Failure) -> Value {
        guard case .string(let dotted) = attribute else { return try item(value, attribute) }
        var current = value
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            let key: Value = Int(part).map { .int($0) } ?? .string(String(part))
            current = try item(current, key)
        }
        return current
    }

    /// For `select`: the named test (with its arguments), or truthiness when no test is named.
    private func passes(_ value: Value, _ positional: [Value], _ keyword: [(name: String, value: Value)]) throws(Failure) -> Bool {
        guard case .string(let test)? = positional.first else { return value.truthy }
        guard Jinja.Predicates.names.contains(test) else { throw Failure("no test named '\(test)'") }
        return try applyTest(test, value, Jinja.CallArguments(positional: Array(positional.dropFirst()), keyword: keyword))
    }

    private func sortKeys(_ items: [Value], caseSensitive: Bool, attribute: Value?) throws(Failure) -> [Value] {
        var keys: [Value] = []
        for element in items {
            var key = try attribute.map { (a: Value) throws(Failure) in try path(element, a) } ?? element
            if !caseSensitive, case .string(let text) = key { key = .string(text.lowercased()) }
            keys.append(key)
        }
        return keys
    }

    /// A stable merge sort whose comparison may throw (Python's sort is stable; so is this).
    static func stableSort(_ items: [Int], by less: (Int, Int) throws(Failure) -> Bool) throws(Failure) -> [Int] {
        guard items.count > 1 else { return items }
        let middle = items.count / 2
        let left = try stableSort(Array(items[..<middle]), by: less)
        let right = try stableSort(Array(items[middle...]), by: less)
        var merged: [Int] = []
        merged.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count, j < right.count {
            if try less(right[j], left[i]) { merged.append(right[j]); j += 1 } else { merged.append(left[i]); i += 1 }
        }
        return merged + left[i...] + right[j...]
    }
}
