import Foundation
import Weights

/// A tiny GGUF writer for the tests: every valid and damaged GGUF file the tests read is built here (or copied from a
/// fixture with one field changed, `init(copying:)`), so no damaged binary is committed. Each field the reader validates can be overridden with a raw value.
public struct GGUFWriter {
    public struct Entry {
        public var key: [UInt8]
        public var type: UInt32
        public var payload: [UInt8]
        /// Written instead of `key.count` when set.
        public var keyLength: UInt64? = nil

        public init(key: [UInt8], type: UInt32, payload: [UInt8], keyLength: UInt64? = nil) {
            self.key = key
            self.type = type
            self.payload = payload
            self.keyLength = keyLength
        }
    }

    public struct Tensor {
        public var name: [UInt8]
        public var dimensions: [UInt64]
        public var type: UInt32
        public var data: [UInt8]
        /// Written instead of the packed, aligned offset when set (the data stays where the packing puts it).
        public var offset: UInt64? = nil

        public init(name: [UInt8], dimensions: [UInt64], type: UInt32, data: [UInt8], offset: UInt64? = nil) {
            self.name = name
            self.dimensions = dimensions
            self.type = type
            self.data = data
            self.offset = offset
        }
    }

    public init() {}

    /// Every metadata entry and tensor of `file`, in file order, to be edited and written again.
    public init(copying file: GGUFFile) {
        for key in file.metadata.keys.sorted() { set(key, file.metadata[key]!) }
        for name in file.tensorNames {
            let info = file.tensors[name]!
            tensors.append(Tensor(name: Array(name.utf8), dimensions: info.dimensions.map(UInt64.init),
                                  type: info.type.rawValue, data: Array(file.rawBytes(of: info))))
        }
    }

    /// Replaces (or with nil removes) a metadata entry.
    public mutating func replace(_ key: String, with value: GGUFValue?) {
        entries.removeAll { $0.key == Array(key.utf8) }
        if let value { set(key, value) }
    }

    public var magic: [UInt8] = Array("GGUF".utf8)
    public var version: UInt32 = 3
    /// Written instead of the real counts when set.
    public var tensorCount: UInt64?
    public var entryCount: UInt64?
    /// The padding used when writing; set `general.alignment` too when it is not 32.
    public var alignment = 32
    public var entries: [Entry] = []
    public var tensors: [Tensor] = []

    public mutating func set(_ key: String, _ value: GGUFValue) {
        entries.append(Entry(key: Array(key.utf8), type: Self.typeID(of: value), payload: Self.encode(value)))
    }

    public mutating func setRaw(_ key: String, type: UInt32, payload: [UInt8]) {
        entries.append(Entry(key: Array(key.utf8), type: type, payload: payload))
    }

    /// Adds a tensor whose data is `data`, or a deterministic pattern of the size its shape and type need.
    public mutating func addTensor(_ name: String, _ type: GGMLType, _ dimensions: [Int], data: [UInt8]? = nil) {
        let blocks = dimensions.reduce(1, *) / type.blockElements
        let bytes = data ?? (0..<blocks * type.blockBytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ tensors.count) }
        tensors.append(Tensor(name: Array(name.utf8), dimensions: dimensions.map(UInt64.init), type: type.rawValue,
                              data: bytes))
    }

    /// The packed data offset of each tensor: in order, each starting at a multiple of the alignment.
    public var packedOffsets: [Int] {
        var offsets: [Int] = []
        var next = 0
        for tensor in tensors {
            offsets.append(next)
            next = Self.padded(next + tensor.data.count, to: alignment)
        }
        return offsets
    }

    public func bytes() -> [UInt8] {
        var out = magic
        out += Self.le(version)
        out += Self.le(tensorCount ?? UInt64(tensors.count))
        out += Self.le(entryCount ?? UInt64(entries.count))
        for entry in entries {
            out += Self.le(entry.keyLength ?? UInt64(entry.key.count)) + entry.key
            out += Self.le(entry.type) + entry.payload
        }
        let offsets = packedOffsets
        for (tensor, offset) in zip(tensors, offsets) {
            out += Self.le(UInt64(tensor.name.count)) + tensor.name
            out += Self.le(UInt32(tensor.dimensions.count))
            for extent in tensor.dimensions { out += Self.le(extent) }
            out += Self.le(tensor.type) + Self.le(tensor.offset ?? UInt64(offset))
        }
        out += [UInt8](repeating: 0, count: Self.padded(out.count, to: alignment) - out.count)
        let dataStart = out.count
        // No padding after the last tensor: every shorter prefix of the file cuts into something the reader checks.
        for (tensor, offset) in zip(tensors, offsets) {
            out += [UInt8](repeating: 0, count: dataStart + offset - out.count)
            out += tensor.data
        }
        return out
    }

    public func write(to url: URL) throws -> URL {
        try Data(bytes()).write(to: url)
        return url
    }

    // MARK: - Encoding

    public static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    public static func string(_ text: String) -> [UInt8] { le(UInt64(text.utf8.count)) + Array(text.utf8) }

    public static func padded(_ value: Int, to alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }

    public static func typeID(of value: GGUFValue) -> UInt32 {
        switch value {
        case .uint8: return 0
        case .int8: return 1
        case .uint16: return 2
        case .int16: return 3
        case .uint32: return 4
        case .int32: return 5
        case .float32: return 6
        case .bool: return 7
        case .string: return 8
        case .array: return 9
        case .uint64: return 10
        case .int64: return 11
        case .float64: return 12
        }
    }

    /// The value's bytes after its type field; an array's element type comes from its first element (u8 if empty).
    public static func encode(_ value: GGUFValue) -> [UInt8] {
        switch value {
        case .uint8(let v): return le(v)
        case .int8(let v): return le(v)
        case .uint16(let v): return le(v)
        case .int16(let v): return le(v)
        case .uint32(let v): return le(v)
        case .int32(let v): return le(v)
        case .float32(let v): return le(v.bitPattern)
        case .bool(let v): return [v ? 1 : 0]
        case .string(let v): return string(v)
        case .uint64(let v): return le(v)
        case .int64(let v): return le(v)
        case .float64(let v): return le(v.bitPattern)
        case .array(let items):
            return le(items.first.map(typeID(of:)) ?? 0) + le(UInt64(items.count)) + items.flatMap(encode)
        }
    }
}
