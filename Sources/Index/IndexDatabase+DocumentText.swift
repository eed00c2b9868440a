import Foundation
import GRDB

extension IndexDatabase {
    /// The passages of the document stored under `path`, in reading order (by ordinal); empty when the path is not
    /// indexed. The indexer chunks without overlap, so their texts in this order are the document as Ferret
    /// extracted it — what `ferret mcp`'s `get_document` serves instead of reading the file from disk.
    public func passages(documentPath path: String) throws -> [StoredPassage] {
        try guarded {
            try pool.read { db in
                let ids = try Int64.fetchAll(db, sql: """
                    SELECT p.id FROM passages p JOIN documents d ON d.id = p.document
                    WHERE d.path = ? ORDER BY p.ordinal
                    """, arguments: [path])
                return try passages(db, ids: ids)
            }
        }
    }
}
