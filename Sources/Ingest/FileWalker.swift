import Foundation

/// Finds the text documents under a set of roots.
///
/// - Directories are walked recursively; files come out sorted by path (bytewise), skipped entries in walk order.
/// - Names starting with `.` are skipped unless `includeHidden`; `.gitignore` and `.ferretignore` files at every level
///   apply with git's rules (`IgnoreRule`), relative to their own directory. Ignore files above a root (in the git
///   repository around it) and git's global excludes are not read.
/// - Symbolic links are followed (unless `followSymlinks` is off) but a directory is entered at most once, by device
///   and inode, so link loops terminate; a file reached twice (links, hard links, overlapping roots) is listed once,
///   under its own path rather than a symlink's when it is reached both ways.
/// - A root that names a file is taken even if hidden or ignored, as long as Ferret can read its type.
/// - Everything not taken is reported in `skipped` with a reason; a skipped directory is one entry.
public enum FileWalker {
    /// Walks `roots` in the order given. Never throws: problems become `skipped` entries.
    public static func walk(_ roots: [URL], options: IngestOptions) -> (files: [DiscoveredFile], skipped: [SkippedFile]) {
        var walk = Walk(options: options)
        for root in roots { walk.visitRoot(root.standardizedFileURL) }
        let files = walk.files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return (files, walk.skipped)
    }
}

/// The mutable state of one `FileWalker.walk` call.
private struct Walk {
    let options: IngestOptions
    var files: [DiscoveredFile] = []
    var skipped: [SkippedFile] = []
    /// Directories entered and files taken, by identity, with the path they were first seen at.
    var seenDirectories: [FileStatus.Identity: String] = [:]
    var seenFiles: [FileStatus.Identity: (index: Int, viaLink: Bool)] = [:]

    /// The configured include patterns; a root that is itself a file is taken whatever they say.
    let includeRules: [IgnoreRule]
    var isRootFile = false

    init(options: IngestOptions) {
        self.options = options
        includeRules = options.include.compactMap { IgnoreRule(line: Substring($0), origin: "include") }
    }

    mutating func visitRoot(_ root: URL) {
        let path = root.path
        switch FileStatus.of(path, followLinks: true) {
        case .failure(let error):
            let kind: SkippedFile.Kind = error.errno == ENOENT ? .missing : .unreadable
            skip(path, "cannot be opened: \(error); check the path", kind)
        case .success(let status) where status.kind == .directory:
            enterDirectory(root, relative: [], status: status,
                           ignores: IgnoreStack(configured: options.exclude, origin: "the configured exclude patterns"),
                           viaLink: false)
        case .success(let status):
            isRootFile = true
            consider(root, relative: [root.lastPathComponent], status: status, viaLink: false)
            isRootFile = false
        }
    }

    /// Walks one directory whose own entry has already passed the hidden/ignore checks.
    mutating func enterDirectory(_ url: URL, relative: [String], status: FileStatus, ignores: IgnoreStack,
                                 viaLink: Bool) {
        if let first = seenDirectories[status.identity] {
            let kind: SkippedFile.Kind = viaLink ? .symlinkLoop : .duplicate
            skip(url.path, "directory already walked as \(first)\(viaLink ? " (symbolic link loop)" : "")", kind)
            return
        }
        seenDirectories[status.identity] = url.path
        let names: [String]
        switch directoryEntries(url.path) {
        case .failure(let error):
            skip(url.path, "directory cannot be read: \(error); check its permissions", .unreadable)
            return
        case .success(let list):
            names = list.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        let ignores = ignores.entering(directory: url, depth: relative.count,
                                       displayPath: relative.joined(separator: "/"))
        for name in names {
            let child = url.appendingPathComponent(name)
            if name.hasPrefix(".") && !options.includeHidden {
                // The ignore files were read as the walk's configuration, not skipped.
                if !IgnoreStack.fileNames.contains(name) { skip(child.path, "hidden (name starts with '.')", .hidden) }
                continue
            }
            var entry: FileStatus
            var viaLink = false
            switch FileStatus.of(child.path, followLinks: false) {
            case .failure(let error):
                skip(child.path, "cannot be read: \(error)", .unreadable)
                continue
            case .success(let status):
                entry = status
            }
            if entry.kind == .symlink {
                guard options.followSymlinks else {
                    skip(child.path, "symbolic link (not followed)", .symlinkNotFollowed)
                    continue
                }
                switch FileStatus.of(child.path, followLinks: true) {
                case .failure(let error):
                    skip(child.path, "symbolic link whose target cannot be reached: \(error)", .brokenSymlink)
                    continue
                case .success(let target):
                    if let confinement = options.confinement, !confinement.containsOnDisk(child.path) {
                        skip(child.path, "symbolic link to a place outside the allowed folders", .outsideRoots)
                        continue
                    }
                    entry = target
                    viaLink = true
                }
            }
            let childRelative = relative + [name]
            let components = childRelative.map { Substring($0) }
            if let rule = ignores.ignoringRule(for: components, isDirectory: entry.kind == .directory) {
                skip(child.path, "ignored by `\(rule.text)` (\(rule.origin))", .ignored)
                continue
            }
            if entry.kind == .directory {
                enterDirectory(child, relative: childRelative, status: entry, ignores: ignores, viaLink: viaLink)
            } else {
                consider(child, relative: childRelative, status: entry, viaLink: viaLink)
            }
        }
    }

    /// Takes a non-directory if it is a regular file of a supported type, small enough, readable and new.
    mutating func consider(_ url: URL, relative: [String], status: FileStatus, viaLink: Bool) {
        let path = url.path
        switch status.kind {
        case .regular: break
        case .socket: return skip(path, "socket, not a file", .specialFile)
        case .fifo: return skip(path, "named pipe (FIFO), not a file", .specialFile)
        case .device: return skip(path, "device node, not a file", .specialFile)
        case .directory, .symlink, .other: return skip(path, "not a regular file", .specialFile)
        }
        if options.excludedPaths.contains(path) {
            return skip(path, "Ferret's own index file", .ignored)
        }
        if !includeRules.isEmpty, !isRootFile,
           !includeRules.contains(where: { $0.matches(relative.map { Substring($0) }[...], isDirectory: false) }) {
            return skip(path, "not matched by the configured include patterns", .ignored)
        }
        let format = DocumentFormat(fileName: url.lastPathComponent)
        guard format != nil || options.extractorCommands[url.pathExtension.lowercased()] != nil else {
            let ext = url.pathExtension.isEmpty ? "(no extension)" : "." + url.pathExtension
            return skip(path, IngestError.unsupportedType(file: path, detail: ext).reason, .unsupportedType)
        }
        if status.size > Int64(options.maxFileBytes) {
            let error = IngestError.tooLarge(file: path, size: status.size, limit: options.maxFileBytes)
            return skip(path, error.reason, .tooLarge)
        }
        if let error = readAccessError(path) {
            return skip(path, "cannot be read: \(error); check its permissions", .unreadable)
        }
        let file = DiscoveredFile(path: path, relativePath: relative.joined(separator: "/"), size: status.size,
                                  modified: status.modified, format: format)
        if let first = seenFiles[status.identity] {
            let listed = files[first.index]
            guard first.viaLink && !viaLink else {
                return skip(path, "same file as \(listed.path) (already listed)", .duplicate)
            }
            // Prefer the file's own path to a symbolic link's.
            files[first.index] = file
            seenFiles[status.identity] = (first.index, false)
            return skip(listed.path, "same file as \(path) (listed under that path)", .duplicate)
        }
        seenFiles[status.identity] = (files.count, viaLink)
        files.append(file)
    }

    mutating func skip(_ path: String, _ reason: String, _ kind: SkippedFile.Kind) {
        skipped.append(SkippedFile(path: path, reason: reason, kind: kind))
    }
}
