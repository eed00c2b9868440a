/// One GGUF metadata value. The cases follow the file's value types (0 u8 … 12 f64); arrays hold scalars or strings,
/// never arrays (llama.cpp refuses nested arrays, and so does `GGUFFile`).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32), float32(Float), bool(Bool)
    case string(String), array([GGUFValue]), uint64(UInt64), int64(Int64), float64(Double)

    /// Any integer that fits an `Int` (a `uint64` above `Int.max` gives nil). Floats and bools are not integers.
    public var int: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// Any number, integer or floating point.
    public var double: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .uint64(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return int.map(Double.init)
        }
    }

    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var array: [GGUFValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// The type as gguf.cpp names it ("u32", "str", "arr[i32]"), for error messages.
    public var typeName: String {
        switch self {
        case .uint8: return "u8"
        case .int8: return "i8"
        case .uint16: return "u16"
        case .int16: return "i16"
        case .uint32: return "u32"
        case .int32: return "i32"
        case .float32: return "f32"
        case .bool: return "bool"
        case .string: return "str"
        case .uint64: return "u64"
        case .int64: return "i64"
        case .float64: return "f64"
        case .array(let items): return "arr[" + (items.first?.typeName ?? "") + "]"
        }
    }
}

/// Reads GGUF's little-endian fields from the mapped bytes. Every read checks the bytes that remain first, and
/// every count is compared as a `UInt64` against what the remaining bytes could hold before it sizes anything, so
/// a damaged or hostile file ends in a `WeightsError`, never a trap or a huge allocation.
struct GGUFCursor {
    let file: String
    let base: UnsafeRawPointer
    let size: Int
    var position = 0

    /// gguf.cpp's `GGUF_MAX_STRING_LENGTH`: nothing legitimate comes close.
    static let maxStringBytes: UInt64 = 1 << 30
    /// Array elements read from one file, all arrays together. A `GGUFValue` takes 24 bytes however small its element
    /// in the file, so this bounds what a hostile file can make us allocate (≈ 400 MB) while staying far above real
    /// files: the largest tokenizers (262,144 tokens with their scores and types) need under 1 M.
    static let maxArrayElements: UInt64 = 1 << 24
    private(set) var arrayElementBudget = maxArrayElements

    var remaining: Int { size - position }

    /// `what` says where the file ended ("the value of key 'x'"); it is only built when the read fails.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard MemoryLayout<T>.size <= remaining else {
            throw WeightsError.truncated(file: file, detail: "the file ends inside \(what())")
        }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
        position += MemoryLayout<T>.size
        return value
    }

    /// A u64 length and that many bytes of UTF-8. Invalid UTF-8 is refused rather than repaired: GGUF keys, tensor
    /// names and byte-level BPE tokens are valid UTF-8, so a bad byte means a damaged file.
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining), length <= Self.maxStringBytes else {
            throw WeightsError.truncated(
                file: file, detail: "\(what()) claims a string of \(length) bytes but only \(remaining) bytes remain")
        }
        let bytes = UnsafeRawBufferPointer(start: base + position, count: Int(length))
        position += Int(length)
        // `String(decoding:)` replaces invalid sequences with U+FFFD, so the bytes come back unchanged only when they
        // were valid UTF-8 (`String(validating:)` would need macOS 15).
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count, text.utf8.elementsEqual(bytes) else {
            throw WeightsError.badGGUF(file: file, detail: "\(what()) is not valid UTF-8")
        }
        return text
    }

    /// A value of GGUF type `type` (0…12). `what` names the key for error messages.
    mutating func value(type: UInt32, _ what: @autoclosure () -> String) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try read(UInt8.self, what()))
        case 1: return .int8(try read(Int8.self, what()))
        case 2: return .uint16(try read(UInt16.self, what()))
        case 3: return .int16(try read(Int16.self, what()))
        case 4: return .uint32(try read(UInt32.self, what()))
        case 5: return .int32(try read(Int32.self, what()))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, what())))
        case 7: return .bool(try read(UInt8.self, what()) != 0)     // gguf.cpp: any non-zero byte is true
        case 8: return .string(try string(what()))
        case 9: return .array(try array(what()))
        case 10: return .uint64(try read(UInt64.self, what()))
        case 11: return .int64(try read(Int64.self, what()))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, what())))
        default:
            throw WeightsError.badGGUF(file: file, detail: "\(what()) has unknown value type \(type) (GGUF defines 0…12)")
        }
    }

    /// Bytes one element of `type` takes at least: its size, or the 8-byte length of a string.
    private static func minimumSize(of type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: return 1
        case 2, 3: return 2
        case 4, 5, 6: return 4
        case 8, 10, 11, 12: return 8
        default: return nil
        }
    }

    /// A u32 element type, a u64 count and the elements. Nested arrays are refused, as gguf.cpp does.
    private mutating func array(_ what: @autoclosure () -> String) throws -> [GGUFValue] {
        let elementType = try read(UInt32.self, what())
        let count = try read(UInt64.self, what())
        guard let minimum = Self.minimumSize(of: elementType) else {
            let kind = elementType == 9 ? "arrays, which GGUF does not allow" : "unknown value type \(elementType)"
            throw WeightsError.badGGUF(file: file, detail: "\(what()) is an array of \(kind)")
        }
        guard count <= UInt64(remaining) / UInt64(minimum) else {
            throw WeightsError.truncated(
                file: file, detail: "\(what()) claims \(count) array elements but only \(remaining) bytes remain")
        }
        guard count <= arrayElementBudget else {
            throw WeightsError.badGGUF(file: file, detail: "\(what()) has \(count) array elements, more than the "
                                       + "\(Self.maxArrayElements) Ferret reads from one file's metadata")
        }
        arrayElementBudget -= count
        var items: [GGUFValue] = []
        items.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            items.append(try value(type: elementType, what()))
        }
        return items
    }
}
