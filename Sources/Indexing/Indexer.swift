import ColBERT
import Foundation
import Index
import Ingest

/// Brings an index in line with folders on disk: new files are added, changed ones replaced, deleted ones removed,
/// unchanged ones skipped (same size and modification time, or else the same content hash). Each file is written in
/// its own transaction, so a crash or kill leaves every document either fully old or fully new, and the next run
/// finishes the job.
public struct Indexer {
    public let database: IndexDatabase
    public let encoder: ColBERTEncoder?
    public var options: IngestOptions
    /// Passage size for lexical-only indexes, in whitespace-separated words (no tokenizer to count with).
    public var lexicalPassageWords = 200
    /// About how many passage tokens are encoded in one backbone pass; files wait until their passages fill one.
    public var batchTokens = 2048

    public init(database: IndexDatabase, encoder: ColBERTEncoder?, options: IngestOptions = IngestOptions()) {
        self.database = database
        self.encoder = encoder
        self.options = options
    }

    /// Chunking settings recorded in the index's meta table, so a later run with other settings is noticed.
    public static func chunkingSettings(encoder: ColBERTEncoder?, lexicalPassageWords: Int = 200) -> [String: String] {
        if let encoder {
            return ["unit": "tokens", "max": String(encoder.documentTextCapacity), "splitter": "icu-sentences"]
        }
        return ["unit": "words", "max": String(lexicalPassageWords), "splitter": "icu-sentences"]
    }

    /// Indexes `roots`. `shouldStop` is polled between files (Ctrl-C); `progress` is called after each file.
    public func run(roots: [URL], shouldStop: () -> Bool = { false },
                    progress: (IndexProgress) -> Void = { _ in }) throws -> IndexRunSummary {
        let start = Date()
        var summary = IndexRunSummary()
        summary.lexicalOnly = encoder == nil
        let walk = FileWalker.walk(roots, options: options)
        for skipped in walk.skipped {
            if skipped.isIntentional {
                summary.skippedIntentionally += 1
            } else {
                summary.failed.append(.init(path: skipped.path, reason: skipped.reason))
                try database.recordSkipped(path: skipped.path, reason: skipped.reason)
            }
        }
        let chunker = makeChunker()
        var done = 0
        func record(_ outcome: Outcome, for file: DiscoveredFile) throws {
            switch outcome {
            case .unchanged: summary.unchanged += 1
            case .added(let passages, let tokens):
                summary.added += 1; summary.passages += passages; summary.tokens += tokens
            case .updated(let passages, let tokens):
                summary.updated += 1; summary.passages += passages; summary.tokens += tokens
            case .failed(let reason):
                summary.failed.append(.init(path: file.path, reason: reason))
                try database.recordSkipped(path: file.path, reason: reason)
            }
            done += 1
            progress(IndexProgress(done: done, total: walk.files.count, path: file.relativePath,
                                   passages: summary.passages, elapsed: Date().timeIntervalSince(start)))
        }

        // Changed files wait in `pending` until their passages fill an encoder batch, so many small files share one
        // backbone pass; each file is still written in its own transaction.
        var pending: [PreparedFile] = []
        var pendingTokens = 0
        func flush() throws {
            for (file, outcome) in write(pending) { try record(outcome, for: file) }
            pending.removeAll(keepingCapacity: true)
            pendingTokens = 0
        }
        for file in walk.files {
            if shouldStop() { summary.interrupted = true; break }
            switch prepare(file, chunker: chunker) {
            case .done(let outcome):
                try record(outcome, for: file)
            case .ready(let prepared):
                pending.append(prepared)
                pendingTokens += prepared.passages.reduce(0) { $0 + $1.tokenCount }
                if encoder == nil || pendingTokens >= batchTokens { try flush() }
            }
        }
        if !summary.interrupted { try flush() }   // on Ctrl-C the pending files are left for the next run
        if !summary.interrupted {
            summary.removed = try removeVanished(under: roots, present: Set(walk.files.map(\.path)),
                                                 failed: Set(summary.failed.map(\.path)))
        }
        summary.seconds = Date().timeIntervalSince(start)
        try database.recordRun(RunSummary(
            started: start, finished: Date(), added: summary.added, updated: summary.updated, removed: summary.removed,
            unchanged: summary.unchanged, failed: summary.failed.count, passages: summary.passages, tokens: summary.tokens))
        return summary
    }

    enum Outcome {
        case unchanged
        case added(passages: Int, tokens: Int)
        case updated(passages: Int, tokens: Int)
        case failed(String)
    }

    /// A changed or new file, extracted and chunked, waiting to be encoded and written.
    struct PreparedFile {
        let file: DiscoveredFile
        let isNew: Bool
        let document: DocumentInput
        let passages: [Passage]
    }

    enum Preparation {
        case done(Outcome)
        case ready(PreparedFile)
    }

    /// Skip, or extract → chunk. Errors of this file become a `.failed` outcome (the run goes on).
    private func prepare(_ file: DiscoveredFile, chunker: Chunker) -> Preparation {
        let stored: StoredDocument?
        do { stored = try database.storedDocument(path: file.path) } catch { return .done(.failed(String(describing: error))) }
        if let stored, stored.size == file.size, abs(stored.modified.timeIntervalSince(file.modified)) < 0.001 {
            return .done(.unchanged)
        }
        do {
            let extracted = try TextExtractor.extract(URL(fileURLWithPath: file.path), maxBytes: options.maxFileBytes)
            if let stored, stored.contentHash == extracted.contentHash {
                // Touched but not changed. The stored time stays, so later runs re-hash this file (cheap) instead of
                // re-encoding it.
                return .done(.unchanged)
            }
            let document = DocumentInput(path: file.path, contentHash: extracted.contentHash, size: file.size,
                                         modified: file.modified, language: extracted.language, title: extracted.title)
            return .ready(PreparedFile(file: file, isNew: stored == nil, document: document,
                                       passages: chunker.split(extracted)))
        } catch {
            return .done(.failed(String(describing: error)))
        }
    }

    /// Encodes the passages of `files` together (packed batches: the same vectors as one by one), then replaces each
    /// file's document in its own transaction. If the shared pass fails, each file is encoded alone, so only the file
    /// at fault fails; an encoder or write error fails that file, not the run.
    private func write(_ files: [PreparedFile]) -> [(DiscoveredFile, Outcome)] {
        guard !files.isEmpty else { return [] }
        var encoded: [Result<[TokenVectors]?, any Error>] = files.map { _ in .success(nil) }
        if let encoder {
            do {
                var all = try encoder.encodeDocuments(files.flatMap { $0.passages.map(\.text) }, batchTokens: batchTokens)[...]
                for index in files.indices {
                    encoded[index] = .success(Array(all.prefix(files[index].passages.count)))
                    all = all.dropFirst(files[index].passages.count)
                }
            } catch {
                for (index, file) in files.enumerated() {
                    encoded[index] = Result { try encoder.encodeDocuments(file.passages.map(\.text), batchTokens: batchTokens) }
                }
            }
        }
        return zip(files, encoded).map { prepared, vectors in
            do {
                return (prepared.file, try store(prepared, vectors: try vectors.get()))
            } catch {
                return (prepared.file, .failed(String(describing: error)))
            }
        }
    }

    /// Replaces one document with its passages (and their vectors, when encoded) in one transaction.
    private func store(_ prepared: PreparedFile, vectors encoded: [TokenVectors]?) throws -> Outcome {
        var inputs: [PassageInput] = []
        var tokens = 0
        for (index, passage) in prepared.passages.enumerated() {
            let vectors = encoded?[index]
            tokens += vectors?.count ?? passage.tokenCount
            inputs.append(PassageInput(ordinal: passage.ordinal, text: passage.text, byteStart: passage.byteStart,
                                       byteEnd: passage.byteEnd, lineStart: passage.lineStart, lineEnd: passage.lineEnd,
                                       page: nil, tokenIDs: vectors?.ids, vectors: vectors?.vectors ?? []))
        }
        try database.replaceDocument(prepared.document, passages: inputs)
        try database.clearSkipped(path: prepared.file.path)
        return prepared.isNew ? .added(passages: inputs.count, tokens: tokens) : .updated(passages: inputs.count, tokens: tokens)
    }

    /// Removes indexed documents under `roots` that the walk no longer found (deleted, now ignored). Files that
    /// exist but failed this time keep their previous version.
    private func removeVanished(under roots: [URL], present: Set<String>, failed: Set<String>) throws -> Int {
        let prefixes = roots.map { $0.standardizedFileURL.resolvingSymlinksInPath().path }
        let gone = try database.documentPaths().filter { path in
            !present.contains(path) && !failed.contains(path)
                && prefixes.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
        return gone.isEmpty ? 0 : try database.removeDocuments(paths: gone)
    }

    private func makeChunker() -> Chunker {
        if let encoder {
            return Chunker(maxTokens: encoder.documentTextCapacity) { encoder.countDocumentTokens($0) }
        }
        return Chunker(maxTokens: lexicalPassageWords) { text in
            // Words for space-separated scripts; characters count for CJK runs, which have no spaces.
            var count = 0, inWord = false
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace { inWord = false; continue }
                if scalar.value >= 0x2E80 { count += 1; inWord = false; continue }
                if !inWord { count += 1; inWord = true }
            }
            return count
        }
    }
}
