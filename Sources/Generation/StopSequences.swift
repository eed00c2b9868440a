/// Ends generation at any of a few strings (OpenAI's `stop`), while streaming: text that could be the start of a
/// stop string is held back until the next piece shows whether it is, so the caller never receives any part of a
/// stop string, and the result ends just before it.
public struct StopSequences: Sendable {
    public let strings: [String]
    private var held = ""
    /// Set once a stop string has been seen; later pieces are ignored.
    public private(set) var matched = false

    public init(_ strings: [String]) {
        self.strings = strings.filter { !$0.isEmpty }
    }

    public var isEmpty: Bool { strings.isEmpty }

    /// Takes the next piece of generated text; returns what can be released now.
    public mutating func append(_ piece: String) -> String {
        guard !matched else { return "" }
        held += piece
        // The earliest complete stop string ends the text.
        if let cut = strings.compactMap({ held.range(of: $0)?.lowerBound }).min() {
            matched = true
            let released = String(held[..<cut])
            held = ""
            return released
        }
        // Keep the longest tail that is a proper prefix of some stop string.
        var keep = 0
        for stop in strings {
            for length in stride(from: min(stop.count - 1, held.count), to: keep, by: -1)
            where held.hasSuffix(stop.prefix(length)) {
                keep = length
                break
            }
        }
        let split = held.index(held.endIndex, offsetBy: -keep)
        let released = String(held[..<split])
        held = String(held[split...])
        return released
    }

    /// At the end of generation: what was held back, which turned out not to start a stop string.
    public mutating func finish() -> String {
        defer { held = "" }
        return matched ? "" : held
    }
}
