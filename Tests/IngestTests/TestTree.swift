import Foundation
import TestSupport

/// A temporary directory tree built from a dictionary of relative paths, removed on `deinit`.
final class TestTree {
    let root: URL

    init(_ files: [String: String] = [:]) throws {
        root = try Fixtures.temporaryDirectory().resolvingSymlinksInPath()
        for (path, content) in files { try write(path, content) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    func write(_ relative: String, _ content: String) throws {
        try write(relative, bytes: Array(content.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = url(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url(relative), withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(relative).path, withDestinationPath: destination)
    }
}

/// A counter shaped like a BPE tokenizer's: two special tokens per call, one token per CJK character, about one per
/// four bytes of other words, one per punctuation mark. Not additive across joins, which is the point.
@Sendable func approximateBPE(_ text: String) -> Int {
    var tokens = 2
    var run = 0
    func endRun() { tokens += (run + 3) / 4; run = 0 }
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x9FFF, 0xAC00...0xD7AF:
            endRun(); tokens += 1
        default:
            if scalar.properties.isWhitespace { endRun() } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                run += scalar.utf8.count
            } else {
                endRun(); tokens += 1
            }
        }
    }
    endRun()
    return tokens
}

/// Whitespace-separated words: the estimate a lexical-only index might use.
@Sendable func wordCount(_ text: String) -> Int { text.split(whereSeparator: { $0.isWhitespace }).count }
