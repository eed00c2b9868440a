/// A row-major block of Floats with a fixed shape, allocated once.
///
/// Used for weights (never written after load) and for per-sequence scratch and caches (written only by the one
/// sequence that owns them). `@unchecked Sendable`: weights are immutable after init; scratch is never shared.
public final class Matrix: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    public let data: UnsafeMutablePointer<Float>
    public var count: Int { rows * cols }

    /// Zero-filled.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows
        self.cols = cols
        data = .allocate(capacity: max(rows * cols, 1))
        data.initialize(repeating: 0, count: max(rows * cols, 1))
    }

    public convenience init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "matrix \(rows)x\(cols) given \(values.count) values")
        self.init(rows: rows, cols: cols)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { data.deallocate() }

    /// Pointer to the first element of row `r`.
    @inline(__always) public func row(_ r: Int) -> UnsafeMutablePointer<Float> { data + r * cols }

    public func toArray() -> [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
}
