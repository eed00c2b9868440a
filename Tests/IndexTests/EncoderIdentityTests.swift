import Foundation
import Index
import TestSupport
import Testing

/// The head settings are part of an encoder's identity when both sides record them; old indexes (without `head`)
/// keep accepting their encoder and learn its head, and the repository id is remembered.
@Suite struct EncoderIdentityTests {
    @Test func headIsComparedOnlyWhenBothSidesHaveIt() {
        let base = EncoderIdentity(name: "m", fingerprint: "abc", dimension: 8)
        var withHead = base
        withHead.head = "h1"
        var otherHead = base
        otherHead.head = "h2"
        #expect(base == withHead && withHead == base, "an identity without head accepts any head")
        #expect(withHead != otherHead)
        var renamed = withHead
        renamed.name = "other"
        renamed.location = "/elsewhere"
        renamed.repository = "Owner/Name"
        #expect(renamed == withHead)
    }

    @Test func anIndexRecordsHeadAndRepositoryAndRefusesAnotherHead() throws {
        let url = try IndexFixtures.temporaryIndexURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        // An index written before heads were recorded.
        let old = try IndexDatabase.open(at: url, encoder: IndexFixtures.encoder)
        try old.replaceDocument(IndexFixtures.document("a"), passages: IndexFixtures.passages(["x"], dimension: 8))
        var current = IndexFixtures.encoder
        current.head = "h1"
        current.location = "/models/LiquidAI/LFM2-ColBERT-350M"
        current.repository = "LiquidAI/LFM2-ColBERT-350M"
        let upgraded = try IndexDatabase.open(at: url, encoder: current)
        #expect(upgraded.encoder?.head == "h1" && upgraded.encoder?.repository == "LiquidAI/LFM2-ColBERT-350M")
        var changed = current
        changed.head = "h2"
        #expect(throws: IndexError.self) { try IndexDatabase.open(at: url, encoder: changed) }
        #expect(throws: IndexError.self) { try IndexDatabase.openExisting(at: url).checkCompatible(with: changed) }
        let reopened = try IndexDatabase.openExisting(at: url)
        #expect(reopened.encoder?.head == "h1" && reopened.encoder?.location == current.location)
    }
}
