import Foundation

/// Where one tensor lives: its dtype, shape and the bytes inside a mapped file.
public struct TensorInfo: Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// Byte range relative to the start of the file's data section.
    public let byteRange: Range<Int>
    public var elementCount: Int { shape.reduce(1, *) }
}

/// One `.safetensors` file, memory-mapped and validated once at open.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// (`{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`), then the data section.
/// `open` checks everything a damaged or hostile file can lie about before any tensor is read: the header fits the
/// file, the JSON is well formed, every dtype is known, shape × element size equals the byte range, every range lies
/// inside the data section and no two ranges overlap.
public final class SafetensorsFile: Sendable {
    public let path: String
    public let tensors: [String: TensorInfo]
    public let metadata: [String: String]
    private let mapping: MappedFile
    private let dataOffset: Int

    /// Largest header we accept; the format's own reference implementation uses the same limit.
    static let maxHeaderBytes = 100_000_000

    public init(path: String) throws {
        mapping = try MappedFile(path: path)
        self.path = path
        guard mapping.size >= 8 else {
            throw WeightsError.truncated(file: path, detail: "\(mapping.size) bytes, shorter than the 8-byte header length")
        }
        // Compared as UInt64 first: a length with its top bit set does not fit an Int.
        let rawHeaderLength = UInt64(littleEndian: mapping.base.loadUnaligned(as: UInt64.self))
        guard rawHeaderLength <= UInt64(Self.maxHeaderBytes) else {
            throw WeightsError.badHeader(file: path, detail: "header length \(rawHeaderLength) is implausibly large "
                                         + "(at most \(Self.maxHeaderBytes) bytes)")
        }
        let headerLength = Int(rawHeaderLength)
        guard 8 + headerLength <= mapping.size else {
            throw WeightsError.truncated(
                file: path, detail: "the header claims \(headerLength) bytes but the file has \(mapping.size - 8) after the length")
        }
        dataOffset = 8 + headerLength
        let headerBytes = Data(bytes: mapping.base + 8, count: headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw WeightsError.badHeader(file: path, detail: "the JSON header does not parse")
        }
        guard let entries = json as? [String: Any] else {
            throw WeightsError.badHeader(file: path, detail: "the JSON header is not an object")
        }
        let dataSize = mapping.size - dataOffset
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                for (key, item) in (value as? [String: Any]) ?? [:] { metadata[key] = item as? String }
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, file: path, dataSize: dataSize)
        }
        try Self.checkNoOverlap(Array(tensors.values), file: path)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseEntry(name: String, value: Any, file: String, dataSize: Int) throws -> TensorInfo {
        guard let entry = value as? [String: Any],
              let dtypeName = entry["dtype"] as? String,
              let shapeValues = entry["shape"] as? [Any],
              let offsetValues = entry["data_offsets"] as? [Any], offsetValues.count == 2
        else {
            throw WeightsError.badHeader(file: file, detail: "entry '\(name)' lacks dtype, shape or data_offsets")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw WeightsError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
        }
        let shape = try shapeValues.map { item -> Int in
            guard let number = item as? Int, number >= 0 else {
                throw WeightsError.badHeader(file: file, detail: "entry '\(name)' has a non-integer or negative dimension")
            }
            return number
        }
        let offsets = try offsetValues.map { item -> Int in
            guard let number = item as? Int, number >= 0 else {
                throw WeightsError.badHeader(file: file, detail: "entry '\(name)' has invalid data_offsets")
            }
            return number
        }
        guard offsets[0] <= offsets[1] else {
            throw WeightsError.badHeader(file: file, detail: "entry '\(name)' has data_offsets that end before they begin")
        }
        let (elements, overflow) = shape.reduce((1, false)) { acc, dim in
            let (product, didOverflow) = acc.0.multipliedReportingOverflow(by: dim)
            return (product, acc.1 || didOverflow)
        }
        // Both products are checked: a shape whose byte count wraps around could otherwise match a tiny range.
        let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        let byteCount = offsets[1] - offsets[0]
        if overflow || bytesOverflow || bytes != byteCount {
            throw WeightsError.sizeMismatch(file: file, tensor: name, shape: shape, dtype: dtypeName, byteCount: byteCount)
        }
        guard offsets[1] <= dataSize else {
            throw WeightsError.truncated(
                file: file, detail: "tensor '\(name)' ends at data byte \(offsets[1]) but the data section has \(dataSize) bytes")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    private static func checkNoOverlap(_ infos: [TensorInfo], file: String) throws {
        let sorted = infos.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.byteRange.lowerBound < previous.byteRange.upperBound {
            throw WeightsError.overlapping(file: file, first: previous.name, second: next.name)
        }
    }

    /// The raw bytes of a tensor, valid while this file is alive.
    public func rawBytes(of info: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mapping.base + dataOffset + info.byteRange.lowerBound, count: info.byteRange.count)
    }
}
