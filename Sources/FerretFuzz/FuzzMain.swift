import Foundation

#if FUZZING
// libFuzzer calls this for every input; the target comes from $FERRET_FUZZ_TARGET (scripts/fuzz.sh sets it).
nonisolated(unsafe) private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FERRET_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set FERRET_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver (from `libclang_rt.fuzzer_no_main`, which scripts/fuzz.sh links).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point under the name SwiftPM links as `main` (it renames executables' entry points so
/// they can be tested): hands the command line to libFuzzer's driver.
@_cdecl("ferret_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Without the fuzzer: replays inputs (`ferret-fuzz TARGET FILE…`), e.g. the crashes kept under
/// Tests/Fixtures/fuzz/, so a fixed crash stays fixed.
@main struct FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: ferret-fuzz TARGET FILE…; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
            exit(2)
        }
        for file in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                exit(1)
            }
            target.run([UInt8](data))
            print("ok \(file)")
        }
    }
}
#endif
