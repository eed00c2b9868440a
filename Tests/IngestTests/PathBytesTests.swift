import Foundation
import Testing
@testable import Ingest

/// File names that are not valid UTF-8: the mapping itself, and the walker and the extractor using it.
@Suite("PathBytes")
struct PathBytesTests {
    /// SplitMix64: reproducible random bytes without Foundation's unseeded generator.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A random file name: no NUL, no '/', built from pieces likely to break a mapping — stray high bytes, valid
    /// characters of every length, characters inside and next to the escape range, truncated sequences.
    static func randomName(_ rng: inout SeededGenerator) -> [UInt8] {
        var name: [UInt8] = []
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                var byte = UInt8.random(in: 1...255, using: &rng)
                if byte == 0x2F { byte = 0x2E }
                name.append(byte)
            case 1: name.append(UInt8.random(in: 0x80...0xFF, using: &rng))
            case 2:
                let scalar = Unicode.Scalar(UInt32.random(in: 0x80...0xFFFF, using: &rng)) ?? "é"
                name += Array(String(scalar).utf8)
            case 3:
                let scalar = Unicode.Scalar(UInt32.random(in: 0xF700...0xF8FF, using: &rng))!
                name += Array(String(scalar).utf8)
            case 4: name += Array("🌊".utf8).prefix(Int.random(in: 1...3, using: &rng))   // truncated 4-byte
            default: name += Array("name.txt".utf8)
            }
        }
        return name
    }

    @Test func roundTripsRandomByteStrings() {
        var rng = SeededGenerator(state: 20_241_110)
        for _ in 0..<20_000 {
            let bytes = Self.randomName(&rng)
            let string = PathBytes.string(fromRaw: bytes)
            #expect(PathBytes.raw(string) == bytes, "\(bytes)")
            // The string is canonical: mapping its bytes again gives it back.
            #expect(PathBytes.string(fromRaw: PathBytes.raw(string)) == string)
            // Valid UTF-8 without escape-range characters is its own string.
            let plain = String(validating: bytes, as: UTF8.self)
            if let plain, !plain.unicodeScalars.contains(where: { PathBytes.escapes.contains($0.value) }) {
                #expect(string == plain)
                #expect(!PathBytes.hasEscapes(string))
            } else {
                #expect(PathBytes.hasEscapes(string), "\(bytes)")
            }
            let cString = PathBytes.withCString(string) { Array(UnsafeBufferPointer(start: $0, count: strlen($0))) }
            #expect(cString.map { UInt8(bitPattern: $0) } == bytes)
        }
    }

    @Test func ordinaryNamesAreUnchanged() {
        for name in ["notes.md", "Grüße/日本語.txt", "emoji 🌊.md", "\u{F700}\u{F77F} below the escapes", ""] {
            #expect(PathBytes.string(fromRaw: Array(name.utf8)) == name)
            #expect(PathBytes.raw(name) == Array(name.utf8))
            #expect(PathBytes.display(name) == name)
        }
    }

    @Test func escapesAndDisplay() {
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)
        let name = PathBytes.string(fromRaw: latin1)
        #expect(name == "caf\u{F7E9}.txt")
        #expect(PathBytes.display(name) == "caf\\xE9.txt")
        // A real character from the escape range is escaped byte by byte, so it cannot be mistaken for an escape.
        let real = PathBytes.string(fromRaw: Array("a\u{F7E9}".utf8))
        #expect(real == "a\u{F7EF}\u{F79F}\u{F7A9}")
        #expect(PathBytes.display(real) == "a\\xEF\\x9F\\xA9")
        // Control characters are shown, not sent to the terminal.
        #expect(PathBytes.display("bad\u{1B}[2Jname\n\u{9B}") == "bad\\x1B[2Jname\\x0A\\u{9B}")
    }

    /// Creates `relative` (bytes, not UTF-8) under `tree` with `open(2)`, as another program would have.
    func createRaw(_ tree: TestTree, _ relative: [UInt8], contents: String) throws {
        let path = Array(tree.root.path.utf8) + [0x2F] + relative + [0]
        let fd = path.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644) }
        }
        try #require(fd >= 0, "cannot create the test file: \(String(cString: strerror(errno)))")
        defer { close(fd) }
        let written = Array(contents.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try #require(written == contents.utf8.count)
    }

    func mkdirRaw(_ tree: TestTree, _ relative: [UInt8]) throws {
        let path = Array(tree.root.path.utf8) + [0x2F] + relative + [0]
        let rc = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        try #require(rc == 0)
    }

    @Test func walkerAndExtractorReachALatin1Name() throws {
        let tree = try TestTree(["plain.md": "plain"])
        let cafe: [UInt8] = Array("caf".utf8) + [0xE9]
        try createRaw(tree, cafe + Array(".txt".utf8), contents: "Le café du coin.\n")
        try mkdirRaw(tree, Array("r".utf8) + [0xE9, 0x73, 0x75, 0x6D, 0xE9])          // "résumé" in Latin-1
        try createRaw(tree, Array("r".utf8) + [0xE9, 0x73, 0x75, 0x6D, 0xE9] + Array("/inside.md".utf8),
                      contents: "# Inside\n")
        // An ignore file inside the Latin-1 directory is read; its UTF-8 "é" is not the Latin-1 byte of the name.
        try createRaw(tree, Array("r".utf8) + [0xE9, 0x73, 0x75, 0x6D, 0xE9] + Array("/.gitignore".utf8),
                      contents: "skip\u{E9}.md\ninside.txt\n")
        try createRaw(tree, Array("r".utf8) + [0xE9, 0x73, 0x75, 0x6D, 0xE9] + Array("/skip".utf8) + [0xE9]
                      + Array(".md".utf8), contents: "kept\n")

        let result = FileWalker.walk([tree.root], options: IngestOptions())
        #expect(result.skipped.isEmpty, "\(result.skipped)")
        let shown = result.files.map { PathBytes.display($0.relativePath) }
        #expect(shown == ["caf\\xE9.txt", "plain.md", "r\\xE9sum\\xE9/inside.md", "r\\xE9sum\\xE9/skip\\xE9.md"])

        let file = try #require(result.files.first)
        #expect(PathBytes.raw(file.path) == Array(tree.root.path.utf8) + [0x2F] + cafe + Array(".txt".utf8))
        #expect(file.format == .plainText)
        #expect(file.size == Int64("Le café du coin.\n".utf8.count))
        let doc = try TextExtractor.extract(URL(fileURLWithPath: file.path), maxBytes: 1_000)
        #expect(doc.text == "Le café du coin.\n")
        let inside = try TextExtractor.extract(URL(fileURLWithPath: result.files[2].path), maxBytes: 1_000)
        #expect(inside.title == "Inside")
    }

    @Test func ignorePatternsWithRawBytesMatchRawNames() throws {
        let tree = try TestTree(["keep.md": "k"])
        try createRaw(tree, Array("draft".utf8) + [0xE9] + Array(".md".utf8), contents: "d")
        // A Latin-1 .gitignore naming the Latin-1 file: the same bytes, so it matches.
        let pattern = Array("draft".utf8) + [0xE9] + Array(".md\n".utf8)
        try tree.write(".gitignore", bytes: pattern)
        let result = FileWalker.walk([tree.root], options: IngestOptions())
        #expect(result.files.map(\.relativePath) == ["keep.md"])
        #expect(result.skipped.map { PathBytes.display(URL(fileURLWithPath: $0.path).lastPathComponent) }
                == ["draft\\xE9.md"])
    }

    @Test func extractorCommandGetsAPathItCanOpen() throws {
        let tree = try TestTree()
        try createRaw(tree, Array("caf".utf8) + [0xE9] + Array(".rtf".utf8), contents: "via a command\n")
        let file = tree.root.path + "/" + PathBytes.string(fromRaw: Array("caf".utf8) + [0xE9] + Array(".rtf".utf8))
        var options = IngestOptions()
        options.extractorCommands = ["rtf": "cat {path}"]
        let doc = try TextExtractor.extract(URL(fileURLWithPath: file), options: options)
        #expect(doc.text == "via a command\n")
    }
}
