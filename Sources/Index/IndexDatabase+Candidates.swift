import Foundation
import GRDB
import Kernels

extension IndexDatabase {
    /// Brings the candidate structure up to date: trains centroids once the index has `trainAtTokens` vectors,
    /// re-trains when it has grown by `growthFactor`, otherwise folds pending postings into the per-centroid lists
    /// when they pass `compactionFraction`. One transaction; readers keep their snapshot meanwhile.
    @discardableResult
    public func maintain(policy: CandidatePolicy = .default, progress: (@Sendable (String) -> Void)? = nil) throws
        -> MaintenanceReport {
        guard let encoder else { return .upToDate }
        let started = Date()
        return try guarded {
            // Training is decided and done on a read snapshot, outside the write lock: k-means and assigning every
            // token vector take minutes on a large index, and searches and a waiting writer must get through. Only
            // the result is written, in one short transaction.
            let plan = try pool.read { db -> TrainingPlan? in
                let tokens = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM passage_vectors") ?? 0
                let current = try currentCentroids(db)
                let trainedOn = current?.trainedOnTokens ?? 0
                // Overflow-checked: trained_on_tokens comes from the file.
                let (regrowAt, overflow) = trainedOn.multipliedReportingOverflow(by: policy.growthFactor)
                let due = current == nil ? tokens >= max(policy.trainAtTokens, 1) : !overflow && tokens >= regrowAt
                guard due else { return nil }
                return TrainingPlan(tokens: tokens, k: policy.centroidCount(tokens: tokens),
                                    generation: (current?.generation ?? 0) + 1)
            }
            if let plan {
                progress?("training \(plan.k) centroids on \(plan.tokens) token vectors (searches go on meanwhile)")
                let (set, codec) = try pool.read { db in
                    try train(db, k: plan.k, tokens: plan.tokens, dimension: encoder.dimension, policy: policy,
                              generation: plan.generation)
                }
                progress?("assigning \(plan.tokens) token vectors to their nearest centroid"
                          + (codec.map { " and compressing them to \($0.bits)-bit residuals" } ?? ""))
                let encoded = try pool.read { db in try assignAll(db, centroids: set, codec: codec) }
                progress?("writing the codes and posting lists")
                try pool.write { db in
                    // Passages written after the snapshot (another writer got in) are assigned now, decoded before
                    // the old centroids are replaced (a compressed one is encoded against them); removed ones are
                    // left out.
                    let live = Set(try Int64.fetchAll(db, sql: "SELECT passage FROM passage_vectors"))
                    let late = Array(live.subtracting(encoded.keys))
                    var lateVectors: [(id: Int64, count: Int, vectors: [Float])] = []
                    try forEachVectors(db, passages: late) { id, count, vectors in
                        lateVectors.append((id, count, Array(UnsafeBufferPointer(start: vectors, count: count * encoder.dimension))))
                    }
                    try store(set, db)
                    try storeResidualCodec(codec, generation: set.generation, db)
                    for (id, passage) in encoded where live.contains(id) {
                        try insertCodes(db, passage: id, codes: passage.codes, delta: false)
                        if let residuals = passage.residuals { try storeResiduals(db, passage: id, packed: residuals) }
                    }
                    for passage in lateVectors {
                        let coded = passage.vectors.withUnsafeBufferPointer {
                            Self.encode($0.baseAddress!, count: passage.count, centroids: set, codec: codec)
                        }
                        try insertCodes(db, passage: passage.id, codes: coded.codes, delta: false)
                        if let residuals = coded.residuals { try storeResiduals(db, passage: passage.id, packed: residuals) }
                    }
                    try db.execute(sql: "DELETE FROM passage_codes WHERE passage NOT IN (SELECT passage FROM passage_vectors)")
                    try rebuildPostings(db)
                }
                centroidCache.withLock { $0 = set }
                return .trained(centroids: set.count, tokens: plan.tokens, seconds: Date().timeIntervalSince(started))
            }
            return try pool.write { db -> MaintenanceReport in
                guard try currentCentroids(db) != nil else { return .upToDate }
                let main = try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(passages)), 0) / 4 FROM postings") ?? 0
                let pending = try (Int.fetchOne(db, sql: "SELECT count(*) FROM postings_delta") ?? 0)
                    + (Int.fetchOne(db, sql: "SELECT count(*) FROM tombstones") ?? 0)
                guard pending > 0, Double(pending) > policy.compactionFraction * Double(main) else { return .upToDate }
                progress?("folding \(pending) pending postings into the centroid lists")
                let postings = try rebuildPostings(db)
                return .compacted(postings: postings, seconds: Date().timeIntervalSince(started))
            }
        }
    }

    private struct TrainingPlan {
        let tokens: Int
        let k: Int
        let generation: Int64
    }

    /// The current centroids (cached per generation), or nil before the index was large enough to train them.
    func currentCentroids(_ db: Database) throws -> CentroidSet? {
        guard let generation = try Int64.fetchOne(db, sql: "SELECT max(generation) FROM centroids") else {
            centroidCache.withLock { $0 = nil }
            return nil
        }
        if let cached = centroidCache.withLock({ $0 }), cached.generation == generation { return cached }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT count, dimension, trained_on_tokens, vectors, coarse, cell_starts FROM centroids WHERE generation = ?
            """, arguments: [generation]) else { return nil }
        let count = try row.decode(Int.self, atIndex: 0), dimension = try row.decode(Int.self, atIndex: 1)
        let trained = try row.decode(Int.self, atIndex: 2)
        let blob = try row.decode(Data.self, atIndex: 3)
        let damaged = { (detail: String) in
            IndexError.corrupt(path: self.path, detail: "centroid generation \(generation): \(detail)")
        }
        // `dimension` equals the encoder's, which is at most EncoderIdentity.maximumDimension: the products fit.
        guard count > 0, count <= CentroidSet.maximumCount, dimension == encoder?.dimension,
              blob.count == count * dimension * 4 else {
            throw damaged("\(blob.count) bytes for \(count) × \(dimension) float32 values")
        }
        guard trained >= 0 else { throw damaged("trained on \(trained) tokens") }
        var coarse: CentroidSet.Coarse?
        if let coarseBlob = try row.decode(Data?.self, atIndex: 4), let startsBlob = try row.decode(Data?.self, atIndex: 5) {
            let starts = CodeBlob.decode(startsBlob, width: 4).map(Int.init)
            let cells = starts.count - 1
            guard cells > 0, coarseBlob.count == cells * dimension * 4, starts.first == 0, starts.last == count,
                  zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw damaged("its \(cells) coarse cells do not partition \(count) centroids")
            }
            coarse = CentroidSet.Coarse(count: cells, vectors: VectorEncoding.float32.decode(coarseBlob), cellStarts: starts)
        }
        let set = CentroidSet(generation: generation, count: count, dimension: dimension,
                              vectors: VectorEncoding.float32.decode(blob), trainedOnTokens: trained, coarse: coarse)
        centroidCache.withLock { $0 = set }
        return set
    }

    // MARK: - Training

    /// Centroids trained on a sample, and for a residual index the codec trained on the same sample's residuals.
    private func train(_ db: Database, k: Int, tokens: Int, dimension: Int, policy: CandidatePolicy,
                       generation: Int64) throws -> (CentroidSet, ResidualCodec?) {
        let target = min(k * policy.sampleTokensPerCentroid, max(policy.maximumSample, k))
        let sample = try sampleVectors(db, target: target, dimension: dimension, seed: UInt64(generation))
        let k = min(k, sample.count / dimension)  // a custom policy may ask for more centroids than vectors
        guard k > 0 else {
            throw IndexError.database(path: path, detail: "no token vectors to train centroids on")
        }
        let (fine, coarse) = KMeans.trainTwoLevel(points: sample, dimension: dimension, k: k,
                                                  coarseCount: policy.coarseCount(centroids: k),
                                                  iterations: policy.iterations, seed: UInt64(generation) &* 0x9E37_79B9)
        let count = fine.count / dimension
        let set = CentroidSet(generation: generation, count: count, dimension: dimension, vectors: fine,
                              trainedOnTokens: tokens, coarse: coarse)
        guard let bits = vectorStorage.residualBits else { return (set, nil) }
        // The buckets are learned on other passages than the k-means sample (another seed; PLAID holds out a
        // sample too): with 8 sample tokens per centroid, the sample's own residuals are much smaller than those of
        // the other tokens, and buckets fitted to them clip the rest.
        let heldOut = try sampleVectors(db, target: 65_536, dimension: dimension, seed: UInt64(generation) ^ 0x5EED_C0DE_C0DE_C0DE)
        do {
            return (set, try Self.trainResidualCodec(bits: bits, sample: heldOut, centroids: set))
        } catch {
            throw IndexError.database(path: path, detail: "cannot learn residual buckets: \(error)")
        }
    }

    /// Replaces the stored centroids by `set`.
    private func store(_ set: CentroidSet, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM centroids")
        try db.execute(sql: """
            INSERT INTO centroids(generation, count, dimension, trained_on_tokens, vectors, coarse, cell_starts)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [set.generation, set.count, set.dimension, set.trainedOnTokens,
                             VectorEncoding.float32.encode(set.vectors),
                             set.coarse.map { VectorEncoding.float32.encode($0.vectors) },
                             set.coarse.map { CodeBlob.encode($0.cellStarts.map { UInt32($0) }, width: 4) }])
    }

    /// About `target` token vectors from passages drawn at random (seeded), decoded to float32.
    private func sampleVectors(_ db: Database, target: Int, dimension: Int, seed: UInt64) throws -> [Float] {
        // Counts are checked against their BLOBs before they size the sample (`length` does not read the BLOB).
        var passages: [(Int64, Int)] = []
        // A compressed passage's lengths are checked when it is read (they depend on its codec).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT v.passage, v.count, length(v.vectors), r.passage IS NOT NULL
            FROM passage_vectors v LEFT JOIN passage_residuals r ON r.passage = v.passage
            """)
        while let row = try rows.next() {
            let id = try row.decode(Int64.self, atIndex: 0), count = try row.decode(Int.self, atIndex: 1)
            let bytes = try row.decode(Int.self, atIndex: 2), compressed = try row.decode(Bool.self, atIndex: 3)
            guard count > 0, compressed || bytes == vectorEncoding.byteCount(tokens: count, dimension: dimension) else {
                throw IndexError.corrupt(path: path, detail: "passage \(id) has \(bytes) vector bytes for \(count) tokens "
                                         + "of \(dimension) \(vectorEncoding.rawValue) values")
            }
            passages.append((id, count))
        }
        var random = SplitMix64(seed: seed)
        passages.shuffle(using: &random)
        var chosen: [Int64] = []
        var total = 0
        for (id, count) in passages where total < target {
            chosen.append(id)
            total += count
        }
        var sample: [Float] = []
        sample.reserveCapacity(total * dimension)
        try forEachVectors(db, passages: chosen) { _, count, vectors in
            sample.append(contentsOf: UnsafeBufferPointer(start: vectors, count: count * dimension))
        }
        return sample
    }

    /// A passage's codes under `centroids` and, with a codec, its packed residuals.
    struct EncodedPassage {
        var codes: [UInt32]
        var residuals: [UInt8]?
    }

    static func encode(_ vectors: UnsafePointer<Float>, count: Int, centroids: CentroidSet,
                       codec: ResidualCodec?) -> EncodedPassage {
        var codes = [UInt32](repeating: 0, count: count)
        codes.withUnsafeMutableBufferPointer { out in
            if let base = out.baseAddress { centroids.assign(vectors, rowCount: count, into: base) }
        }
        return EncodedPassage(codes: codes, residuals: codec?.encode(vectors, count: count, codes: codes, centroids: centroids))
    }

    /// Every passage's codes under `centroids` (and residuals under `codec`), computed on a read snapshot. Compressed
    /// passages are decoded with the snapshot's centroids first, so re-training re-encodes them.
    private func assignAll(_ db: Database, centroids: CentroidSet, codec: ResidualCodec?) throws -> [Int64: EncodedPassage] {
        var all: [Int64: EncodedPassage] = [:]
        try forEachVectors(db, passages: nil) { id, count, vectors in
            all[id] = Self.encode(vectors, count: count, centroids: centroids, codec: codec)
        }
        return all
    }

    /// Rebuilds `postings` from every passage's codes and empties `postings_delta` and `tombstones`.
    /// Returns the number of (centroid, passage) pairs.
    @discardableResult
    private func rebuildPostings(_ db: Database) throws -> Int {
        guard let centroids = try currentCentroids(db) else { return 0 }
        var lists = [[UInt32]](repeating: [], count: centroids.count)
        var seen = [Int64](repeating: -1, count: centroids.count)  // last passage added to each list
        var through: Int64 = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT passage, codes FROM passage_codes ORDER BY passage")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            guard id <= Int64(UInt32.max) else {
                throw IndexError.database(path: path, detail: "passage id \(id) exceeds the 32-bit posting lists; "
                                          + "re-index into a new --index file")
            }
            through = id
            try row.withUnsafeData(atIndex: 1) { data in
                guard let data else { return }
                data.withUnsafeBytes { raw in
                    for i in 0..<raw.count / 2 {
                        let code = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                        guard code < centroids.count, seen[code] != id else { continue }
                        seen[code] = id
                        lists[code].append(UInt32(id))
                    }
                }
            }
        }
        try db.execute(sql: "DELETE FROM postings; DELETE FROM postings_delta; DELETE FROM tombstones")
        let insert = try db.cachedStatement(sql: "INSERT INTO postings(centroid, passages) VALUES (?, ?)")
        var pairs = 0
        for (centroid, list) in lists.enumerated() where !list.isEmpty {
            try insert.execute(arguments: [centroid, CodeBlob.encode(list, width: 4)])
            pairs += list.count
        }
        try MetaKey.write(db, MetaKey.postingsThrough, String(through))
        return pairs
    }
}
