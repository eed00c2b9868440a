import Foundation

/// A Hugging Face cache laid out as `huggingface_hub` writes it, built from a fixture folder: `refs/main` names the
/// commit, the snapshot holds relative symbolic links into `blobs/`.
public enum HubCacheFixture {
    /// Makes `cache/REPOSITORY` (a new temporary `cache` unless given). `blobName` names each file's blob from its
    /// relative path and URL; by default the path with `/` → `_` (real caches use the file's digest).
    @discardableResult
    public static func make(repository: String, commit: String, from fixture: URL, in cache: URL? = nil,
                            blobName: (String, URL) throws -> String = { relative, _ in relative.replacingOccurrences(of: "/", with: "_") })
        throws -> URL {
        let cache = try cache ?? Fixtures.temporaryDirectory()
        let repo = cache.appendingPathComponent(repository)
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)")
        let blobs = repo.appendingPathComponent("blobs")
        let fm = FileManager.default
        try fm.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try fm.createDirectory(at: blobs, withIntermediateDirectories: true)
        try fm.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data(commit.utf8).write(to: repo.appendingPathComponent("refs/main"))
        var isDirectory: ObjCBool = false
        _ = fm.fileExists(atPath: fixture.path, isDirectory: &isDirectory)
        let files: [(relative: String, url: URL)]
        if isDirectory.boolValue {
            let enumerator = fm.enumerator(at: fixture, includingPropertiesForKeys: [.isRegularFileKey])!
            files = enumerator.compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .map { (String($0.path.dropFirst(fixture.path.count + 1)), $0) }
        } else {
            files = [(fixture.lastPathComponent, fixture)]
        }
        for (relative, file) in files {
            let blob = blobs.appendingPathComponent(try blobName(relative, file))
            if !fm.fileExists(atPath: blob.path) { try fm.copyItem(at: file, to: blob) }
            let link = snapshot.appendingPathComponent(relative)
            try fm.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Relative, as huggingface_hub writes them (`../../blobs/<hash>`), so the cache can move.
            let up = String(repeating: "../", count: relative.split(separator: "/").count + 1)
            try fm.createSymbolicLink(atPath: link.path, withDestinationPath: up + "blobs/" + blob.lastPathComponent)
        }
        return cache
    }
}
