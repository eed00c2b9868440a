import Foundation
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer entry point for `GGUFFile`, compiled together with Sources/Weights/*.swift by scripts/fuzz_gguf.sh.
// Each input is written to a file and opened the way Ferret opens a model; whatever the reader accepts is then read
// through its public API (every tensor's bytes, every key through every typed accessor), so a wrong bound shows up
// as a crash here rather than later in a model load. Thrown errors are the expected outcome for most inputs.

/// One scratch file per fuzzing process (`-jobs`/`-workers` run several).
private let inputPath = FileManager.default.temporaryDirectory
    .appendingPathComponent("ferret-fuzz-gguf-\(getpid()).gguf").path

/// Keeps the reads of tensor bytes from being optimised away.
nonisolated(unsafe) private var sink: UInt8 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write \(inputPath)")
    var written = 0
    while written < size, let data {
        let count = write(fd, data + written, size - written)
        precondition(count > 0, "cannot write \(inputPath)")
        written += count
    }
    close(fd)

    guard let file = try? GGUFFile(path: inputPath) else { return 0 }
    for name in file.tensorNames {
        let info = file.tensors[name]!
        let bytes = file.rawBytes(of: info)
        precondition(bytes.count == info.byteCount && info.offset % file.alignment == 0)
        for byte in bytes { sink ^= byte }
        sink ^= UInt8(truncatingIfNeeded: info.elementCount)
    }
    for key in file.metadata.keys {
        _ = try? file.string(key)
        _ = try? file.int(key)
        _ = try? file.double(key)
        _ = try? file.bool(key)
        _ = try? file.strings(key)
        _ = try? file.ints(key)
        _ = file.value(key)?.typeName
    }
    return 0
}
