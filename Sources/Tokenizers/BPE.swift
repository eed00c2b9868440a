import Foundation

/// Byte-level BPE: a piece's bytes start as one symbol each, then the adjacent pair with the lowest merge rank is
/// merged (leftmost first on ties) until no pair has a merge.
///
/// That is exactly what `tokenizers`' `Word::merge_all` computes with its heap: a stale heap entry is only acted on
/// when the pair at its position still produces the same token, which (symbols only grow) means it is the same pair.
final class BPEModel: Sendable {
    /// `byteIDs[b]`: the id of the one-byte token for byte `b`, or -1.
    private let byteIDs: [Int32]
    /// `(left << 32 | right)` → `(rank << 32 | merged id)`.
    private let merges: [UInt64: UInt64]
    /// Whole-piece lookup for `ignore_merges`: raw bytes → id (nil when the flag is off).
    private let wholePieces: [[UInt8]: Int32]?
    /// For `byte_fallback`: the ids of `<0x00>`…`<0xFF>`, when the vocabulary has all of them.
    private let fallbackIDs: [Int32]?
    private let unknownID: Int32?
    private let fuseUnknown: Bool
    private let cache = BPECache(capacity: 10_000)

    init(_ file: TokenizerFile.BPEFile, fileURL: URL) throws {
        // Keyed by raw bytes, not by token strings: hashing 64,000 non-ASCII Swift strings (which hash their NFC
        // form) made this init three times slower.
        var byBytes: [[UInt8]: Int32] = [:]
        byBytes.reserveCapacity(file.vocab.count)
        var outsideAlphabet: [String: Int32] = [:]  // tokens such as "<0x0A>" with characters outside the alphabet
        for (token, id) in file.vocab {
            guard let id32 = Int32(exactly: id) else {
                throw TokenizerError.invalidField(fileURL, path: "model.vocab.\(token)", reason: "is not an id (\(id))")
            }
            if let bytes = ByteLevel.bytes(of: token) { byBytes[bytes] = id32 } else { outsideAlphabet[token] = id32 }
        }
        func id(of token: String) -> Int32? {
            ByteLevel.bytes(of: token).flatMap { byBytes[$0] } ?? outsideAlphabet[token]
        }
        byteIDs = (0..<256).map { byBytes[[UInt8($0)]] ?? -1 }

        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(file.merges.count)
        for (rank, merge) in file.merges.enumerated() {
            func lookUp(_ token: String) throws -> Int32 {
                guard let id = id(of: token) else {
                    throw TokenizerError.invalidField(fileURL, path: "model.merges[\(rank)]",
                                                      reason: "uses \"\(token)\", which is not in model.vocab")
                }
                return id
            }
            let left = try lookUp(merge.left), right = try lookUp(merge.right)
            let merged = try lookUp(merge.left + merge.right)
            merges[UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))] = UInt64(rank) << 32 | UInt64(UInt32(merged))
        }
        self.merges = merges
        wholePieces = file.ignoreMerges ? byBytes : nil
        let fallback = (0..<256).map { id(of: String(format: "<0x%02X>", $0)) ?? -1 }
        fallbackIDs = file.byteFallback && !fallback.contains(-1) ? fallback : nil
        unknownID = file.unkToken.flatMap(id(of:))
        fuseUnknown = file.fuseUnk
    }

    /// Appends the ids of one pre-tokenized piece.
    func encode(_ piece: ArraySlice<UInt8>, into ids: inout [Int], scratch: inout BPEScratch) {
        if piece.count == 1, case let id = byteIDs[Int(piece[piece.startIndex])], id >= 0 {
            ids.append(Int(id))
            return
        }
        let key = Array(piece)
        if let wholePieces, let id = wholePieces[key] {
            ids.append(Int(id))
            return
        }
        if let cached = cache[key] {
            for id in cached { ids.append(Int(id)) }
            return
        }
        initialSymbols(key, into: &scratch.symbols)
        mergeAll(&scratch)
        cache[key] = scratch.symbols
        for id in scratch.symbols { ids.append(Int(id)) }
    }

    /// One symbol per byte; bytes without a token go through byte fallback, the unknown token, or are dropped,
    /// in that order, as in `tokenizers`.
    private func initialSymbols(_ bytes: [UInt8], into symbols: inout [Int32]) {
        symbols.removeAll(keepingCapacity: true)
        var pendingUnknown = false
        for byte in bytes {
            let id = byteIDs[Int(byte)]
            if id >= 0 {
                symbols.append(id)
                pendingUnknown = false
            } else if let fallbackIDs {
                // `tokenizers` falls back on the UTF-8 bytes of the alphabet character, not on the raw byte.
                for utf8 in String(Character(ByteLevel.character[Int(byte)])).utf8 {
                    symbols.append(fallbackIDs[Int(utf8)])
                }
                pendingUnknown = false
            } else if let unknownID {
                if !(fuseUnknown && pendingUnknown) { symbols.append(unknownID) }
                pendingUnknown = true
            }
        }
    }

    private func mergeAll(_ scratch: inout BPEScratch) {
        let count = scratch.symbols.count
        guard count > 1 else { return }
        scratch.pairs.removeAll(keepingCapacity: true)
        for k in 0..<(count - 1) { scratch.pairs.append(pair(scratch.symbols[k], scratch.symbols[k + 1])) }
        while true {
            // The lowest (rank, position): ranks sit in the high half of each entry.
            var best = -1
            var bestValue = UInt64.max
            for k in 0..<scratch.pairs.count where scratch.pairs[k] < bestValue {
                bestValue = scratch.pairs[k]
                best = k
            }
            guard best >= 0 else { return }
            scratch.symbols[best] = Int32(truncatingIfNeeded: bestValue & 0xFFFF_FFFF)
            scratch.symbols.remove(at: best + 1)
            scratch.pairs.remove(at: best)
            if best > 0 { scratch.pairs[best - 1] = pair(scratch.symbols[best - 1], scratch.symbols[best]) }
            if best < scratch.pairs.count {
                scratch.pairs[best] = pair(scratch.symbols[best], scratch.symbols[best + 1])
            }
        }
    }

    /// The merge of `left, right` as `(rank << 32 | merged id)`, or `UInt64.max` when there is none.
    @inline(__always)
    private func pair(_ left: Int32, _ right: Int32) -> UInt64 {
        merges[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))] ?? .max
    }
}

/// Symbol and pair buffers reused from piece to piece within one `encode` call.
struct BPEScratch: ~Copyable {
    var symbols: [Int32] = []
    var pairs: [UInt64] = []
}

/// Results for pieces already seen, shared by every copy of a `Tokenizer` (text repeats a lot of words).
/// Cleared when full rather than evicting one by one: it refills within a few paragraphs.
final class BPECache: @unchecked Sendable {  // all access to `entries` goes through `lock`
    private let lock = NSLock()
    private var entries: [[UInt8]: [Int32]] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    subscript(key: [UInt8]) -> [Int32]? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return entries[key]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = newValue
        }
    }
}
