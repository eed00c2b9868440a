import Foundation
import ModelFiles
#if canImport(Glibc)
import Glibc
#endif

/// Where a pull assembles a model before it is installed: `<store>/.partial/OWNER--NAME@COMMIT/`, holding the
/// finished files and the `.part` file being downloaded, so an interrupted pull resumes where it stopped. The store's
/// `OWNER/NAME` folder changes only in `install`, by renames: a reader sees the old model or the new one, never half.
struct StoreStaging {
    let folder: URL
    let target: URL
    private let lockDescriptor: Int32

    /// Takes the repository's lock (a second pull of the same model fails fast instead of racing) and drops staging
    /// folders of other commits, whose files can no longer be installed together with this one.
    init(store: ModelStore, id: RepositoryID, commit: String) throws {
        let fm = FileManager.default
        let partial = store.storeFolder.appendingPathComponent(".partial")
        let key = "\(id.owner)--\(id.name)"
        target = store.storeFolder.appendingPathComponent(id.owner).appendingPathComponent(id.name)
        folder = partial.appendingPathComponent("\(key)@\(commit)")
        do {
            try fm.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw HubError.install(path: partial.path, detail: "cannot create the model store (\(error.localizedDescription)); "
                + "set FERRET_HOME to a writable folder")
        }
        let lock = partial.appendingPathComponent("\(key).lock")
        let descriptor = open(lock.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HubError.install(path: lock.path, detail: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw HubError.busy(repository: "\(id.owner)/\(id.name)", lock: lock.path)
        }
        lockDescriptor = descriptor
        for name in (try? fm.contentsOfDirectory(atPath: partial.path)) ?? []
        where name.hasPrefix(key + "@") && name != folder.lastPathComponent {
            try? fm.removeItem(at: partial.appendingPathComponent(name))
        }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func release() {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    func finished(_ path: String) -> URL { folder.appendingPathComponent(path) }
    func part(_ path: String) -> URL { folder.appendingPathComponent(path + ".part") }

    /// Moves the staged model into place. Files of the installed copy at the same commit that this pull did not
    /// fetch (another GGUF quantisation, a file added with `--include`) are carried over by hard link, so pulls add
    /// up; an installed copy of another commit is replaced whole.
    func install(_ manifest: ModelManifest) throws -> ModelManifest {
        let fm = FileManager.default
        var merged = manifest
        if let installed = ModelManifest.read(in: target), installed.commit == manifest.commit {
            let pulled = Set(manifest.files.map(\.path))
            for file in installed.files where !pulled.contains(file.path) {
                let source = target.appendingPathComponent(file.path), destination = finished(file.path)
                guard fm.fileExists(atPath: source.path) else { continue }
                try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                if (try? fm.linkItem(at: source, to: destination)) == nil { try fm.copyItem(at: source, to: destination) }
                merged.files.append(file)
            }
            merged.files.sort { $0.path < $1.path }
        }
        try merged.write(in: folder)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: target.path) || (try? fm.destinationOfSymbolicLink(atPath: target.path)) != nil {
            let trash = folder.deletingLastPathComponent().appendingPathComponent("trash-\(UUID().uuidString)")
            guard rename(target.path, trash.path) == 0 else {
                throw HubError.install(path: target.path, detail: "cannot move the installed copy aside: "
                    + String(cString: strerror(errno)))
            }
            defer { try? fm.removeItem(at: trash) }
            guard rename(folder.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(trash.path, target.path)
                throw HubError.install(path: target.path, detail: "cannot install the new copy: \(reason)")
            }
        } else {
            guard rename(folder.path, target.path) == 0 else {
                throw HubError.install(path: target.path, detail: "cannot install: \(String(cString: strerror(errno)))")
            }
        }
        return merged
    }
}
