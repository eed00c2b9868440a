/// A claim of an answer that none of its citations supports (every one is `unsupported`), for `--json` and the
/// closing warning.
public struct UnsupportedClaim: Sendable, Codable, Equatable {
    public var claim: String
    /// The passage numbers it cites.
    public var cited: [Int]
    /// The first citation's problem.
    public var problem: String?

    public init(claim: String, cited: [Int], problem: String?) {
        self.claim = claim
        self.cited = cited
        self.problem = problem
    }

    /// One per distinct claim whose citations are all `unsupported`, in answer order.
    public static func list(_ citations: [Citation]) -> [UnsupportedClaim] {
        claims(citations).compactMap { claim, cited in
            guard cited.allSatisfy({ $0.support == .unsupported }) else { return nil }
            return UnsupportedClaim(claim: claim, cited: cited.map(\.n), problem: cited.first?.problem)
        }
    }

    /// True when more than half of the answer's cited claims are unsupported (the answer then says so at the end).
    public static func mostlyUnsupported(_ citations: [Citation]) -> Bool {
        let all = claims(citations)
        return !all.isEmpty && list(citations).count * 2 > all.count
    }

    /// Citations grouped by claim text, in order of first appearance.
    static func claims(_ citations: [Citation]) -> [(String, [Citation])] {
        var order: [String] = []
        var byClaim: [String: [Citation]] = [:]
        for citation in citations {
            let claim = citation.claim ?? ""
            if byClaim[claim] == nil { order.append(claim) }
            byClaim[claim, default: []].append(citation)
        }
        return order.map { ($0, byClaim[$0]!) }
    }

    /// The closing line of an answer whose claims are mostly unsupported.
    public static let warning = "Most of this answer's claims are not supported by the cited passages; check them before relying on it."
}
