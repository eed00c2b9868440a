import Digests
import Foundation

/// The outcome of re-hashing one installed model (`ferret models verify`): every file its record lists, checked for
/// presence, size and digest. A model in Ferret's store is checked against its `ModelManifest`; a Hugging Face cache
/// snapshot against its blobs' own names, since `huggingface_hub` names each blob by its digest (64 hex digits: the
/// SHA-256 of an LFS file; 40: the git blob id of any other file).
public struct ModelVerification: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Every listed file is there with the recorded size and digest.
        case ok
        /// At least one file is missing or differs from its record.
        case damaged
        /// Nothing to check against: a store folder without `.ferret-model.json` (copied in by hand), or a cache
        /// snapshot with no digest-named blobs.
        case unverified
    }

    public struct Problem: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case missing, wrongSize, wrongDigest, unreadable
            /// A manifest entry that names a path outside the model folder (`../x`, `/x`): never read.
            case invalidPath
        }
        /// Relative to the model folder.
        public var path: String
        public var kind: Kind
        public var expected: String?
        public var actual: String?

        public init(path: String, kind: Kind, expected: String? = nil, actual: String? = nil) {
            self.path = path
            self.kind = kind
            self.expected = expected
            self.actual = actual
        }
    }

    /// `OWNER/NAME`.
    public var id: String
    /// The snapshot commit (Hugging Face cache) or the manifest's revision.
    public var revision: String?
    public var path: String
    /// `store` or `huggingface`, as in `InstalledModel.source`.
    public var source: String
    public var status: Status
    /// Files whose digest (or, lacking one, size) was checked.
    public var checked: Int
    public var problems: [Problem]
    /// Files with nothing to check against (a cache file that is not a link to a digest-named blob).
    public var unverifiable: [String]
}

extension ModelStore {
    /// Verifies every model in Ferret's store and the Hugging Face cache, or only `id` (`OWNER/NAME`, with
    /// `@REVISION` one cache snapshot). Throws `notInstalled` when `id` matches nothing.
    public func verify(_ id: RepositoryID? = nil) throws -> [ModelVerification] {
        let fm = FileManager.default
        var results: [ModelVerification] = []
        for owner in ((try? fm.contentsOfDirectory(atPath: storeFolder.path)) ?? []).sorted() where !owner.hasPrefix(".") {
            let ownerFolder = storeFolder.appendingPathComponent(owner)
            for name in ((try? fm.contentsOfDirectory(atPath: ownerFolder.path)) ?? []).sorted() where !name.hasPrefix(".") {
                guard id == nil || (id?.owner == owner && id?.name == name) else { continue }
                results.append(Self.verifyStoreFolder(ownerFolder.appendingPathComponent(name), id: "\(owner)/\(name)"))
            }
        }
        for repository in ((try? fm.contentsOfDirectory(atPath: hubCache.path)) ?? []).sorted() where repository.hasPrefix("models--") {
            let parts = repository.dropFirst("models--".count).components(separatedBy: "--")
            guard parts.count == 2, id == nil || (id?.owner == parts[0] && id?.name == parts[1]) else { continue }
            let folder = hubCache.appendingPathComponent(repository)
            let wanted = id?.revision.map { commit(of: $0, in: folder) }
            let snapshots = folder.appendingPathComponent("snapshots")
            for commit in ((try? fm.contentsOfDirectory(atPath: snapshots.path)) ?? []).sorted() where wanted == nil || wanted == commit {
                results.append(Self.verifySnapshot(snapshots.appendingPathComponent(commit), id: "\(parts[0])/\(parts[1])",
                                                   commit: commit))
            }
        }
        if let id, results.isEmpty {
            throw ModelFilesError.notInstalled(id: id.description, looked: [folder(for: id).path,
                                                                            hubCache.appendingPathComponent(id.cacheFolderName).path])
        }
        return results
    }

    /// The commit a branch or tag names in a cached repository (`refs/REVISION`), or the revision itself.
    private func commit(of revision: String, in repository: URL) -> String {
        let ref = repository.appendingPathComponent("refs").appendingPathComponent(revision)
        guard let data = FileManager.default.contents(atPath: ref.path) else { return revision }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A folder of Ferret's store against its `.ferret-model.json`.
    static func verifyStoreFolder(_ folder: URL, id: String) -> ModelVerification {
        var result = ModelVerification(id: id, revision: nil, path: folder.path, source: "store", status: .unverified,
                                       checked: 0, problems: [], unverifiable: [])
        guard let manifest = ModelManifest.read(in: folder) else { return result }
        result.revision = manifest.revision
        for file in manifest.files {
            guard let problem = check(file, in: folder) else {
                result.checked += 1
                continue
            }
            result.checked += problem.kind == .invalidPath ? 0 : 1
            result.problems.append(problem)
        }
        result.status = result.problems.isEmpty ? .ok : .damaged
        return result
    }

    /// One manifest entry: present, the recorded size, then the recorded digest (SHA-256, else the git blob id).
    static func check(_ file: ModelManifest.File, in folder: URL) -> ModelVerification.Problem? {
        let components = file.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.path.hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return .init(path: file.path, kind: .invalidPath)
        }
        let url = folder.appendingPathComponent(file.path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return .init(path: file.path, kind: .missing)
        }
        // A linked import's files are links: the size is the target's.
        let size = (try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)[.size] as? NSNumber)?.int64Value
        guard size == file.size else {
            return .init(path: file.path, kind: .wrongSize, expected: String(file.size), actual: size.map(String.init))
        }
        do {
            if let expected = file.sha256 {
                let actual = try Digest.sha256(ofFile: url)
                if actual != expected.lowercased() { return .init(path: file.path, kind: .wrongDigest, expected: expected, actual: actual) }
            } else if let expected = file.gitBlobID {
                let actual = try Digest.gitBlobID(ofFile: url)
                if actual != expected.lowercased() { return .init(path: file.path, kind: .wrongDigest, expected: expected, actual: actual) }
            }
        } catch {
            return .init(path: file.path, kind: .unreadable, actual: error.localizedDescription)
        }
        return nil
    }

    /// A Hugging Face snapshot: each file is a link to `blobs/<digest>`, so the blob's name is what its bytes must
    /// hash to. Links whose target is gone are missing files.
    static func verifySnapshot(_ snapshot: URL, id: String, commit: String) -> ModelVerification {
        var result = ModelVerification(id: id, revision: commit, path: snapshot.path, source: "huggingface", status: .ok,
                                       checked: 0, problems: [], unverifiable: [])
        let fm = FileManager.default
        for relative in ((try? fm.subpathsOfDirectory(atPath: snapshot.path)) ?? []).sorted() {
            let item = snapshot.appendingPathComponent(relative)
            guard let destination = try? fm.destinationOfSymbolicLink(atPath: item.path) else {
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: item.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    result.unverifiable.append(relative)
                }
                continue
            }
            let blob = destination.hasPrefix("/") ? URL(fileURLWithPath: destination)
                : item.deletingLastPathComponent().appendingPathComponent(destination)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: blob.path, isDirectory: &isDirectory) else {
                result.problems.append(.init(path: relative, kind: .missing, expected: blob.standardizedFileURL.path))
                continue
            }
            if isDirectory.boolValue { continue }
            let name = blob.lastPathComponent.lowercased()
            let isHex = name.allSatisfy { $0.isHexDigit }
            do {
                let actual: String
                switch (isHex, name.count) {
                case (true, 64): actual = try Digest.sha256(ofFile: blob)
                case (true, 40): actual = try Digest.gitBlobID(ofFile: blob)
                default:
                    result.unverifiable.append(relative)
                    continue
                }
                result.checked += 1
                if actual != name { result.problems.append(.init(path: relative, kind: .wrongDigest, expected: name, actual: actual)) }
            } catch {
                result.checked += 1
                result.problems.append(.init(path: relative, kind: .unreadable, actual: error.localizedDescription))
            }
        }
        result.status = !result.problems.isEmpty ? .damaged : result.checked == 0 ? .unverified : .ok
        return result
    }
}
