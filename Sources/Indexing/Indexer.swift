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
    /// A smaller passage budget than the encoder's (`chunk_tokens` in ferret.toml); nil: the encoder's capacity.
    public var maxPassageTokens: Int?
    /// About how many passage tokens are encoded in one backbone pass; files wait until their passages fill one.
    public var batchTokens = 2048

    public init(database: IndexDatabase, encoder: ColBERTEncoder?, options: IngestOptions = IngestOptions()) {
        self.database = database
        self.encoder = encoder
        self.options = options
    }

    /// Chunking settings recorded in the index's meta table, so a later run with other settings is noticed.
    public static func chunkingSettings(encoder: ColBERTEncoder?, lexicalPassageWords: Int = 200,
                                        maxPassageTokens: Int? = nil) -> [String: String] {
        if let encoder {
            let budget = min(maxPassageTokens ?? Int.max, encoder.documentTextCapacity)
            return ["unit": "tokens", "max": String(budget), "splitter": "icu-sentences"]
        }
        return ["unit": "words", "max": String(maxPassageTokens ?? lexicalPassageWords), "splitter": "icu-sentences"]
    }

    /// Indexes `roots`. `shouldStop` is polled between files (Ctrl-C); `progress` is called after each file;
    /// `maintenance` hears what the candidate upkeep after the run is doing (training centroids can take minutes).
    ///
    /// With `scope` (the watch mode), only paths in it or under a directory in it are looked at: the walk still
    /// applies the ignore rules of the whole tree, but other files are neither read nor removed.
    public func run(roots: [URL], scope: Set<String>? = nil, shouldStop: () -> Bool = { false },
                    progress: (IndexProgress) -> Void = { _ in },
                    maintenance: @escaping @Sendable (String) -> Void = { _ in }) throws -> IndexRunSummary {
        let inScope: (String) -> Bool = { path in
            guard let scope else { return true }
            var current = path
            while true {
                if scope.contains(current) { return true }
                guard let slash = current.lastIndex(of: "/"), slash != current.startIndex else { return false }
                current = String(current[..<slash])
            }
        }
        let start = Date()
        var summary = IndexRunSummary()
        summary.lexicalOnly = encoder == nil
        let fullWalk = FileWalker.walk(roots, options: options)
        let walk = (files: fullWalk.files.filter { inScope($0.path) }, skipped: fullWalk.skipped.filter { inScope($0.path) })
        for skipped in walk.skipped {
            if skipped.isIntentional {
                summary.skippedIntentionally += 1
            } else if skipped.kind == .unreadable {
                summary.failed.append(.init(path: skipped.path, reason: skipped.reason))
            } else {
                summary.skipped.append(.init(path: skipped.path, reason: skipped.reason, kind: skipped.kind.rawValue))
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
            case .skipped(let entry):
                summary.skipped.append(.init(path: entry.path, reason: entry.reason, kind: entry.kind.rawValue))
            }
            done += 1
            progress(IndexProgress(done: done, total: walk.files.count, path: file.relativePath,
                                   passages: summary.passages, elapsed: Date().timeIntervalSince(start),
                                   outcome: outcome.name, fullPath: file.path))
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
            let kept = Set(summary.failed.map(\.path) + summary.skipped.filter { $0.kind != "missing" }.map(\.path))
            let vanished = Set(summary.skipped.filter { $0.kind == "missing" }.map(\.path))
            let removed = try removeVanished(under: roots, present: Set(walk.files.map(\.path)).subtracting(vanished),
                                             failed: kept,
                                             inScope: inScope)
            summary.removed = removed.count
            summary.removedPaths = removed
        }
        try recordSkips(summary, roots: roots, scope: scope)
        try database.rememberRoots(roots.map(\.standardizedFileURL.path))
        // Candidate upkeep (centroid training) belongs to the run: its time is counted and its progress shown.
        try database.recordRun(RunSummary(
            started: start, finished: Date(), added: summary.added, updated: summary.updated, removed: summary.removed,
            unchanged: summary.unchanged, failed: summary.failed.count, passages: summary.passages, tokens: summary.tokens),
            progress: maintenance)
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    enum Outcome {
        case unchanged
        case added(passages: Int, tokens: Int)
        case updated(passages: Int, tokens: Int)
        case failed(String)
        case skipped(SkippedFile)

        var name: String {
            switch self {
            case .unchanged: return "unchanged"
            case .added: return "added"
            case .updated: return "updated"
            case .failed: return "failed"
            case .skipped: return "skipped"
            }
        }
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
        let extractor = TextExtractor.identity(forFileName: file.path, options: options)
        let sameExtractor = (stored?.extractor ?? TextExtractor.identity) == extractor
        if let stored, sameExtractor, stored.size == file.size,
           abs(stored.modified.timeIntervalSince(file.modified)) < 0.001 {
            return .done(.unchanged)
        }
        // Checked again right before reading: a file swapped for a link after the walk is still not read.
        if let confinement = options.confinement, !confinement.containsOnDisk(file.path) {
            return .done(.skipped(SkippedFile(path: file.path, reason: "outside the allowed folders", kind: .outsideRoots)))
        }
        do {
            let extracted = try TextExtractor.extract(URL(fileURLWithPath: file.path), options: options)
            if let stored, sameExtractor, stored.contentHash == extracted.contentHash {
                // Touched but not changed. The stored time stays, so later runs re-hash this file (cheap) instead of
                // re-encoding it.
                return .done(.unchanged)
            }
            let document = DocumentInput(path: file.path, contentHash: extracted.contentHash, size: file.size,
                                         modified: file.modified, language: extracted.language, title: extracted.title,
                                         extractor: extracted.extractor)
            return .ready(PreparedFile(file: file, isNew: stored == nil, document: document,
                                       passages: chunker.split(extracted)))
        } catch let error as IngestError {
            if !PathBytes.exists(file.path) {
                // Deleted between the walk and the read: gone, not failed (and removed from the index below).
                return .done(.skipped(SkippedFile(path: file.path, reason: "vanished while indexing", kind: .missing)))
            }
            let entry = SkippedFile(error)
            switch entry.kind {
            case .unreadable, .malformed: return .done(.failed(String(describing: error)))
            default: return .done(.skipped(entry))
            }
        } catch {
            return .done(.failed(String(describing: error)))
        }
    }

    /// Records this run's skips and failures as the index's list for `roots` (older entries under them, and entries
    /// of files that no longer exist, are forgotten).
    private func recordSkips(_ summary: IndexRunSummary, roots: [URL], scope: Set<String>?) throws {
        let entries = summary.skipped.map { IndexStatus.Skipped(path: $0.path, reason: $0.reason, kind: $0.kind) }
            + summary.failed.map { IndexStatus.Skipped(path: $0.path, reason: $0.reason, kind: IndexStatus.Skipped.failedKind) }
        if let scope {
            // Only the changed paths: forget their old entries, record the new ones.
            for path in scope { try database.clearSkipped(under: path) }
        }
        if summary.interrupted || scope != nil {
            for entry in entries { try database.recordSkipped(path: entry.path, reason: entry.reason, kind: entry.kind ?? "") }
            return
        }
        try database.replaceSkipped(under: Self.rootPrefixes(roots), with: entries) { path in
            var st = stat()
            return lstat(path, &st) == 0
        }
    }

    /// Each root as given and with symbolic links resolved: documents are stored under the path the walk reached
    /// them by, which may go through a linked root.
    static func rootPrefixes(_ roots: [URL]) -> [String] {
        Array(Set(roots.flatMap { [$0.standardizedFileURL.path, $0.standardizedFileURL.resolvingSymlinksInPath().path] }))
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
                                       page: passage.location?.page, location: passage.location?.fragment,
                                       headingPath: passage.headingPath, tokenIDs: vectors?.ids,
                                       vectors: vectors?.vectors ?? []))
        }
        try database.replaceDocument(prepared.document, passages: inputs)
        return prepared.isNew ? .added(passages: inputs.count, tokens: tokens) : .updated(passages: inputs.count, tokens: tokens)
    }

    /// Removes indexed documents under `roots` that the walk no longer found (deleted, now ignored). Files that
    /// exist but failed this time keep their previous version.
    private func removeVanished(under roots: [URL], present: Set<String>, failed: Set<String>,
                                inScope: (String) -> Bool) throws -> [String] {
        let prefixes = Self.rootPrefixes(roots)
        let gone = try database.documentPaths().filter { path in
            !present.contains(path) && !failed.contains(path) && inScope(path)
                && prefixes.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
        if !gone.isEmpty { try database.removeDocuments(paths: gone) }
        return gone
    }

    private func makeChunker() -> Chunker {
        if let encoder {
            return Chunker(maxTokens: min(maxPassageTokens ?? Int.max, encoder.documentTextCapacity)) {
                encoder.countDocumentTokens($0)
            }
        }
        return Chunker(maxTokens: maxPassageTokens ?? lexicalPassageWords) { text in
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
