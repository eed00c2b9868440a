import Foundation
import Index
import ModelFiles

/// What `index`, `ask` and `chat` use when no model is named (neither the flag nor ferret.toml): the default
/// encoder and generator (`DefaultModels`) when they are installed, said once on stderr; otherwise what Ferret did
/// before (a lexical-only index, extractive answers) with the exact command that installs the default.
enum DefaultModelChoice {
    /// The default encoder's id for `ferret index` without a model, when it is installed and the index can take it.
    /// An index built with another encoder gets nil (indexing it without --model is refused, as before: Ferret never
    /// guesses which weights to add); one that already holds passages without vectors stays lexical (vectors cannot
    /// be added to it).
    static func encoder(forIndexAt location: URL, store: ModelStore = ModelStore()) -> String? {
        let id = DefaultModels.encoder
        guard let found = store.locate(id).url else { return nil }
        // Only now is the index looked at: without the default installed, `index` opens it exactly as before.
        let existing = try? IndexDatabase.openExisting(at: location)
        if let stored = existing?.encoder, stored.repository.flatMap(RepositoryID.init)?.repository != id.repository {
            return nil
        }
        if let existing, existing.encoder == nil, ((try? existing.read { try $0.passageCount() }) ?? 0) > 0 {
            Console.note("note: \(id) is installed, but this index was built without a model and vectors cannot be "
                         + "added to it; it stays lexical-only (BM25). Index into a new --index FILE to use \(id).")
            return nil
        }
        Console.note("note: no --model given; using the default encoder \(id) (\(found.path)). Pass --model to choose another.")
        return id.description
    }

    /// The note for an index built without any encoder because the default is not installed; nil when it is (then
    /// `encoder(forIndexAt:)` has said why the index stays lexical).
    static func lexicalIndexNote(store: ModelStore = ModelStore()) -> String? {
        guard store.locate(DefaultModels.encoder).url == nil else { return nil }
        return "note: no --model given and the default encoder \(DefaultModels.encoder) is not installed; the index is "
            + "lexical-only (BM25). For semantic search, \(pullAdvice(DefaultModels.encoder, store: store)) "
            + "(or pass --model DIR)."
    }

    /// The default generator's id for `ask` and `chat` when it is installed; otherwise nil, after saying how answers
    /// are made without one and how to install it.
    static func generator(store: ModelStore = ModelStore()) -> String? {
        let id = DefaultModels.generator
        guard let found = store.locate(id).url else {
            Console.note("note: no --generator given; answers are extracted from the passages. For generated answers, "
                         + "\(pullAdvice(id, store: store)) (or pass --generator PATH).")
            return nil
        }
        Console.note("note: no --generator given; using the default generator \(id) (\(found.path)). "
                     + "Pass --generator to choose another.")
        return id.description
    }

    /// `run `ferret models pull ID``, and when this machine is offline, where to run it and how to bring it here.
    static func pullAdvice(_ id: RepositoryID, store: ModelStore) -> String {
        store.isOffline
            ? "run `\(id.pullCommand)` on a machine with internet, then `ferret models import FOLDER --as \(id.repository)` here"
            : "run `\(id.pullCommand)`"
    }
}
