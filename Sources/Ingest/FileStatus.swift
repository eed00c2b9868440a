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

    /// `lstat` when `followLinks` is false (a link reports `.symlink`), `stat` otherwise.
    /// Throws the system's reason (`No such file or directory`, `Permission denied`, …) as a string.
    static func of(_ path: String, followLinks: Bool) -> Result<FileStatus, SystemError> {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { return .failure(SystemError(errno: errno)) }
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

/// Lists a directory's entry names (without `.` and `..`), or the system's reason it cannot.
func directoryEntries(_ path: String) -> Result<[String], SystemError> {
    guard let dir = opendir(path) else { return .failure(SystemError(errno: errno)) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return .success(names)
}
