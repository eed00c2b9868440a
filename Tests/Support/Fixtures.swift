import Foundation

/// Locates the committed reference fixtures (written by scripts/make_fixtures.py) and reads them.
public enum Fixtures {
    /// `Tests/Fixtures`, found relative to this source file so tests run from any working directory.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    public static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    public static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(type, from: data(name))
    }

    /// A little-endian float32 array written with numpy's `tofile`.
    public static func floats(_ name: String) throws -> [Float] {
        let bytes = try data(name)
        return bytes.withUnsafeBytes { raw in
            (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    /// The repository root (for running the built binary and scripts).
    public static let repositoryRoot: URL = directory.deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferret-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
