import Foundation
import GRDB

/// The one owner of an index file: a single SQLite database in WAL mode holding documents, passages, their token
/// vectors, an FTS5 table over ICU-segmented text, and the centroid lists that find semantic candidates.
/// Schema and invariants: docs/INDEX.md.
///
/// Thread-safe: reads run concurrently on a GRDB `DatabasePool`, writes are serialised.
public final class IndexDatabase: Sendable {
    /// The index file.
    public let url: URL
    /// The encoder whose vectors the index holds; nil for a lexical-only index.
    public let encoder: EncoderIdentity?
    /// How vectors are stored: `meta.vector.encoding` (float16 unless the index was created otherwise).
    public let vectorStorage: VectorStorage
    /// The encoding of passages stored as plain vectors (`vectorStorage.denseEncoding`).
    public var vectorEncoding: VectorEncoding { vectorStorage.denseEncoding }
    /// The chunker settings recorded by the last `open(at:encoder:chunking:)`.
    public let chunking: [String: String]

    let pool: DatabasePool
    /// Centroids used to assign new vectors, keyed by generation; reloaded when another writer re-trained them.
    let centroidCache = Locked<CentroidSet?>(nil)

    var path: String { url.path }

    private init(url: URL, pool: DatabasePool, encoder: EncoderIdentity?, vectorStorage: VectorStorage,
                 chunking: [String: String]) {
        self.url = url
        self.pool = pool
        self.encoder = encoder
        self.vectorStorage = vectorStorage
        self.chunking = chunking
    }

    /// Opens the index at `url` for writing, creating it (and its folder) if missing, and applying any migration
    /// this build adds. Refuses a file that is not a Ferret index, is damaged, was written by a newer Ferret, or was
    /// built with another encoder (`nil` means lexical-only). An index with no passages adopts the given encoder.
    /// `vectors`: how a new index stores vectors (float16 when nil); an existing index keeps its own, and asking for
    /// another one is refused unless it has no passages yet (converting stored vectors is not built yet).
    public static func open(at url: URL, encoder: EncoderIdentity?, chunking: [String: String] = [:],
                            vectors: VectorStorage? = nil) throws -> IndexDatabase {
        let state = try IndexFileCheck.inspect(url)
        if state == .absent {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw IndexError.database(path: url.path, detail: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        if state == .database { try validateExisting(url) }
        let pool = try makePool(url)
        let stored = try guarded(url.path) {
            try prepareSchema(pool, path: url.path, creating: vectors ?? .dense(.float16))
            return try pool.write { db -> (EncoderIdentity?, VectorStorage) in
                let stored = try storedEncoder(db, path: url.path)
                if stored != encoder {
                    let passages = try Int.fetchOne(db, sql: "SELECT count(*) FROM passages") ?? 0
                    guard passages == 0 else {
                        throw IndexError.encoderMismatch(path: url.path, stored: stored, requested: encoder)
                    }
                    try adopt(encoder, db)
                } else if let encoder {
                    // The same weights, perhaps from another folder: remember where they are now, their name, and
                    // what an older index did not record yet.
                    try rememberWhereabouts(encoder, db)
                }
                if let vectors, try storedStorage(db, path: url.path) != vectors {
                    let stored = try storedStorage(db, path: url.path)
                    guard try Int.fetchOne(db, sql: "SELECT count(*) FROM passage_vectors") == 0 else {
                        throw IndexError.database(path: url.path, detail: "it stores vectors as \(stored), not \(vectors); "
                                                  + "converting an index's stored vectors is not supported yet: leave out "
                                                  + "--vectors, or re-index into a new --index FILE")
                    }
                    try MetaKey.write(db, MetaKey.vectorEncoding, vectors.rawValue)
                    try db.execute(sql: "DELETE FROM residual_codecs")
                }
                for (key, value) in chunking { try MetaKey.write(db, MetaKey.chunkingPrefix + key, value) }
                return (try storedEncoder(db, path: url.path), try storedStorage(db, path: url.path))
            }
        }
        let recorded = try guarded(url.path) { try pool.read { try MetaKey.readAll($0, prefix: MetaKey.chunkingPrefix) } }
        return IndexDatabase(url: url, pool: pool, encoder: stored.0, vectorStorage: stored.1, chunking: recorded)
    }

    /// Opens an existing index for searching, status or removal. Never creates a file.
    public static func openExisting(at url: URL) throws -> IndexDatabase {
        switch try IndexFileCheck.inspect(url) {
        case .absent: throw IndexError.missing(path: url.path)
        case .empty: throw IndexError.notADatabase(path: url.path, detail: "the file is empty")
        case .database: break
        }
        try validateExisting(url)
        let pool = try makePool(url)
        let (encoder, encoding, chunking) = try guarded(url.path) {
            try prepareSchema(pool, path: url.path, creating: nil)
            return try pool.read { db in
                (try storedEncoder(db, path: url.path), try storedStorage(db, path: url.path),
                        try MetaKey.readAll(db, prefix: MetaKey.chunkingPrefix))
            }
        }
        return IndexDatabase(url: url, pool: pool, encoder: encoder, vectorStorage: encoding, chunking: chunking)
    }

    /// Throws `encoderMismatch` unless `candidate` produced this index's vectors (for `search --model`).
    public func checkCompatible(with candidate: EncoderIdentity) throws {
        guard candidate == encoder else {
            throw IndexError.encoderMismatch(path: path, stored: encoder, requested: candidate)
        }
    }

    // MARK: - Opening

    private static func makePool(_ url: URL) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.label = "ferret-index"
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // Vector BLOBs are ~51 KB: bigger pages mean shorter overflow chains (takes effect only when the
                // file is created). NORMAL is crash-safe in WAL mode; it may lose the last commits on power loss.
                try db.execute(sql: "PRAGMA page_size = 16384; PRAGMA synchronous = NORMAL")
            }
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        return try guarded(url.path) { try DatabasePool(path: url.path, configuration: configuration) }
    }

    /// Refuses a foreign or newer database through a read-only connection, before the pool switches the file to
    /// WAL mode: a file that is not ours is never modified.
    private static func validateExisting(_ url: URL) throws {
        do {
            try validateExisting(url, readonly: true)
        } catch IndexError.database(_, let detail) where detail.contains("SQLite error 8") {
            // SQLITE_READONLY: a process killed mid-write left a hot journal that only a writer may roll back. That is
            // SQLite's own recovery (it restores the last committed state); the checks then run as before.
            try validateExisting(url, readonly: false)
        }
    }

    private static func validateExisting(_ url: URL, readonly: Bool) throws {
        var configuration = Configuration()
        configuration.readonly = readonly
        let queue = try guarded(url.path) { try DatabaseQueue(path: url.path, configuration: configuration) }
        try guarded(url.path) {
            try queue.read { db -> Void in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return }
                if try isHalfCreated(db, tables: tables) { return }
                guard tables.contains("meta") else {
                    throw IndexError.foreignDatabase(path: url.path, detail: "no meta table; its tables are "
                                                     + tables.prefix(5).joined(separator: ", "))
                }
                let format = try MetaKey.read(db, MetaKey.format)
                guard format == IndexSchema.format else {
                    throw IndexError.foreignDatabase(path: url.path,
                                                     detail: "meta.format is \(format.map { "\"\($0)\"" } ?? "missing")")
                }
                let migrator = IndexSchema.migrator
                let applied = try migrator.appliedIdentifiers(db)
                guard applied.isSubset(of: migrator.migrations) else {
                    throw IndexError.newerSchema(path: url.path, known: migrator.migrations, found: applied.sorted())
                }
            }
        }
    }

    /// Creates the tables of a fresh file and runs pending migrations. `encoding` is the vector encoding of a file
    /// created now; nil refuses to create (`openExisting` on an SQLite file without tables).
    private static func prepareSchema(_ pool: DatabasePool, path: String, creating encoding: VectorStorage?) throws {
        let migrator = IndexSchema.migrator
        let (fresh, halfCreated) = try pool.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            return (tables.isEmpty, try isHalfCreated(db, tables: tables))
        }
        if fresh || halfCreated {
            guard let encoding else {
                if halfCreated {
                    throw IndexError.corrupt(path: path, detail: "its creation was interrupted before it held anything; "
                                             + "run `ferret index` to finish it")
                }
                throw IndexError.foreignDatabase(path: path, detail: "it has no tables")
            }
            try migrator.migrate(pool)
            try pool.write { db in
                try MetaKey.write(db, MetaKey.format, IndexSchema.format)
                try MetaKey.write(db, MetaKey.createdAt, ISO8601DateFormatter().string(from: Date()))
                try MetaKey.write(db, MetaKey.vectorEncoding, encoding.rawValue)
                try MetaKey.write(db, MetaKey.ftsSegmentation, String(WordSegmenter.segmentationVersion))
            }
        } else {
            try migrator.migrate(pool)
            // A segmentation newer than the last migration's (a reading of one meta row when up to date).
            try pool.write { db in _ = try FTSResegmentation.bringUpToDate(db) }
        }
    }

    /// A file whose creation by Ferret was interrupted (killed after the migration table was made and before the meta
    /// rows were written): nothing but our own tables, no meta rows, no documents. Such a file is ours and is
    /// finished, not refused as foreign.
    private static func isHalfCreated(_ db: Database, tables: [String]) throws -> Bool {
        guard tables.contains("grdb_migrations"),
              tables.allSatisfy({ IndexSchema.tableNames.contains($0) || $0.hasPrefix("passage_fts") }) else { return false }
        if tables.contains("meta"), try Int.fetchOne(db, sql: "SELECT count(*) FROM meta") != 0 { return false }
        let ours = Set(IndexSchema.migrator.migrations)
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        guard Set(applied).isSubset(of: ours) else { return false }
        guard tables.contains("documents") else { return true }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") == 0
    }

    /// Remembers where the index's encoder now is, when `encoder` has its weights (a moved or renamed model folder
    /// given with `--model`), so later commands find it without the flag. Other weights are ignored here (the
    /// compatibility check refuses them).
    public func rememberEncoderLocation(_ encoder: EncoderIdentity) throws {
        guard let stored = self.encoder, stored == encoder, encoder.location != nil else { return }
        guard stored.location != encoder.location || (stored.head == nil && encoder.head != nil)
                || (encoder.repository != nil && stored.repository != encoder.repository) else { return }
        try guarded { try pool.write { try Self.rememberWhereabouts(encoder, $0) } }
    }

    /// Records where an encoder with the stored weights now is (location, name, repository id) and, for an index
    /// written before it was recorded, its head settings.
    private static func rememberWhereabouts(_ encoder: EncoderIdentity, _ db: Database) throws {
        guard let location = encoder.location else { return }
        try MetaKey.write(db, MetaKey.encoderLocation, location)
        try MetaKey.write(db, MetaKey.encoderName, encoder.name)
        if let repository = encoder.repository { try MetaKey.write(db, MetaKey.encoderRepository, repository) }
        if let head = encoder.head, try MetaKey.read(db, MetaKey.encoderHead) == nil {
            try MetaKey.write(db, MetaKey.encoderHead, head)
        }
    }

    /// Copies the write-ahead log into the main file and truncates it (the benchmark does this before measuring
    /// the file; SQLite otherwise checkpoints on its own every 1,000 pages).
    public func checkpoint() throws {
        _ = try guarded { try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
    }

    /// Rewrites the file without its free pages (`VACUUM`): after compressing an index in place its float16 pages
    /// are free but still part of the file. Takes the write lock for as long as copying the file takes.
    public func vacuum() throws {
        try guarded { try pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM") } }
        try checkpoint()
    }

    private static func storedEncoder(_ db: Database, path: String) throws -> EncoderIdentity? {
        guard let name = try MetaKey.read(db, MetaKey.encoderName) else { return nil }
        guard let fingerprint = try MetaKey.read(db, MetaKey.encoderFingerprint),
              let dimensionText = try MetaKey.read(db, MetaKey.dimension), let dimension = Int(dimensionText),
              (1...EncoderIdentity.maximumDimension).contains(dimension) else {
            throw IndexError.corrupt(path: path, detail: "meta names encoder \(name) without a valid fingerprint and "
                                     + "dimension (1 to \(EncoderIdentity.maximumDimension))")
        }
        return EncoderIdentity(name: name, fingerprint: fingerprint, dimension: dimension,
                               location: try MetaKey.read(db, MetaKey.encoderLocation),
                               head: try MetaKey.read(db, MetaKey.encoderHead),
                               repository: try MetaKey.read(db, MetaKey.encoderRepository))
    }

    private static func storedStorage(_ db: Database, path: String) throws -> VectorStorage {
        let raw = try MetaKey.read(db, MetaKey.vectorEncoding) ?? VectorEncoding.float16.rawValue
        guard let storage = VectorStorage.all.first(where: { $0.rawValue == raw }) else {
            throw IndexError.newerSchema(path: path, known: VectorStorage.all.map(\.rawValue), found: [raw])
        }
        return storage
    }

    /// Records `encoder` in an index without passages, dropping centroids trained for another encoder.
    private static func adopt(_ encoder: EncoderIdentity?, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM centroids; DELETE FROM residual_codecs; DELETE FROM postings; DELETE FROM postings_delta;
            DELETE FROM tombstones
            """)
        if let encoder {
            try MetaKey.write(db, MetaKey.encoderName, encoder.name)
            try MetaKey.write(db, MetaKey.encoderFingerprint, encoder.fingerprint)
            try MetaKey.write(db, MetaKey.dimension, String(encoder.dimension))
            for (key, value) in [(MetaKey.encoderLocation, encoder.location), (MetaKey.encoderHead, encoder.head),
                                 (MetaKey.encoderRepository, encoder.repository)] {
                if let value { try MetaKey.write(db, key, value) } else { try MetaKey.delete(db, key) }
            }
        } else {
            for key in [MetaKey.encoderName, MetaKey.encoderFingerprint, MetaKey.dimension, MetaKey.encoderLocation,
                        MetaKey.encoderHead, MetaKey.encoderRepository] {
                try MetaKey.delete(db, key)
            }
        }
    }

    // MARK: - Error mapping

    /// Runs `body`, turning SQLite's errors into `IndexError`s that name this file.
    func guarded<T>(_ body: () throws -> T) throws -> T { try Self.guarded(path, body) }

    static func guarded<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode.primaryResultCode {
            case .SQLITE_NOTADB:
                throw IndexError.notADatabase(path: path, detail: error.message ?? "SQLite: file is not a database")
            case .SQLITE_CORRUPT:
                throw IndexError.corrupt(path: path, detail: error.message ?? "SQLite: database disk image is malformed")
            case .SQLITE_CANTOPEN:
                throw IndexError.database(path: path, detail: "cannot open the file (\(error.message ?? "SQLITE_CANTOPEN")); "
                                          + "check that its folder exists and is writable")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                throw IndexError.database(path: path, detail: "the file is locked by another process (another "
                                          + "`ferret index` run?); try again when it has finished")
            default:
                throw IndexError.database(path: path, detail: error.description)
            }
        } catch let error as RowDecodingError {
            // A value of the wrong type where the schema has a number (`row.decode` instead of a trapping subscript).
            throw IndexError.corrupt(path: path, detail: "\(error)")
        }
    }
}
