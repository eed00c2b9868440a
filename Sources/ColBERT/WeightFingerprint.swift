import Foundation

/// A stable identity for an encoder's weights: FNV-1a 64 over every `.safetensors` file of the backbone and Dense
/// folders (sorted by relative path; each file contributes its path, byte count and bytes). The bytes are consumed as
/// little-endian 64-bit words (tail bytes one at a time), which keeps hashing a 700 MB checkpoint well under a second.
/// An index stores it and refuses to be searched with vectors from different weights. `FingerprintCache` remembers it
/// by the files' stamps, so a load reads the weights again only when they changed.
enum WeightFingerprint {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// - Parameter folders: relative folder paths (`""` for the model folder itself).
    /// - Parameter cache: remembered fingerprints (nil: always hash).
    static func compute(directory: URL, folders: [String], cache: FingerprintCache? = FingerprintCache()) throws -> String {
        var files: [String] = []
        for folder in Set(folders) {
            let url = directory.appendingPathComponent(folder, isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            files += names.filter { $0.hasSuffix(".safetensors") }.map { folder.isEmpty ? $0 : folder + "/" + $0 }
        }
        files.sort()
        let key = directory.resolvingSymlinksInPath().standardizedFileURL.path
        let stamps = FingerprintCache.stamps(directory: directory, files: files)
        if let cache, let stamps, let known = cache.lookup(key: key, stamps: stamps) { return known }
        let fingerprint = try hash(directory: directory, files: files)
        if let cache, let stamps { cache.store(key: key, stamps: stamps, fingerprint: fingerprint) }
        return fingerprint
    }

    /// FNV-1a over the files, in the given (sorted) order.
    static func hash(directory: URL, files: [String]) throws -> String {
        var hash = offsetBasis
        for relative in files {
            let url = directory.appendingPathComponent(relative)
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw ColBERTError.unreadable(file: url.path, reason: error.localizedDescription)
            }
            mix(Array(relative.utf8), into: &hash)
            mixWord(UInt64(data.count), into: &hash)
            data.withUnsafeBytes { mix($0, into: &hash) }
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    static func mix<Bytes: Collection>(_ bytes: Bytes, into hash: inout UInt64) where Bytes.Element == UInt8 {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime }
    }

    static func mix(_ raw: UnsafeRawBufferPointer, into hash: inout UInt64) {
        let words = raw.count / 8
        for index in 0..<words {
            mixWord(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)), into: &hash)
        }
        mix(raw[(words * 8)...], into: &hash)
    }

    @inline(__always) static func mixWord(_ word: UInt64, into hash: inout UInt64) {
        hash = (hash ^ word) &* prime
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
