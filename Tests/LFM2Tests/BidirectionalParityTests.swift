import Foundation
import LFM2
import Testing
import TestSupport

/// The `Lfm2BidirectionalModel` encoder (centred conv, non-causal attention, key-padding mask) against the
/// remote-code reference, with and without masked expansion positions.
@Suite struct BidirectionalParityTests {
    struct Reference: Decodable {
        struct Case: Decodable { let ids: [Int]; let padded_ids: [Int]; let mask: [Int]; let hidden: String; let padded_hidden: String }
        let cases: [Case]
    }

    static let reference = try! Fixtures.decode(Reference.self, from: "lfm2-bidir-reference.json")
    static let model = try! LFM2Model.load(directory: Fixtures.url("lfm2-bidir-tiny"), withHead: false, precision: .f32)

    @Test func configIsBidirectionalFromArchitectures() {
        #expect(Self.model.config.direction == .bidirectional)
        // full_attn_idxs alias
        #expect(Self.model.config.layerKinds.enumerated().filter { $0.element == .attention }.map(\.offset) == [0, 3])
    }

    @Test(arguments: 0..<3) func hiddenStatesMatch(index: Int) throws {
        let item = Self.reference.cases[index]
        let plain = try Self.model.encode(item.ids).toArray()
        let d1 = Difference(expected: try Fixtures.floats(item.hidden), actual: plain)
        #expect(d1.relative < 1e-4, "unpadded case \(index): \(d1)")
        let padded = try Self.model.encode(item.padded_ids, keyMask: item.mask.map { $0 == 1 }).toArray()
        let d2 = Difference(expected: try Fixtures.floats(item.padded_hidden), actual: padded)
        #expect(d2.relative < 1e-4, "padded case \(index): \(d2)")
    }
}
