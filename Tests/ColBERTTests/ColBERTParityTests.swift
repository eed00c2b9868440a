import ColBERT
import Foundation
import Testing
import TestSupport

/// Parity with PyLate 1.6 (transformers 4.57, float32, batch size 1) on the tiny causal and bidirectional ColBERTs.
@Suite struct ColBERTParityTests {
    @Test(arguments: ColBERTReference.kinds)
    func tokenizationMatchesPyLate(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind), try ColBERTReference.load(kind))
        for (role, cases) in [(TextRole.query, reference.queries), (.document, reference.documents)] {
            for item in cases {
                let input = encoder.input(for: item.text, as: role)
                #expect(input.ids == item.input_ids, "\(kind) \(role) \(item.text.debugDescription)")
                #expect(input.attentionMask == item.attention_mask.map { $0 == 1 },
                        "\(kind) \(role) \(item.text.debugDescription)")
                #expect(input.keptIDs == item.kept_ids, "\(kind) \(role) \(item.text.debugDescription)")
            }
        }
    }

    @Test(arguments: ColBERTReference.kinds)
    func vectorsMatchPyLate(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind), try ColBERTReference.load(kind))
        let expected = try reference.referenceVectors()
        var worst: (cosine: Float, text: String, token: Int) = (1, "", -1)
        for (role, cases, vectors) in [(TextRole.query, reference.queries, expected.queries),
                                       (.document, reference.documents, expected.documents)] {
            for (item, want) in zip(cases, vectors) {
                let got = try encoder.encode(item.text, as: role)
                try #require(got.ids == want.ids, "\(kind) \(role) \(item.text.debugDescription): kept ids differ")
                #expect(got.dimension == reference.dimension)
                for token in 0..<got.count {
                    let similarity = cosine(got.vector(token), want.vector(token))
                    if similarity < worst.cosine { worst = (similarity, item.text, token) }
                }
            }
        }
        print("\(kind): min cosine to PyLate \(worst.cosine) (\(worst.text.debugDescription), token \(worst.token))")
        #expect(worst.cosine >= 0.9999, "\(kind): min cosine \(worst.cosine) at \(worst.text.debugDescription) token \(worst.token)")
    }

    /// Packing documents into one backbone pass (the indexer's path) gives PyLate's batch-of-one vectors, whether all
    /// documents share a pass or are split over several.
    @Test(arguments: ColBERTReference.kinds)
    func packedDocumentsMatchPyLate(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind), try ColBERTReference.load(kind))
        let expected = try reference.referenceVectors().documents
        let texts = reference.documents.map(\.text)
        try #require(texts.count >= 3, "the fixture needs several documents to pack")
        for batchTokens in [1, 64, 1 << 20] {
            let packed = try encoder.encodeDocuments(texts, batchTokens: batchTokens)
            try #require(packed.count == texts.count)
            for (index, (got, want)) in zip(packed, expected).enumerated() {
                try #require(got.ids == want.ids, "\(kind) document \(index), batchTokens \(batchTokens): kept ids differ")
                let alone = try encoder.encodeDocument(texts[index])
                for token in 0..<got.count {
                    #expect(cosine(got.vector(token), want.vector(token)) >= 0.9999)
                    let drift = zip(got.vector(token), alone.vector(token)).map { abs($0 - $1) }.max() ?? 0
                    #expect(drift < 1e-5, "\(kind) document \(index) token \(token): packed differs from alone by \(drift)")
                }
            }
        }
        #expect(try encoder.encodeDocuments([]).isEmpty)
    }

    @Test(arguments: ColBERTReference.kinds)
    func maxSimScoresMatchPyLate(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind), try ColBERTReference.load(kind))
        let queries = try reference.queries.map { try encoder.encodeQuery($0.text) }
        let documents = try reference.documents.map { try encoder.encodeDocument($0.text) }
        let actual = queries.flatMap { query in documents.map { ColBERTEncoder.maxSim(query: query, document: $0) } }
        let difference = Difference(expected: reference.scores.flatMap { $0 }, actual: actual)
        print("\(kind): MaxSim scores \(difference)")
        #expect(difference.relative <= 1e-4, "\(kind): \(difference)")

        // The ranking of documents for every query is PyLate's too.
        for (index, row) in reference.scores.enumerated() {
            let mine = Array(actual[index * documents.count ..< (index + 1) * documents.count])
            let order = { (scores: [Float]) in scores.indices.sorted { scores[$0] > scores[$1] } }
            #expect(order(mine) == order(row), "\(kind): ranking for query \(index)")
        }
    }

    @Test(arguments: ColBERTReference.kinds)
    func shapesFollowTheFolder(kind: String) throws {
        let (encoder, reference) = (try ColBERTReference.encoder(kind), try ColBERTReference.load(kind))
        #expect(encoder.dimension == reference.dimension)
        #expect(encoder.queryLength == reference.query_length)
        #expect(encoder.documentLength == reference.document_length)
        #expect(encoder.name == "colbert-\(kind)-tiny")
        let skiplist = Set(reference.skiplist_ids)
        for item in reference.queries {
            let vectors = try encoder.encodeQuery(item.text)
            #expect(vectors.count == reference.query_length, "\(item.text.debugDescription)")
            #expect(vectors.ids[0] == 1 && vectors.ids[1] == reference.query_prefix_id)
        }
        for item in reference.documents {
            let vectors = try encoder.encodeDocument(item.text)
            #expect(vectors.count <= reference.document_length)
            #expect(vectors.ids.prefix(2) == [1, reference.document_prefix_id])
            #expect(!vectors.ids.contains(where: skiplist.contains), "skiplist token kept in \(item.text.debugDescription)")
            #expect(!vectors.ids.dropFirst(2).contains(reference.pad_id))
            for token in 0..<vectors.count {
                let norm = vectors.vector(token).reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(norm - 1) < 1e-5)
            }
        }
    }

    @Test func truncation() throws {
        let (encoder, reference) = (try ColBERTReference.encoder("causal"), try ColBERTReference.load("causal"))
        let long = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 20)
        // Documents: BOS + prefix + at most document_length − 2 text tokens (minus skiplisted ones).
        let document = encoder.input(for: long, as: .document)
        #expect(document.ids.count == encoder.documentLength)
        #expect(encoder.documentTextCapacity == encoder.documentLength - 2)
        #expect(encoder.countDocumentTokens(long) > encoder.documentTextCapacity)
        #expect(encoder.countDocumentTokens("  hello  ") == encoder.countDocumentTokens("hello"))
        // Queries: exactly query_length positions, long or short.
        for text in [long, "fox", ""] {
            let query = encoder.input(for: text, as: .query)
            #expect(query.ids.count == encoder.queryLength)
            #expect(try encoder.encodeQuery(text).count == encoder.queryLength)
        }
        let expanded = encoder.input(for: "fox", as: .query)
        #expect(expanded.attentionMask.filter { $0 }.count == 2 + encoder.countDocumentTokens("fox"))
        #expect(expanded.ids.suffix(3) == [reference.pad_id, reference.pad_id, reference.pad_id])
    }
}
