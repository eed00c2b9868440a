import Foundation

/// All tensors of a checkpoint: a single `model.safetensors`, a sharded folder described by
/// `model.safetensors.index.json`, or one explicit `.safetensors` file. Immutable once opened.
public struct WeightStore: Sendable {
    /// Human-readable origin used in error messages (the folder or file path).
    public let source: String
    private let files: [SafetensorsFile]
    private let location: [String: (file: Int, info: TensorInfo)]

    public var names: [String] { Array(location.keys) }

    public static func open(directory: URL) throws -> WeightStore {
        let fm = FileManager.default
        let single = directory.appendingPathComponent("model.safetensors").path
        let index = directory.appendingPathComponent("model.safetensors.index.json").path
        if fm.fileExists(atPath: single) {
            return try WeightStore(source: directory.path, files: [SafetensorsFile(path: single)])
        }
        if fm.fileExists(atPath: index) {
            return try openSharded(indexPath: index, directory: directory)
        }
        throw WeightsError.noWeights(directory: directory.path)
    }

    public static func open(file: URL) throws -> WeightStore {
        try WeightStore(source: file.path, files: [SafetensorsFile(path: file.path)])
    }

    private static func openSharded(indexPath: String, directory: URL) throws -> WeightStore {
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw WeightsError.unreadable(file: indexPath, reason: "cannot open the file")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let weightMap = json["weight_map"] as? [String: Any] else {
            throw WeightsError.badIndex(file: indexPath, detail: "no \"weight_map\" object")
        }
        var shardNames: [String: String] = [:]
        for (tensor, value) in weightMap {
            guard let shard = value as? String, !shard.contains("/"), !shard.isEmpty else {
                throw WeightsError.badIndex(file: indexPath, detail: "tensor '\(tensor)' maps to an invalid shard name")
            }
            shardNames[tensor] = shard
        }
        let shards = Array(Set(shardNames.values)).sorted()
        let files = try shards.map { try SafetensorsFile(path: directory.appendingPathComponent($0).path) }
        let store = try WeightStore(source: directory.path, files: files)
        for (tensor, shard) in shardNames where store.location[tensor] == nil {
            throw WeightsError.missingTensor(name: tensor, source: directory.appendingPathComponent(shard).path)
        }
        return store
    }

    private init(source: String, files: [SafetensorsFile]) throws {
        self.source = source
        self.files = files
        var location: [String: (file: Int, info: TensorInfo)] = [:]
        for (index, file) in files.enumerated() {
            for (name, info) in file.tensors {
                if let previous = location[name] {
                    throw WeightsError.badIndex(
                        file: file.path, detail: "tensor '\(name)' is also stored in \(files[previous.file].path)")
                }
                location[name] = (index, info)
            }
        }
        self.location = location
    }

    public func contains(_ name: String) -> Bool { location[name] != nil }

    public func info(_ name: String) -> TensorInfo? { location[name]?.info }

    /// The file that holds a tensor, for error messages.
    public func path(of name: String) -> String { location[name].map { files[$0.file].path } ?? source }

    /// A tensor as stored: its dtype, shape and bytes inside the memory map, which `owner` keeps alive. Nothing is
    /// copied or widened.
    public struct StoredTensor {
        public let info: TensorInfo
        public let bytes: UnsafeRawBufferPointer
        public let owner: AnyObject
    }

    /// The stored bytes of a tensor, checking its shape when `shape` is given.
    public func stored(_ name: String, shape: [Int]? = nil) throws -> StoredTensor {
        let info = try checkedInfo(name, shape: shape)
        let file = files[location[name]!.file]
        return StoredTensor(info: info, bytes: file.rawBytes(of: info), owner: file)
    }

    /// Reads a small tensor (a norm, a bias, the conv kernel) widened to Float, checking its shape when `shape` is
    /// given. Matrices are not widened: `stored(_:shape:)` gives them as they are.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let tensor = try stored(name, shape: shape)
        return [Float](unsafeUninitializedCapacity: tensor.info.elementCount) { buffer, count in
            TensorConversion.toFloat(tensor.bytes, dtype: tensor.info.dtype, into: buffer)
            count = tensor.info.elementCount
        }
    }

    private func checkedInfo(_ name: String, shape: [Int]?) throws -> TensorInfo {
        guard let (fileIndex, info) = location[name] else {
            throw WeightsError.missingTensor(name: name, source: source)
        }
        if let shape, shape != info.shape {
            throw WeightsError.wrongShape(name: name, source: files[fileIndex].path, expected: shape, actual: info.shape)
        }
        return info
    }
}
