import Foundation

/// Python methods templates call on strings and dicts, and the global functions of HF's environment.
extension Jinja.Evaluator {
    /// `base.name(args)` when `name` is a method of `base`'s type; `nil` when it is not (then the attribute is
    /// looked up and called, e.g. a macro stored in a dict).
    func callMethod(_ base: Value, _ name: String, _ args: Jinja.CallArguments) throws(Failure) -> Value? {
        switch base.unmarked {
        case .string(let text): return try stringMethod(text, name, args)
        case .dict(let dict): return try dictMethod(dict, name, args)
        case .list(let items):
            if ["append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"].contains(name) {
                throw Failure("list.\(name)() modifies a list, which Hugging Face's sandboxed environment forbids; "
                    + "build a new list with '+' instead")
            }
            if name == "index" {
                let target = try args.bind(["value"], to: "index")[0] ?? .none
                guard let index = items.firstIndex(where: { Value.equal($0, target) }) else {
                    throw Failure("\(target.repr) is not in list")
                }
                return .int(index)
            }
            if name == "count" {
                let target = try args.bind(["value"], to: "count")[0] ?? .none
                return .int(items.filter { Value.equal($0, target) }.count)
            }
            return nil
        case .loop(let state) where name == "cycle":
            guard !args.positional.isEmpty else { throw Failure.type("loop.cycle() needs at least one value") }
            return args.positional[state.index0 % args.positional.count]
        default:
            return nil
        }
    }

    private func optionalString(_ value: Value?, _ what: String) throws(Failure) -> String? {
        switch value {
        case nil, .none?: return nil
        case .string(let s)?: return s
        case let other?: throw Failure.type("\(what) must be a string or None, not \(other.typeName)")
        }
    }

    private func requiredString(_ value: Value?, _ what: String) throws(Failure) -> String {
        guard case .string(let s)? = value else {
            throw Failure.type("\(what) must be a string, not \(value?.typeName ?? "missing")")
        }
        return s
    }

    private func stringMethod(_ text: String, _ name: String, _ args: Jinja.CallArguments) throws(Failure) -> Value? {
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try optionalString(try args.bind(["chars"], to: name)[0], "\(name)() argument")
            return .string(PythonText.strip(text, chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let bound = try args.bind(["sep", "maxsplit"], to: name)
            let separator = try optionalString(bound[0], "separator")
            if separator == "" { throw Failure("empty separator") }
            let limit = bound[1]?.integer ?? -1
            let parts = name == "split" ? PythonText.split(text, separator, maxSplit: limit)
                : PythonText.rsplit(text, separator, maxSplit: limit)
            return .list(parts.map { .string($0) })
        case "startswith", "endswith":
            let bound = try args.bind(["prefix", "start", "end"], to: name)
            var candidates: [String] = []
            switch bound[0] {
            case .string(let s)?: candidates = [s]
            case .list(let items)?:
                for item in items { candidates.append(try requiredString(item, "\(name)() tuple item")) }
            default: throw Failure.type("\(name)() argument must be str or a tuple of str")
            }
            let scalars = PythonText.scalars(text)
            let range = PythonText.sliceIndices(count: scalars.count, start: bound[1]?.integer, stop: bound[2]?.integer, step: 1)
            let window = PythonText.string(range.map { scalars[$0] })
            let test: (String) -> Bool = name == "startswith"
                ? { PythonText.hasPrefix(window, $0) } : { PythonText.hasSuffix(window, $0) }
            return .bool(candidates.contains(where: test))
        case "replace":
            let bound = try args.bind(["old", "new", "count"], to: name)
            return .string(PythonText.replace(text, try requiredString(bound[0], "replace() old"),
                                              try requiredString(bound[1], "replace() new"), count: bound[2]?.integer ?? -1))
        case "upper": return .string(text.uppercased())
        case "lower": return .string(text.lowercased())
        case "title": return .string(PythonText.pythonTitle(text))
        case "capitalize": return .string(PythonText.capitalize(text))
        case "find", "rfind", "count":
            let needle = PythonText.scalars(try requiredString(try args.bind(["sub"], to: name)[0], "\(name)() argument"))
            let scalars = PythonText.scalars(text)
            var hits: [Int] = []
            var from = 0
            while let hit = PythonText.find(scalars, needle, from: from) {
                hits.append(hit)
                from = hit + max(1, needle.count)
                if name == "find" || from > scalars.count { break }
            }
            if name == "count" { return .int(hits.count) }
            return .int((name == "find" ? hits.first : hits.last) ?? -1)
        case "join":
            let items = try iterate(try args.bind(["iterable"], to: name)[0] ?? .none)
            var parts: [String] = []
            for item in items { parts.append(try requiredString(item, "join() item")) }
            return .string(parts.joined(separator: text))
        case "isspace", "isdigit", "isalpha", "isalnum", "islower", "isupper":
            return .bool(characterTest(text, name))
        default:
            return nil
        }
    }

    private func characterTest(_ text: String, _ name: String) -> Bool {
        let scalars = text.unicodeScalars
        switch name {
        case "isspace": return !scalars.isEmpty && scalars.allSatisfy(PythonText.isSpace)
        case "isdigit": return !scalars.isEmpty && scalars.allSatisfy { $0.properties.numericType != nil }
        case "isalpha": return !scalars.isEmpty && scalars.allSatisfy(\.properties.isAlphabetic)
        case "isalnum":
            return !scalars.isEmpty && scalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        case "islower": return text.lowercased() == text && text.uppercased() != text
        default: return text.uppercased() == text && text.lowercased() != text
        }
    }

    private func dictMethod(_ dict: Jinja.Dict, _ name: String, _ args: Jinja.CallArguments) throws(Failure) -> Value? {
        switch name {
        case "get":
            let bound = try args.bind(["key", "default"], to: "get")
            return bound[0].flatMap { dict[$0] } ?? bound[1] ?? Value.none
        case "items":
            _ = try args.bind([], to: "items")
            return .list(dict.entries.map { .list([$0.key, $0.value]) })
        case "keys":
            _ = try args.bind([], to: "keys")
            return .list(dict.keys)
        case "values":
            _ = try args.bind([], to: "values")
            return .list(dict.entries.map(\.value))
        default:
            return nil
        }
    }

    // MARK: globals

    func callBuiltin(_ function: Value.Function, _ args: Jinja.CallArguments) throws(Failure) -> Value {
        switch function {
        case .raiseException:
            let message = try args.bind(["message"], to: "raise_exception")[0] ?? .none
            var failure = Failure(message.text, kind: .raised)
            failure.location = location
            throw failure
        case .namespace, .dict:
            var attributes = Jinja.Dict()
            for value in args.positional {
                guard case .dict(let initial) = value else {
                    throw Failure.type("\(function.rawValue)() takes a mapping or keyword arguments, not \(value.typeName)")
                }
                for entry in initial.entries { try attributes.set(entry.key, entry.value) }
            }
            for (name, value) in args.keyword { attributes[name] = value }
            return function == .namespace ? .namespace(Jinja.Namespace(attributes)) : .dict(attributes)
        case .range:
            let numbers = args.positional.compactMap(\.integer)
            guard numbers.count == args.positional.count, (1...3).contains(numbers.count), args.keyword.isEmpty else {
                throw Failure.type("range() takes 1 to 3 integer arguments")
            }
            let start = numbers.count > 1 ? numbers[0] : 0
            let stop = numbers.count > 1 ? numbers[1] : numbers[0]
            let step = numbers.count > 2 ? numbers[2] : 1
            guard step != 0 else { throw Failure("range() step must not be zero") }
            // Counted before anything is allocated (`range(10**15)` is a number in a file, not a list to build).
            let nonEmpty = step > 0 ? start < stop : start > stop
            let span = step > 0 ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
            let count = nonEmpty ? (span - 1) / step.magnitude + 1 : 0
            guard count <= 100_000 else { throw Failure("range() of \(count) items is too large") }
            return .list(stride(from: start, to: stop, by: step).map { .int($0) })
        case .strftimeNow:
            let format = try requiredString(try args.bind(["format"], to: "strftime_now")[0], "strftime_now() format")
            return .string(Self.strftime(format, Date()))
        }
    }

    /// The common `strftime` conversions, in the C locale and the local time zone (as Python's `datetime.now()`).
    static func strftime(_ format: String, _ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                      "November", "December"]
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        func pad(_ n: Int?, _ width: Int = 2) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let month = months[((c.month ?? 1) - 1) % 12], day = days[((c.weekday ?? 1) - 1) % 7]
        let hour12 = ((c.hour ?? 0) + 11) % 12 + 1
        var out = ""
        var percent = false
        for character in format {
            guard percent else {
                if character == "%" { percent = true } else { out.append(character) }
                continue
            }
            percent = false
            switch character {
            case "Y": out += String(c.year ?? 0)
            case "y": out += pad((c.year ?? 0) % 100)
            case "m": out += pad(c.month)
            case "d": out += pad(c.day)
            case "e": out += ((c.day ?? 0) < 10 ? " " : "") + String(c.day ?? 0)
            case "H": out += pad(c.hour)
            case "I": out += pad(hour12)
            case "M": out += pad(c.minute)
            case "S": out += pad(c.second)
            case "p": out += (c.hour ?? 0) < 12 ? "AM" : "PM"
            case "j": out += pad(dayOfYear, 3)
            case "B": out += month
            case "b", "h": out += String(month.prefix(3))
            case "A": out += day
            case "a": out += String(day.prefix(3))
            case "%": out += "%"
            default: out += "%" + String(character)
            }
        }
        if percent { out += "%" }
        return out
    }
}
