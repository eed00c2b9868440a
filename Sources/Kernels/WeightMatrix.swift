import CKernels
import Foundation

/// How the elements of a weight matrix are stored. New storage types (GGUF's q8_0, q4_k…) are new cases here with
/// their kernels in `LinearAlgebra+Weights.swift`; model code never asks which one it has.
public enum ElementType: String, Sendable, CaseIterable {
    case f32
    case f16
    case bf16

    public var byteSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }
}

/// The precision a command runs its model at (`--dtype`).
public enum Precision: String, Sendable, CaseIterable {
    /// The stored precision: BF16 checkpoints run BF16 kernels, F32 ones F32, F16 ones F16.
    case auto
    /// Everything widened to F32 at load (exact; the slowest and largest).
    case f32
    /// BF16 weights; F32 and F16 checkpoints are rounded to BF16 at load.
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

    public var byteCount: Int { rows * cols * type.byteSize }

    /// A view of `rows × cols` elements at `base`, valid while `owner` lives. Misaligned data is copied.
    public init(rows: Int, cols: Int, type: ElementType, viewing base: UnsafeRawPointer, owner: AnyObject) {
        self.rows = rows
        self.cols = cols
        self.type = type
        if Int(bitPattern: base) % type.byteSize == 0 {
            self.base = base
            self.owner = owner
            allocation = nil
        } else {
            let copy = UnsafeMutableRawPointer.allocate(byteCount: max(rows * cols * type.byteSize, 1), alignment: 64)
            copy.copyMemory(from: base, byteCount: rows * cols * type.byteSize)
            self.base = UnsafeRawPointer(copy)
            self.owner = nil
            allocation = copy
        }
    }

    /// Allocates uninitialised storage and lets `fill` write it.
    public init(rows: Int, cols: Int, type: ElementType, fill: (UnsafeMutableRawPointer) throws -> Void) rethrows {
        self.rows = rows
        self.cols = cols
        self.type = type
        let bytes = max(rows * cols * type.byteSize, 1)
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

    /// This matrix in `target` storage: itself when it already is, else a converted copy (F32 → BF16 rounds to
    /// nearest even; anything → F32 is exact; F16 → BF16 goes through F32).
    public func converted(to target: ElementType) -> WeightMatrix {
        if target == type { return self }
        let count = rows * cols
        return WeightMatrix(rows: rows, cols: cols, type: target) { memory in
            switch target {
            case .f32:
                readFloats(from: 0, count: count, into: memory.assumingMemoryBound(to: Float.self))
            case .bf16:
                let out = memory.assumingMemoryBound(to: UInt16.self)
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
            case .f16:
                preconditionFailure("conversion to F16 storage is never requested")
            }
        }
    }

    /// Row `r` widened to F32 (an embedding lookup).
    @inline(__always)
    public func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        readFloats(from: r * cols, count: cols, into: out)
    }

    /// `count` consecutive elements from element `start`, widened to F32.
    public func readFloats(from start: Int, count: Int, into out: UnsafeMutablePointer<Float>,
                           path: KernelPath = .current) {
        switch type {
        case .f32: out.update(from: base.assumingMemoryBound(to: Float.self) + start, count: count)
        case .bf16: ck_bf16_to_f32(base.assumingMemoryBound(to: UInt16.self) + start, out, count, path.c)
        case .f16: ck_f16_to_f32(base.assumingMemoryBound(to: UInt16.self) + start, out, count, path.c)
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
