import Foundation

/// Where one GGUF tensor lives: its ggml type, its shape in ggml order and its bytes in the data section.
public struct GGUFTensorInfo: Sendable {
    public let name: String
    public let type: GGMLType
    /// ggml `ne` order, innermost first: a PyTorch `[out, in]` matrix is `[in, out]` here, with the same bytes.
    public let dimensions: [Int]
    /// From the start of the file's data section; a multiple of the file's alignment.
    public let offset: Int
    public let byteCount: Int
    public var elementCount: Int { dimensions.reduce(1, *) }
}

/// One GGUF file (versions 2 and 3, little-endian), memory-mapped and validated once at open.
///
/// Layout: magic "GGUF", u32 version, u64 tensor count, u64 metadata count; the metadata (string key, u32 value type,
/// value); the tensor infos (string name, u32 n_dims, n_dims × u64 ne, u32 ggml type, u64 offset); padding to
/// `general.alignment` (default 32); the data section. `init` checks everything a damaged or hostile file can lie
/// about before anything is read through it: every count and length against the bytes that remain (as `UInt64`,
/// before it becomes an `Int` or sizes an array), value and tensor types, UTF-8, duplicate keys and names, the
/// alignment, each tensor's shape (1…4 dimensions, rows a whole number of blocks, element and byte counts without
/// overflow), offsets aligned and inside the file, and no two tensors overlapping. The rules follow llama.cpp's
/// `gguf.cpp`, except that tensors need not be packed in file order (only non-overlapping) and 0 dimensions is refused.
public final class GGUFFile: Sendable {
    public let path: String
    public let version: Int
    public let metadata: [String: GGUFValue]
    public let tensors: [String: GGUFTensorInfo]
    /// Tensor names in file order.
    public let tensorNames: [String]
    public let alignment: Int
    private let mapping: MappedFile
    /// Where the data section starts in the file.
    private let dataOffset: Int

    static let magic: UInt32 = 0x4655_4747          // "GGUF" read as a little-endian u32
    static let defaultAlignment = 32
    static let maxDimensions: UInt32 = 4            // GGML_MAX_DIMS
    /// The smallest a metadata entry can be (8-byte key length, 1 byte of key, u32 type, 1-byte value) and a tensor
    /// info (8-byte name length, 1 byte of name, u32 n_dims, one u64 ne, u32 type, u64 offset).
    static let minimumEntryBytes: UInt64 = 8 + 1 + 4 + 1
    static let minimumTensorInfoBytes: UInt64 = 8 + 1 + 4 + 8 + 4 + 8
    /// Far above real files (a few dozen keys, a few thousand tensors), low enough that a lying header cannot make
    /// the dictionaries below take gigabytes.
    static let maxCount: UInt64 = 1 << 20

    /// The object that keeps `rawBytes(of:)` valid: the file itself.
    public var owner: AnyObject { self }

    public init(path: String) throws {
        mapping = try MappedFile(path: path)
        self.path = path
        var cursor = GGUFCursor(file: path, base: mapping.base, size: mapping.size)

        let magic = try cursor.read(UInt32.self, "the 4-byte magic")
        guard magic == Self.magic else {
            throw WeightsError.notGGUF(file: path, magic: Self.describe(magic: magic))
        }
        let version = try cursor.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw WeightsError.unsupportedGGUFVersion(file: path, version: version)
        }
        self.version = Int(version)
        let tensorCount = try cursor.read(UInt64.self, "the tensor count")
        let entryCount = try cursor.read(UInt64.self, "the metadata count")
        // Each count alone is bounded first, so the sum below cannot overflow.
        let room = UInt64(cursor.remaining)
        guard entryCount <= room / Self.minimumEntryBytes, tensorCount <= room / Self.minimumTensorInfoBytes,
              entryCount * Self.minimumEntryBytes + tensorCount * Self.minimumTensorInfoBytes <= room else {
            throw WeightsError.truncated(file: path, detail: "the header claims \(tensorCount) tensors and "
                                         + "\(entryCount) metadata entries, more than the remaining \(room) bytes can hold")
        }
        guard tensorCount <= Self.maxCount, entryCount <= Self.maxCount else {
            throw WeightsError.badGGUF(file: path, detail: "the header claims \(tensorCount) tensors and \(entryCount) "
                                       + "metadata entries; Ferret reads at most \(Self.maxCount) of each")
        }

        let metadata = try Self.readMetadata(&cursor, count: Int(entryCount))
        let alignment = try Self.alignment(in: metadata, file: path)
        var tensors: [String: GGUFTensorInfo] = [:]
        var infos: [GGUFTensorInfo] = []              // in file order
        tensors.reserveCapacity(Int(tensorCount))
        infos.reserveCapacity(Int(tensorCount))
        for index in 0..<Int(tensorCount) {
            let name = try cursor.string("the name of tensor #\(index)")
            guard tensors[name] == nil else {
                throw WeightsError.badGGUFTensor(file: path, tensor: name, detail: "appears twice in the tensor list")
            }
            let info = try Self.readTensorInfo(&cursor, name: name, alignment: alignment)
            tensors[name] = info
            infos.append(info)
        }

        // The data section starts at the next multiple of the alignment (≤ 2^31, so this cannot overflow).
        let dataStart = (cursor.position + alignment - 1) / alignment * alignment
        if tensorCount > 0, dataStart > mapping.size {
            throw WeightsError.truncated(
                file: path, detail: "the file ends at byte \(mapping.size), before its data section at byte \(dataStart)")
        }
        dataOffset = min(dataStart, mapping.size)
        let dataSize = mapping.size - dataOffset
        for info in infos where info.offset > dataSize || info.byteCount > dataSize - info.offset {
            throw WeightsError.truncated(
                file: path, detail: "tensor '\(info.name)' ends at data byte \(UInt64(info.offset) + UInt64(info.byteCount)) "
                    + "but the data section has \(dataSize) bytes")
        }
        try Self.checkNoOverlap(infos, file: path)
        self.metadata = metadata
        self.alignment = alignment
        self.tensors = tensors
        self.tensorNames = infos.map(\.name)
    }

    private static func readMetadata(_ cursor: inout GGUFCursor, count: Int) throws -> [String: GGUFValue] {
        var metadata: [String: GGUFValue] = [:]
        metadata.reserveCapacity(count)
        for index in 0..<count {
            let key = try cursor.string("metadata key #\(index)")
            guard !key.isEmpty else {
                throw WeightsError.badGGUF(file: cursor.file, detail: "metadata key #\(index) is empty")
            }
            guard metadata[key] == nil else {
                throw WeightsError.badGGUF(file: cursor.file, detail: "metadata key '\(key)' appears twice")
            }
            let type = try cursor.read(UInt32.self, "key '\(key)'")
            metadata[key] = try cursor.value(type: type, "key '\(key)'")
        }
        return metadata
    }

    /// `general.alignment` must be a u32 power of two, as gguf.cpp requires; 32 when absent.
    private static func alignment(in metadata: [String: GGUFValue], file: String) throws -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard case .uint32(let alignment) = value, alignment != 0, alignment & (alignment - 1) == 0 else {
            let found = value.int.map { "\(value.typeName) \($0)" } ?? value.typeName
            throw WeightsError.badGGUF(
                file: file, detail: "key 'general.alignment' is \(found); it must be a u32 power of two")
        }
        return Int(alignment)
    }

    private static func readTensorInfo(_ cursor: inout GGUFCursor, name: String, alignment: Int) throws -> GGUFTensorInfo {
        let file = cursor.file
        let rank = try cursor.read(UInt32.self, "tensor '\(name)'")
        guard rank >= 1, rank <= maxDimensions else {
            throw WeightsError.badGGUFTensor(file: file, tensor: name, detail: "has \(rank) dimensions; GGUF allows 1 to 4")
        }
        var dimensions: [Int] = []
        for _ in 0..<rank {
            // ggml stores ne as int64_t: a value with the top bit set is negative there.
            let extent = try cursor.read(UInt64.self, "tensor '\(name)'")
            guard extent <= UInt64(Int64.max) else {
                throw WeightsError.badGGUFTensor(file: file, tensor: name, detail: "has a dimension of \(extent)")
            }
            dimensions.append(Int(extent))
        }
        let typeID = try cursor.read(UInt32.self, "tensor '\(name)'")
        guard let type = GGMLType(rawValue: typeID) else {
            throw WeightsError.unknownGGMLType(file: file, tensor: name, id: typeID)
        }
        let rawOffset = try cursor.read(UInt64.self, "tensor '\(name)'")

        var elements = 1
        for extent in dimensions {
            let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw WeightsError.badGGUFTensor(
                    file: file, tensor: name, detail: "has shape \(dimensions), whose element count overflows")
            }
            elements = product
        }
        guard dimensions[0] % type.blockElements == 0 else {
            throw WeightsError.badGGUFTensor(
                file: file, tensor: name, detail: "has rows of \(dimensions[0]) elements, not a multiple of the "
                    + "\(type.name) block of \(type.blockElements)")
        }
        // Whole rows are whole blocks, so the division is exact.
        let (byteCount, overflow) = (elements / type.blockElements).multipliedReportingOverflow(by: type.blockBytes)
        guard !overflow else {
            throw WeightsError.badGGUFTensor(
                file: file, tensor: name, detail: "has shape \(dimensions) of \(type.name), whose byte count overflows")
        }
        guard rawOffset % UInt64(alignment) == 0 else {
            throw WeightsError.badGGUFTensor(
                file: file, tensor: name, detail: "starts at data offset \(rawOffset), not a multiple of the alignment \(alignment)")
        }
        guard rawOffset <= UInt64(Int.max) else {
            throw WeightsError.truncated(file: file, detail: "tensor '\(name)' starts at data offset \(rawOffset), past the end")
        }
        return GGUFTensorInfo(name: name, type: type, dimensions: dimensions, offset: Int(rawOffset), byteCount: byteCount)
    }

    private static func checkNoOverlap(_ infos: [GGUFTensorInfo], file: String) throws {
        let sorted = infos.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.offset < previous.offset + previous.byteCount {
            throw WeightsError.overlapping(file: file, first: previous.name, second: next.name)
        }
    }

    /// The first four bytes as text when they are printable ASCII, else in hex.
    private static func describe(magic: UInt32) -> String {
        let bytes = withUnsafeBytes(of: magic.littleEndian) { Array($0) }
        if bytes.allSatisfy({ (0x20..<0x7F).contains($0) }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return "bytes " + bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    /// The stored bytes of a tensor of this file, valid while the file (`owner`) is alive.
    public func rawBytes(of info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(info.offset >= 0 && info.byteCount >= 0 && info.offset <= mapping.size - dataOffset - info.byteCount,
                     "tensor '\(info.name)' does not belong to \(path)")
        return UnsafeRawBufferPointer(start: mapping.base + dataOffset + info.offset, count: info.byteCount)
    }
}

// MARK: - Typed metadata

extension GGUFFile {
    /// The value of an optional key.
    public func value(_ key: String) -> GGUFValue? { metadata[key] }

    public func string(_ key: String) throws -> String {
        try required(key, as: "str") { $0.string }
    }

    /// Any integer type whose value fits an `Int`.
    public func int(_ key: String) throws -> Int {
        try required(key, as: "an integer that fits Int") { $0.int }
    }

    /// Any numeric type, integer or floating point.
    public func double(_ key: String) throws -> Double {
        try required(key, as: "a number") { $0.double }
    }

    public func bool(_ key: String) throws -> Bool {
        try required(key, as: "bool") { $0.bool }
    }

    /// An array of strings (a scalar string is not accepted).
    public func strings(_ key: String) throws -> [String] {
        try required(key, as: "arr[str]") { value in
            guard let items = value.array else { return nil }
            let strings = items.compactMap(\.string)
            return strings.count == items.count ? strings : nil
        }
    }

    /// An array of integers of any integer type (a scalar is not accepted: per-layer keys such as
    /// `lfm2.attention.head_count_kv` may be either, and the caller decides what a scalar means).
    public func ints(_ key: String) throws -> [Int] {
        try required(key, as: "an array of integers") { value in
            guard let items = value.array else { return nil }
            let ints = items.compactMap(\.int)
            return ints.count == items.count ? ints : nil
        }
    }

    private func required<T>(_ key: String, as expected: String, _ convert: (GGUFValue) -> T?) throws -> T {
        guard let value = metadata[key] else {
            throw WeightsError.missingMetadata(file: path, key: key)
        }
        guard let converted = convert(value) else {
            throw WeightsError.wrongMetadataType(file: path, key: key, expected: expected, actual: value.typeName)
        }
        return converted
    }
}
