import Foundation

/// The parts of `stat(2)` the walker needs: what kind of thing a path is and its identity (device + inode), which is
/// how symlink loops and files reached twice are recognised.
struct FileStatus: Sendable {
    enum Kind: Sendable { case regular, directory, symlink, socket, fifo, device, other }

    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    let kind: Kind
    let identity: Identity
    let size: Int64
    let modified: Date

    /// `lstat` when `followLinks` is false (a link reports `.symlink`), `stat` otherwise. `path` is read through
    /// `PathBytes`. Fails with the system's reason (`No such file or directory`, `Permission denied`, …).
    static func of(_ path: String, followLinks: Bool) -> Result<FileStatus, SystemError> {
        var st = stat()
        // errno is read inside the closure: freeing an escaped path's buffer afterwards may change it.
        let failure: Int32? = PathBytes.withCString(path) {
            (followLinks ? stat($0, &st) : lstat($0, &st)) == 0 ? nil : errno
        }
        if let failure { return .failure(SystemError(errno: failure)) }
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFSOCK: kind = .socket
        case S_IFIFO: kind = .fifo
        case S_IFCHR, S_IFBLK: kind = .device
        default: kind = .other
        }
        #if canImport(Darwin)
        let time = st.st_mtimespec
        #else
        let time = st.st_mtim
        #endif
        let modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        return .success(FileStatus(kind: kind, identity: Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)),
                                   size: Int64(st.st_size), modified: modified))
    }
}

/// An `errno` with its text, e.g. "Permission denied".
struct SystemError: Error, CustomStringConvertible, Sendable {
    let errno: Int32
    var description: String { String(cString: strerror(errno)) }
}

/// Lists a directory's entry names (without `.` and `..`), or the system's reason it cannot. Names that are not
/// valid UTF-8 come back escaped (`PathBytes`), so joined to `path` they still name their file.
func directoryEntries(_ path: String) -> Result<[String], SystemError> {
    let (opened, failure) = PathBytes.withCString(path) { name in
        let dir = opendir(name)
        return (dir, dir == nil ? errno : 0)
    }
    guard let dir = opened else { return .failure(SystemError(errno: failure)) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
            let chars = UnsafeRawPointer(field).assumingMemoryBound(to: CChar.self)
            let bytes = UnsafeRawPointer(field).assumingMemoryBound(to: UInt8.self)
            return PathBytes.string(fromRaw: UnsafeBufferPointer(start: bytes, count: strlen(chars)))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return .success(names)
}

/// Why the process may not read `path` (`access(2)` with `R_OK`, through `PathBytes`), or nil when it may.
func readAccessError(_ path: String) -> SystemError? {
    PathBytes.withCString(path) { access($0, R_OK) == 0 ? nil : SystemError(errno: errno) }
}
