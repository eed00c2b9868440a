import Foundation
import ZIPFoundation

/// The parts of a ZIP file held in memory (the container of DOCX, PPTX, XLSX, ODF and EPUB files): the list of its
/// entries, and the bytes of one entry on request, bounded by `ZipLimits`.
///
/// The directory is parsed here, every offset and size checked against the data, rather than by ZIPFoundation's
/// `Archive`: its in-memory reader traps on a record that points past the end of the data (a 22-byte end record with
/// a far directory offset crashes `Archive(data:accessMode:)` iteration, checked with ZIPFoundation 0.9.20), and an
/// extractor must never trap. ZIPFoundation still inflates (`Data.decompress`), fed only bytes inside the entry.
///
/// Errors are `IngestError`s naming the file and the part: `malformed` for a damaged archive or entry (`word/
/// document.xml: decompresses to more than its declared size`), `noText` for an entry encrypted with a password.
final class ZipContainer {
    /// One file in the archive, as the central directory describes it.
    struct Entry: Equatable {
        /// The name in the archive (`word/document.xml`), decoded as UTF-8, `\` read as `/`.
        let path: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int

        /// Traditional PKWARE or strong encryption: the entry cannot be read without the password.
        var isEncrypted: Bool { flags & 1 != 0 }
    }

    /// Every file entry (directories left out), in central directory order.
    let entries: [Entry]
    let limits: ZipLimits
    /// Decompressed bytes handed out so far, counted against `limits.maxTotalBytes`.
    private(set) var bytesRead = 0
    /// The file being read and its format, for errors.
    let file: String
    let format: DocumentFormat

    private let bytes: [UInt8]
    private let byPath: [String: Int]
    private let byLowercasedPath: [String: Int]

    /// Reads the directory of the ZIP file `bytes`; `file` and `format` only name it in errors.
    init(bytes: [UInt8], file: String, format: DocumentFormat, limits: ZipLimits = .standard) throws {
        self.bytes = bytes
        self.file = file
        self.format = format
        self.limits = limits
        let directory = try Self.directory(of: bytes, file: file, format: format)
        entries = try Self.entries(in: bytes, directory: directory, file: file, format: format)
        var byPath: [String: Int] = [:], byLowercasedPath: [String: Int] = [:]
        // The ZIP format allows two entries with one name; like unzip, the first one wins.
        for (i, entry) in entries.enumerated() {
            if byPath[entry.path] == nil { byPath[entry.path] = i }
            if byLowercasedPath[entry.path.lowercased()] == nil { byLowercasedPath[entry.path.lowercased()] = i }
        }
        self.byPath = byPath
        self.byLowercasedPath = byLowercasedPath
    }

    /// The entry at `path` (a leading `/` ignored). Exact names first, then ignoring case: OPC part names
    /// (DOCX, PPTX, XLSX) are case-insensitive, and relationship targets do not always match the stored case.
    func entry(_ path: String) -> Entry? {
        let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard let i = byPath[name] ?? byLowercasedPath[name.lowercased()] else { return nil }
        return entries[i]
    }

    func contains(_ path: String) -> Bool { entry(path) != nil }

    /// The decompressed bytes of the part at `path`; a part that is not there is `malformed` ("missing").
    func read(_ path: String) throws -> [UInt8] {
        guard let bytes = try readIfPresent(path) else { throw malformed(path, "missing from the archive") }
        return bytes
    }

    /// The decompressed bytes of the part at `path`, or nil when the archive has no such part.
    func readIfPresent(_ path: String) throws -> [UInt8]? {
        guard let entry = entry(path) else { return nil }
        return try read(entry)
    }

    /// An `IngestError.malformed` about `part` of this file.
    func malformed(_ part: String, _ detail: String) -> IngestError {
        .malformed(file: file, format: format.displayName, part: part, detail: detail)
    }

    // MARK: Reading one entry

    private func read(_ entry: Entry) throws -> [UInt8] {
        let name = entry.path
        if entry.isEncrypted {
            throw IngestError.noText(file: file, reason: "password-protected (\(name) is encrypted); remove the "
                + "password to index it")
        }
        try checkLimits(entry)
        let data = try dataRange(of: entry)
        var output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw malformed(name, "stored entry of \(entry.compressedSize) bytes declares "
                    + "\(entry.uncompressedSize)")
            }
            output = Array(bytes[data])
        case 8:
            output = try inflate(entry, data)
        default:
            throw malformed(name, "compression method \(entry.method) is not supported (only stored and deflate)")
        }
        guard output.count == entry.uncompressedSize else {
            throw malformed(name, "decompressed to \(output.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        guard Data(output).crc32(checksum: 0) == entry.crc32 else {
            throw malformed(name, "CRC-32 checksum mismatch (the data is damaged)")
        }
        bytesRead += output.count
        return output
    }

    /// Refuses, before inflating anything, a part whose declared size is over its share of the limits.
    private func checkLimits(_ entry: Entry) throws {
        let size = entry.uncompressedSize
        let remaining = limits.maxTotalBytes - bytesRead
        if size > remaining {
            throw malformed(entry.path, "decompresses to \(ByteCount.format(Int64(size))), over the limit of "
                + "\(ByteCount.format(Int64(limits.maxTotalBytes))) per file (a ZIP bomb?)")
        }
        // compressedSize is at most the file's size, so the product cannot overflow.
        if size > limits.ratioExemptBytes, size / limits.maxRatio > entry.compressedSize {
            throw malformed(entry.path, "expands \(ByteCount.format(Int64(entry.compressedSize))) to "
                + "\(ByteCount.format(Int64(size))), more than \(limits.maxRatio)× (a ZIP bomb?)")
        }
    }

    /// Where the entry's compressed bytes are, from its local header.
    private func dataRange(of entry: Entry) throws -> Range<Int> {
        let reader = LittleEndian(bytes)
        let at = entry.localHeaderOffset
        guard reader.u32(at) == 0x0403_4B50, let nameLength = reader.u16(at + 26),
              let extraLength = reader.u16(at + 28) else {
            throw malformed(entry.path, "no local file header at offset \(at)")
        }
        let start = at + 30 + Int(nameLength) + Int(extraLength)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw malformed(entry.path, "its data runs past the end of the file (truncated?)")
        }
        return start..<(start + entry.compressedSize)
    }

    /// Inflates a deflate entry, stopping as soon as it produces more than it declared.
    private func inflate(_ entry: Entry, _ data: Range<Int>) throws -> [UInt8] {
        let declared = entry.uncompressedSize
        let chunk = 1 << 16
        var output: [UInt8] = []
        output.reserveCapacity(declared)
        var overflow = false, truncated = false
        do {
            _ = try Data.decompress(size: Int64(data.count), bufferSize: chunk, skipCRC32: true,
                                    provider: { position, size in
                // ZIPFoundation's Linux inflater announces `bufferSize` input bytes whatever the chunk's length, so
                // every chunk is padded to that size; a stream that needs more than its bytes ends in an error here.
                guard position >= 0, position < Int64(data.count), size > 0 else {
                    truncated = true
                    throw ZipReadStop()
                }
                let start = data.lowerBound + Int(position)
                let end = start + Swift.min(size, data.upperBound - start)
                var piece = Data(self.bytes[start..<end])
                if piece.count < size { piece.append(Data(count: size - piece.count)) }
                return piece
            }, consumer: { piece in
                output.append(contentsOf: piece)
                if output.count > declared {
                    overflow = true
                    throw ZipReadStop()
                }
            })
        } catch {
            if overflow {
                throw malformed(entry.path, "decompresses to more than its declared \(declared) bytes (a ZIP bomb?)")
            }
            if truncated { throw malformed(entry.path, "compressed data ends too early (truncated?)") }
            throw malformed(entry.path, "corrupt compressed data")
        }
        return output
    }
}

/// Thrown from ZIPFoundation's provider and consumer closures to stop inflating.
private struct ZipReadStop: Error {}

// MARK: The central directory

extension ZipContainer {
    /// Where the central directory is and how many entries it declares.
    private struct Directory {
        var offset: Int
        var size: Int
        var count: Int
    }

    private static func directory(of bytes: [UInt8], file: String, format: DocumentFormat) throws -> Directory {
        func malformed(_ detail: String) -> IngestError {
            .malformed(file: file, format: format.displayName, part: "ZIP archive", detail: detail)
        }
        let reader = LittleEndian(bytes)
        guard let end = endRecordOffset(bytes) else {
            if bytes.isEmpty { throw malformed("the file is empty") }
            if OLECompoundFile.hasSignature(bytes) {
                throw malformed("an OLE compound file (a legacy Office 97–2003 format or an encrypted file), "
                    + "not a ZIP archive")
            }
            if bytes.starts(with: [0x50, 0x4B]) { throw malformed("no end of central directory (truncated?)") }
            throw malformed("not a ZIP archive")
        }
        guard let count16 = reader.u16(end + 10), let size32 = reader.u32(end + 12),
              let offset32 = reader.u32(end + 16) else { throw malformed("truncated end of central directory") }
        var directory = Directory(offset: Int(offset32), size: Int(size32), count: Int(count16))
        if count16 == 0xFFFF || size32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
            // ZIP64: the real values are in the ZIP64 end record, found through the locator just before.
            guard end >= 20, reader.u32(end - 20) == 0x0706_4B50, let recordAt = reader.u64(end - 20 + 8),
                  let record = Int(exactly: recordAt), record <= bytes.count, reader.u32(record) == 0x0606_4B50,
                  let count = reader.u64(record + 32).flatMap({ Int(exactly: $0) }),
                  let size = reader.u64(record + 40).flatMap({ Int(exactly: $0) }),
                  let offset = reader.u64(record + 48).flatMap({ Int(exactly: $0) }) else {
                throw malformed("damaged ZIP64 end of central directory")
            }
            directory = Directory(offset: offset, size: size, count: count)
        }
        guard directory.offset <= bytes.count, directory.size <= bytes.count - directory.offset else {
            throw malformed("the central directory lies past the end of the file (truncated?)")
        }
        return directory
    }

    /// The last end-of-central-directory signature with room for the record after it (the record may be followed
    /// by a comment of up to 65,535 bytes).
    private static func endRecordOffset(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = Swift.max(0, bytes.count - 22 - 0xFFFF)
        var i = bytes.count - 22
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 { return i }
            i -= 1
        }
        return nil
    }

    private static func entries(in bytes: [UInt8], directory: Directory, file: String,
                                format: DocumentFormat) throws -> [Entry] {
        func malformed(_ detail: String) -> IngestError {
            .malformed(file: file, format: format.displayName, part: "ZIP central directory", detail: detail)
        }
        let reader = LittleEndian(bytes)
        let end = directory.offset + directory.size
        var entries: [Entry] = []
        var at = directory.offset
        var parsed = 0
        while parsed < directory.count {
            guard at <= end - 46, reader.u32(at) == 0x0201_4B50,
                  let flags = reader.u16(at + 8), let method = reader.u16(at + 10), let crc = reader.u32(at + 16),
                  let compressed32 = reader.u32(at + 20), let uncompressed32 = reader.u32(at + 24),
                  let nameLength = reader.u16(at + 28), let extraLength = reader.u16(at + 30),
                  let commentLength = reader.u16(at + 32), let offset32 = reader.u32(at + 42) else {
                throw malformed("entry \(parsed + 1) of \(directory.count) is damaged or missing")
            }
            let nameStart = at + 46, extraStart = nameStart + Int(nameLength)
            let next = extraStart + Int(extraLength) + Int(commentLength)
            guard next <= end else { throw malformed("entry \(parsed + 1) runs past the directory's end") }
            var sizes = (compressed: UInt64(compressed32), uncompressed: UInt64(uncompressed32),
                         offset: UInt64(offset32))
            if compressed32 == 0xFFFF_FFFF || uncompressed32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
                sizes = zip64Values(reader, extra: extraStart..<(extraStart + Int(extraLength)), sizes)
            }
            let path = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)
                .replacingOccurrences(of: "\\", with: "/")
            guard let compressed = Int(exactly: sizes.compressed), compressed <= bytes.count,
                  let uncompressed = Int(exactly: sizes.uncompressed), let offset = Int(exactly: sizes.offset),
                  offset <= bytes.count else {
                throw malformed("\(path): sizes or offset outside the file")
            }
            if !path.hasSuffix("/") {
                entries.append(Entry(path: path, method: method, flags: flags, crc32: crc, compressedSize: compressed,
                                     uncompressedSize: uncompressed, localHeaderOffset: offset))
            }
            at = next
            parsed += 1
        }
        return entries
    }

    /// The ZIP64 extended information field (id 1) holds, in this order, the 64-bit values of the fields whose
    /// 32-bit slot is 0xFFFFFFFF.
    private static func zip64Values(_ reader: LittleEndian, extra: Range<Int>,
                                    _ values: (compressed: UInt64, uncompressed: UInt64, offset: UInt64))
        -> (compressed: UInt64, uncompressed: UInt64, offset: UInt64) {
        var result = values
        var at = extra.lowerBound
        while at <= extra.upperBound - 4, let id = reader.u16(at), let size = reader.u16(at + 2) {
            let body = at + 4, next = body + Int(size)
            guard next <= extra.upperBound else { break }
            if id == 1 {
                var field = body
                func take(_ value: inout UInt64) {
                    guard value == 0xFFFF_FFFF, field <= next - 8, let wide = reader.u64(field) else { return }
                    value = wide
                    field += 8
                }
                take(&result.uncompressed)
                take(&result.compressed)
                take(&result.offset)
                break
            }
            at = next
        }
        return result
    }
}

/// Little-endian integers at byte offsets, nil when the offset is outside the data.
struct LittleEndian {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at <= bytes.count - 2 else { return nil }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) -> UInt32? {
        guard let low = u16(at), let high = u16(at + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    func u64(_ at: Int) -> UInt64? {
        guard let low = u32(at), let high = u32(at + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }
}
