import CKernels
import Foundation

/// How the elements of a weight matrix are stored: dense F32/F16/BF16, or one of llama.cpp's GGUF block formats
/// (a block of 32 or 256 elements with its own scales, e.g. Q4_0: 32 weights in 18 bytes). The kernels of each type
/// are chosen in `LinearAlgebra+Weights.swift`; model code never asks which one it has.
public enum ElementType: String, Sendable, CaseIterable {
    case f32
    case f16
    case bf16
    case q8_0
    case q4_0
    case q4_1
    case q5_0
    case q5_1
    case q4_K
    case q5_K
    case q6_K

    /// Elements per block: 32 (Q4_0 … Q8_0), 256 (the K types), 1 for the dense types.
    public var blockElements: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1: return 32
        case .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes per block (the element size for the dense types), as in ggml-common.h.
    public var blockBytes: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q8_0: return 34
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        }
    }

    /// A GGUF block format (as opposed to one value per element).
    public var isQuantized: Bool { blockElements > 1 }

    /// Bytes of a row of `cols` elements (a multiple of `blockElements`).
    public func rowBytes(cols: Int) -> Int { cols / blockElements * blockBytes }

    /// ggml's type id, which the C kernels take.
    var ggml: ck_type {
        switch self {
        case .f32: return CK_TYPE_F32
        case .f16: return CK_TYPE_F16
        case .bf16: return CK_TYPE_BF16
        case .q8_0: return CK_TYPE_Q8_0
        case .q4_0: return CK_TYPE_Q4_0
        case .q4_1: return CK_TYPE_Q4_1
        case .q5_0: return CK_TYPE_Q5_0
        case .q5_1: return CK_TYPE_Q5_1
        case .q4_K: return CK_TYPE_Q4_K
        case .q5_K: return CK_TYPE_Q5_K
        case .q6_K: return CK_TYPE_Q6_K
        }
    }
}

/// The precision a command runs its model at (`--dtype`).
public enum Precision: String, Sendable, CaseIterable {
    /// The stored precision: BF16 checkpoints run BF16 kernels, F32 ones F32, F16 ones F16, GGUF blocks their own.
    case auto
    /// Everything widened to F32 at load (exact; the slowest and largest).
    case f32
    /// BF16 weights; F32, F16 and quantised checkpoints are rounded to BF16 at load.
    case bf16

    /// The storage a tensor stored as `stored` gets.
    public func storage(for stored: ElementType) -> ElementType {
        switch self {
        case .auto: return stored
        case .f32: return .f32
        case .bf16: return .bf16
        }
    }
}

/// An immutable `[rows, cols]` row-major weight matrix at its storage precision: either a view into memory someone
/// else keeps alive (a memory-mapped checkpoint, held through `owner`), or memory this object allocated.
/// `@unchecked Sendable`: the elements are never written after init.
public final class WeightMatrix: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    public let type: ElementType
    public let base: UnsafeRawPointer
    private let owner: AnyObject?
    private let allocation: UnsafeMutableRawPointer?

    public var byteCount: Int { rows * type.rowBytes(cols: cols) }

    /// A view of `rows × cols` elements at `base`, valid while `owner` lives. Dense data misaligned for its element
    /// is copied; quantised blocks need only 2-byte alignment (GGUF aligns tensor data to 32 bytes).
    public init(rows: Int, cols: Int, type: ElementType, viewing base: UnsafeRawPointer, owner: AnyObject) {
        precondition(cols % type.blockElements == 0, "\(type) weight with \(cols) columns: not whole blocks of \(type.blockElements)")
        self.rows = rows
        self.cols = cols
        self.type = type
        let bytes = rows * type.rowBytes(cols: cols)
        if Int(bitPattern: base) % (type.isQuantized ? 2 : type.blockBytes) == 0 {
            self.base = base
            self.owner = owner
            allocation = nil
        } else {
            let copy = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            copy.copyMemory(from: base, byteCount: bytes)
            self.base = UnsafeRawPointer(copy)
            self.owner = nil
            allocation = copy
        }
    }

    /// Allocates uninitialised storage and lets `fill` write it.
    public init(rows: Int, cols: Int, type: ElementType, fill: (UnsafeMutableRawPointer) throws -> Void) rethrows {
        precondition(cols % type.blockElements == 0, "\(type) weight with \(cols) columns: not whole blocks of \(type.blockElements)")
        self.rows = rows
        self.cols = cols
        self.type = type
        let bytes = max(rows * type.rowBytes(cols: cols), 1)
        // Large matrices on 2 MiB pages where the kernel allows it: decode streams them, and fewer TLB misses help.
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= 1 << 21 ? 1 << 21 : 64)
        if bytes >= 1 << 21 { madvise(memory, bytes, MADV_HUGEPAGE) }
        do { try fill(memory) } catch { memory.deallocate(); throw error }
        base = UnsafeRawPointer(memory)
        owner = nil
        allocation = memory
    }

    /// An F32 matrix holding `values`.
    public convenience init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "weight \(rows)x\(cols) given \(values.count) values")
        self.init(rows: rows, cols: cols, type: .f32) { memory in
            values.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
    }

    deinit { allocation?.deallocate() }

    /// This matrix in `target` storage (F32 or BF16): itself when it already is, else a converted copy (anything → F32
    /// is exact; F32 → BF16 rounds to nearest even; F16 and quantised blocks → BF16 go through F32).
    public func converted(to target: ElementType) -> WeightMatrix {
        if target == type { return self }
        precondition(target == .f32 || target == .bf16, "conversion to \(target) storage is never requested")
        let count = rows * cols
        return WeightMatrix(rows: rows, cols: cols, type: target) { memory in
            if target == .f32 {
                readFloats(from: 0, count: count, into: memory.assumingMemoryBound(to: Float.self))
                return
            }
            let out = memory.assumingMemoryBound(to: UInt16.self)
            if type.isQuantized {
                ck_dequantize_bf16(type.ggml, base, out, count, KernelPath.current.c)
                return
            }
            let chunk = 1 << 16
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: chunk)
            defer { buffer.deallocate() }
            var start = 0
            while start < count {
                let n = min(chunk, count - start)
                readFloats(from: start, count: n, into: buffer)
                ck_f32_to_bf16(buffer, out + start, n, KernelPath.current.c)
                start += n
            }
        }
    }

    /// Row `r` widened to F32 (an embedding lookup).
    @inline(__always)
    public func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        readFloats(from: r * cols, count: cols, into: out)
    }

    /// `count` consecutive elements from element `start`, widened (or dequantised) to F32. For quantised storage
    /// both are multiples of `type.blockElements`.
    public func readFloats(from start: Int, count: Int, into out: UnsafeMutablePointer<Float>,
                           path: KernelPath = .current) {
        switch type {
        case .f32: out.update(from: base.assumingMemoryBound(to: Float.self) + start, count: count)
        case .bf16: ck_bf16_to_f32(base.assumingMemoryBound(to: UInt16.self) + start, out, count, path.c)
        case .f16: ck_f16_to_f32(base.assumingMemoryBound(to: UInt16.self) + start, out, count, path.c)
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K:
            precondition(start % type.blockElements == 0 && count % type.blockElements == 0,
                         "\(type) read of \(count) elements from \(start): not whole blocks")
            ck_dequantize(type.ggml, base + start / type.blockElements * type.blockBytes, out, count, path.c)
        }
    }

    /// For a view into a memory-mapped file: drops its pages from this process's resident memory (they stay in the
    /// page cache and fault back in if touched again). `ask` does this to the encoder before the generator runs, so
    /// the two models' weights are never resident together. Owned memory is left alone.
    public func releaseResidentPages() {
        guard owner != nil else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + byteCount) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        madvise(pointer, end - start, MADV_DONTNEED)
    }

    /// Every element widened to F32, for tests and small tensors.
    public func toFloats() -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * cols) { buffer, initialised in
            readFloats(from: 0, count: rows * cols, into: buffer.baseAddress!)
            initialised = rows * cols
        }
    }
}
