import Foundation

extension ModelStore {
    /// Removes `id` (`OWNER/NAME`) from Ferret's store and returns the folder it was in. A linked import's folder
    /// holds only links, so the files it points to stay; a folder that is itself a link loses only the link.
    /// The Hugging Face cache is never touched: a model found only there is refused, naming the folder the user can
    /// delete. The folder is first renamed to a dot name, so an interrupted removal never leaves half a model
    /// under the id.
    @discardableResult
    public func remove(_ id: RepositoryID) throws -> URL {
        guard id.revision == nil || id.revision == "main", id.file == nil else {
            throw ModelFilesError.notInstalled(id: id.description, looked: [folder(for: id).path + " (the store keeps one "
                                               + "revision per id, whole: remove OWNER/NAME)"])
        }
        let target = folder(for: id)
        // Owner and name are hub names, so this holds; checked anyway because a wrong path here deletes files.
        guard target.standardizedFileURL.deletingLastPathComponent().deletingLastPathComponent().path
                == storeFolder.standardizedFileURL.path else {
            throw ModelFilesError.notInstalled(id: id.description, looked: [storeFolder.path])
        }
        guard ModelImport.itemExists(target) else {
            let cached = hubCache.appendingPathComponent(id.cacheFolderName)
            if FileManager.default.fileExists(atPath: cached.path) {
                throw ModelFilesError.inHuggingFaceCache(id: id.repository, folder: cached.path)
            }
            throw ModelFilesError.notInstalled(id: id.repository, looked: [target.path, cached.path])
        }
        let fm = FileManager.default
        try guarded(target) {
            if (try? fm.destinationOfSymbolicLink(atPath: target.path)) != nil {
                try fm.removeItem(atPath: target.path)   // the link, not what it points to
            } else {
                let doomed = storeFolder.appendingPathComponent(".removing-" + UUID().uuidString)
                try fm.moveItem(at: target, to: doomed)
                try fm.removeItem(at: doomed)
            }
        }
        // An owner folder left empty goes too, so `models list` and the store stay tidy.
        let owner = target.deletingLastPathComponent()
        if ((try? fm.contentsOfDirectory(atPath: owner.path)) ?? [""]).isEmpty { try? fm.removeItem(at: owner) }
        return target
    }
}
