import Foundation

/// Looks at a file before SQLite does, so a wrong `--index` argument gets a clear message instead of SQLite's
/// "file is not a database", and a truncated copy is caught before it is trusted.
enum IndexFileCheck {
    enum State: Equatable {
        case absent
        /// Zero bytes: SQLite treats it as a new empty database.
        case empty
        case database
    }

    private static let magic = Array("SQLite format 3\u{0}".utf8)

    static func inspect(_ url: URL) throws -> State {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue { throw IndexError.notADatabase(path: path, detail: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IndexError.database(path: path, detail: "cannot open the file for reading; check its permissions")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        if header.isEmpty { return .empty }
        guard header.count >= magic.count, Array(header.prefix(magic.count)) == magic else {
            throw IndexError.notADatabase(path: path, detail: "no SQLite header; the file starts with \(preview(header))")
        }
        guard header.count == 100 else {
            throw IndexError.corrupt(path: path, detail: "only \(header.count) bytes, shorter than an SQLite header")
        }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let rawPageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw IndexError.corrupt(path: path, detail: "the header's page size \(rawPageSize) is invalid")
        }
        // The header's page count is trustworthy when "version-valid-for" equals the change counter. While a WAL
        // holds committed pages a checkpoint may not have grown the file yet, so only judge a file without one.
        let changeCounter = bigEndian(header, at: 24), validFor = bigEndian(header, at: 92)
        let pageCount = Int64(bigEndian(header, at: 28))
        if pageCount > 0, changeCounter == validFor, !hasWAL(path), fileSize < pageCount * pageSize {
            throw IndexError.corrupt(path: path, detail: "\(fileSize) bytes where its header promises "
                                     + "\(pageCount) pages of \(pageSize) bytes: the file was truncated")
        }
        return .database
    }

    private static func hasWAL(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value
        return (size ?? 0) > 0
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        let head = bytes.prefix(16)
        if let text = String(bytes: head, encoding: .utf8), text.unicodeScalars.allSatisfy({ $0.value >= 32 || $0 == "\n" }) {
            return "\"\(text.replacingOccurrences(of: "\n", with: "\\n"))\""
        }
        return head.map { String(format: "%02x", $0) }.joined(separator: " ")
    }
}
