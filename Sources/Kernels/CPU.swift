import CKernels
import Foundation

/// What the processor offers, read once from CPUID (with the OS's register-state support checked).
public struct CPUInfo: Sendable {
    public let brand: String
    public let features: UInt32

    public static let current: CPUInfo = {
        var buffer = [CChar](repeating: 0, count: 49)
        ck_cpu_brand(&buffer)
        let brand = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        return CPUInfo(brand: brand.isEmpty ? "unknown x86-64" : brand, features: ck_cpu_features())
    }()

    public func has(_ flag: UInt32) -> Bool { features & flag == flag }

    /// The SIMD extensions that matter to Ferret's kernels, e.g. "avx2 fma f16c avx512f avx512bf16 avx512vnni".
    public var featureList: String {
        let names: [(UInt32, String)] = [
            (UInt32(CK_CPU_AVX2), "avx2"), (UInt32(CK_CPU_FMA), "fma"), (UInt32(CK_CPU_F16C), "f16c"),
            (UInt32(CK_CPU_AVX512F), "avx512f"), (UInt32(CK_CPU_AVX512BW), "avx512bw"), (UInt32(CK_CPU_AVX512VL), "avx512vl"),
            (UInt32(CK_CPU_AVX512BF16), "avx512bf16"), (UInt32(CK_CPU_AVX512VNNI), "avx512vnni"),
            (UInt32(CK_CPU_AVX512FP16), "avx512fp16"), (UInt32(CK_CPU_AMX_BF16), "amx-bf16"),
        ]
        return names.filter { has($0.0) }.map(\.1).joined(separator: " ")
    }
}

/// The instruction set the kernels use, best first. Chosen once at start from CPUID; `FERRET_KERNEL_PATH`
/// (`scalar`, `avx2`, `avx512`, `avx512bf16`) forces a lower one, to compare paths or to run the portable fallback.
public enum KernelPath: String, CaseIterable, Sendable {
    case scalar
    case avx2
    case avx512
    case avx512bf16

    var c: ck_path {
        switch self {
        case .scalar: return CK_PATH_SCALAR
        case .avx2: return CK_PATH_AVX2
        case .avx512: return CK_PATH_AVX512
        case .avx512bf16: return CK_PATH_AVX512BF16
        }
    }

    /// Whether this CPU (and OS) can run the path.
    public func isSupported(by cpu: CPUInfo = .current) -> Bool {
        switch self {
        case .scalar: return true
        case .avx2: return cpu.has(UInt32(CK_CPU_AVX2 | CK_CPU_FMA | CK_CPU_F16C))
        case .avx512: return KernelPath.avx2.isSupported(by: cpu)
            && cpu.has(UInt32(CK_CPU_AVX512F | CK_CPU_AVX512BW | CK_CPU_AVX512VL))
        case .avx512bf16: return KernelPath.avx512.isSupported(by: cpu) && cpu.has(UInt32(CK_CPU_AVX512BF16))
        }
    }

    /// Every path this machine can run, for tests.
    public static var supported: [KernelPath] { allCases.filter { $0.isSupported() } }

    /// The path every kernel call uses unless told otherwise.
    public static let current: KernelPath = {
        let best = supported.last!
        guard let forced = ProcessInfo.processInfo.environment["FERRET_KERNEL_PATH"], !forced.isEmpty else { return best }
        guard let path = KernelPath(rawValue: forced.lowercased()), path.isSupported() else {
            FileHandle.standardError.write(Data(
                "warning: FERRET_KERNEL_PATH=\(forced) is not a supported path here (\(supported.map(\.rawValue).joined(separator: ", "))); using \(best.rawValue)\n".utf8))
            return best
        }
        return path
    }()

    /// What the matrix products of each storage type run on this path, for benchmarks and logs.
    public var summary: String {
        switch self {
        case .avx512bf16: return "avx512bf16 (BF16 GEMM vdpbf16ps, GEMV avx512f)"
        case .avx512: return "avx512 (GEMV avx512f, GEMM widened to F32 + OpenBLAS)"
        case .avx2: return "avx2 (GEMV avx2/f16c, GEMM widened to F32 + OpenBLAS)"
        case .scalar: return "scalar (portable C, GEMM widened to F32 + OpenBLAS)"
        }
    }
}
