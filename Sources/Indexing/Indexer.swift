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
        for (index, file) in walk.files.enumerated() {
            if shouldStop() { summary.interrupted = true; break }
            let outcome = sync(file, chunker: chunker)
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
            progress(IndexProgress(done: index + 1, total: walk.files.count, path: file.relativePath,
                                   passages: summary.passages, elapsed: Date().timeIntervalSince(start)))
        }
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

    /// One file: skip, or extract → chunk → encode → replace in one transaction. Errors of this file become a
    /// `.failed` outcome (the run goes on); errors of the database propagate.
    private func sync(_ file: DiscoveredFile, chunker: Chunker) -> Outcome {
        let stored: StoredDocument?
        do { stored = try database.storedDocument(path: file.path) } catch { return .failed(String(describing: error)) }
        if let stored, stored.size == file.size, abs(stored.modified.timeIntervalSince(file.modified)) < 0.001 {
            return .unchanged
        }
        do {
            let extracted = try TextExtractor.extract(URL(fileURLWithPath: file.path), maxBytes: options.maxFileBytes)
            if let stored, stored.contentHash == extracted.contentHash {
                // Touched but not changed. The stored time stays, so later runs re-hash this file (cheap) instead of
                // re-encoding it.
                return .unchanged
            }
            let passages = chunker.split(extracted)
            // All passages of a file go through the encoder together (packed batches, same vectors as one by one).
            let encoded = try encoder?.encodeDocuments(passages.map(\.text))
            var inputs: [PassageInput] = []
            var tokens = 0
            for (index, passage) in passages.enumerated() {
                let vectors = encoded?[index]
                tokens += vectors?.count ?? passage.tokenCount
                inputs.append(PassageInput(ordinal: passage.ordinal, text: passage.text, byteStart: passage.byteStart,
                                           byteEnd: passage.byteEnd, lineStart: passage.lineStart, lineEnd: passage.lineEnd,
                                           page: nil, tokenIDs: vectors?.ids, vectors: vectors?.vectors ?? []))
            }
            let document = DocumentInput(path: file.path, contentHash: extracted.contentHash, size: file.size,
                                         modified: file.modified, language: extracted.language, title: extracted.title)
            try database.replaceDocument(document, passages: inputs)
            try database.clearSkipped(path: file.path)
            return stored == nil ? .added(passages: inputs.count, tokens: tokens) : .updated(passages: inputs.count, tokens: tokens)
        } catch {
            return .failed(String(describing: error))
        }
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
