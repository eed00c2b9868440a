import Foundation

/// Everything that can be wrong with an index file. Each message names the file and says what to do.
public enum IndexError: Error, CustomStringConvertible, Equatable {
    /// `openExisting` was given a path with no file.
    case missing(path: String)
    /// The file is not an SQLite database at all (a text file, an image…).
    case notADatabase(path: String, detail: String)
    /// An SQLite database written by something else than Ferret.
    case foreignDatabase(path: String, detail: String)
    /// The file is shorter than its own header says, or SQLite found damaged pages.
    case corrupt(path: String, detail: String)
    /// Written by a newer Ferret whose schema this build does not know.
    case newerSchema(path: String, known: [String], found: [String])
    /// Built with one encoder, opened with another (vectors of different models cannot be compared).
    case encoderMismatch(path: String, stored: EncoderIdentity?, requested: EncoderIdentity?)
    /// A passage whose vectors do not have the index's shape.
    case invalidPassage(path: String, ordinal: Int, detail: String)
    /// Any other SQLite failure, with the statement that failed.
    case database(path: String, detail: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "no index at \(path). Build one with `ferret index FOLDER --index \(path)`, or pass the right --index FILE."
        case .notADatabase(let path, let detail):
            return "\(path) is not a Ferret index (\(detail)). Pass the index file with --index FILE; "
                + "a new index is created only where no file exists yet."
        case .foreignDatabase(let path, let detail):
            return "\(path) is an SQLite database but not a Ferret index (\(detail)). Ferret will not modify it; "
                + "pass another --index FILE."
        case .corrupt(let path, let detail):
            return "the index \(path) is damaged (\(detail)). To re-index from your files, run "
                + "`ferret index FOLDER… --repair --index \(path)` (the damaged file is kept beside it), or restore it "
                + "from a backup."
        case .newerSchema(let path, let known, let found):
            return "the index \(path) was written by a newer Ferret (schema steps \(found.joined(separator: ", "))); "
                + "this build knows \(known.joined(separator: ", ")). Upgrade Ferret or re-index into a new --index file."
        case .encoderMismatch(let path, let stored, let requested):
            return "the index \(path) was built with \(Self.describe(stored)) but this run uses \(Self.describe(requested)). "
                + "Vectors of different encoders cannot be mixed: pass the matching --model, "
                + "or re-index into a new --index FILE."
        case .invalidPassage(let path, let ordinal, let detail):
            return "passage \(ordinal) of \(path): \(detail)"
        case .database(let path, let detail):
            return "index \(path): \(detail)"
        }
    }

    private static func describe(_ encoder: EncoderIdentity?) -> String {
        guard let encoder else { return "no encoder (a lexical-only index)" }
        return "encoder \(encoder.name) (fingerprint \(encoder.fingerprint), \(encoder.dimension) dimensions)"
    }
}
