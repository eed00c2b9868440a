import CCrypto
import Foundation

/// SHA-256 and SHA-1 through OpenSSL's libcrypto (SHA extensions where the CPU has them), fed in pieces, so a
/// multi-gigabyte weight file is hashed in bounded memory. Documents are identified by the SHA-256 of their bytes. The Hugging Face Hub names LFS files by SHA-256 and every other file
/// by its git blob id (SHA-1 of `blob <size>\0` + bytes).
public struct Digest: ~Copyable {
    public enum Algorithm: Sendable { case sha256, sha1 }

    private let context: OpaquePointer

    public init(_ algorithm: Algorithm) {
        // Allocation failure is the only way these fail; there is nothing sensible to do but stop.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed (out of memory)") }
        let method = algorithm == .sha256 ? EVP_sha256() : EVP_sha1()
        guard EVP_DigestInit_ex(context, method, nil) == 1 else { fatalError("EVP_DigestInit_ex failed") }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex. Consumes the hasher.
    public consuming func hex() -> String {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &output, &length)
        return output.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of bytes in memory, as lowercase hex (a document's content hash).
    public static func sha256Hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        var digest = Digest(.sha256)
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.hex()
    }

    /// The SHA-256 of a file's bytes (LFS `oid`), read in 4 MiB pieces.
    public static func sha256(ofFile url: URL) throws -> String {
        var digest = Digest(.sha256)
        try feed(url) { digest.update($0) }
        return digest.hex()
    }

    /// The git blob id of a file (what the Hub lists as `blobId` for files not in LFS).
    public static func gitBlobID(ofFile url: URL) throws -> String {
        let size = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.size] as? NSNumber
        var digest = Digest(.sha1)
        digest.update(Data("blob \(size?.int64Value ?? 0)\0".utf8))
        try feed(url) { digest.update($0) }
        return digest.hex()
    }

    private static func feed(_ url: URL, _ consume: (Data) -> Void) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let piece = try handle.read(upToCount: 4 << 20), !piece.isEmpty {
            consume(piece)
        }
    }
}
