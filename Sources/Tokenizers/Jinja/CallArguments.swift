extension Jinja {
    /// Evaluated arguments of a call, filter or test.
    struct CallArguments {
        var positional: [Value] = []
        var keyword: [(name: String, value: Value)] = []

        /// Matches arguments to `parameters` like a Python signature; absent ones are `nil`.
        func bind(_ parameters: [String], to function: String) throws(Failure) -> [Value?] {
            guard positional.count <= parameters.count else {
                throw Failure.type("\(function)() takes at most \(parameters.count) arguments (\(positional.count) given)")
            }
            var bound: [Value?] = positional.map { $0 } + Array(repeating: nil, count: parameters.count - positional.count)
            for (name, value) in keyword {
                guard let index = parameters.firstIndex(of: name) else {
                    throw Failure.type("\(function)() got an unexpected keyword argument '\(name)'")
                }
                guard bound[index] == nil else { throw Failure.type("\(function)() got multiple values for '\(name)'") }
                bound[index] = value
            }
            return bound
        }
    }
}
