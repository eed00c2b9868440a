import Foundation
import Kernels

/// Wall-clock helpers shared by the benchmarks.
enum BenchClock {
    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// What every benchmark prints beside its numbers: the machine, the kernel path, the weight precision and memory.
struct BenchMachine: Encodable {
    let cpu: String
    let cpu_features: String
    let kernel_path: String
    let dtype: String
    let weight_bytes: Int
    let peak_rss_bytes: Int

    init(storage: ElementType, weightBytes: Int) {
        self.init(dtype: storage.rawValue, weightBytes: weightBytes)
    }

    init(dtype: String, weightBytes: Int) {
        cpu = CPUInfo.current.brand
        cpu_features = CPUInfo.current.featureList
        kernel_path = KernelPath.current.rawValue
        self.dtype = dtype
        weight_bytes = weightBytes
        peak_rss_bytes = BenchMachine.peakResidentBytes()
    }

    /// The process's peak resident set (getrusage's ru_maxrss is in KiB on Linux).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    /// The storage random benchmark weights get: `auto` means the official releases' BF16.
    static func storage(for precision: Precision) -> ElementType { precision.storage(for: .bf16) }

    /// The storage types of a model's matrices, most bytes first ("q4_K+q6_K" for a Q4_K_M file).
    static func storageSummary(_ matrices: [WeightMatrix]) -> String {
        var bytes: [ElementType: Int] = [:]
        for matrix in matrices { bytes[matrix.type, default: 0] += matrix.byteCount }
        return bytes.sorted { $0.value > $1.value }.map(\.key.rawValue).joined(separator: "+")
    }

    var summary: String {
        "\(cpu) [\(cpu_features)]\nkernels \(KernelPath.current.summary); weights \(dtype.uppercased()) "
            + String(format: "%.2f GB", Double(weight_bytes) / 1e9) + ", peak RSS "
            + String(format: "%.2f GB", Double(peak_rss_bytes) / 1e9)
    }
}

/// A benchmark's numbers and its `BenchMachine` as one flat JSON object.
struct BenchReport<Numbers: Encodable>: Encodable {
    let numbers: Numbers
    let machine: BenchMachine

    func encode(to encoder: Encoder) throws {
        try numbers.encode(to: encoder)
        try machine.encode(to: encoder)
    }
}
