import Foundation

/// A lossless mapping between the raw bytes of a path and a Swift `String`, so a file whose name is not valid UTF-8
/// (a Latin-1 `café` copied from an old disk, a Shift_JIS name from a zip) can still be opened, indexed and shown.
///
/// Unix file names are bytes; Swift strings are Unicode. `String(cString:)` replaces invalid bytes with U+FFFD,
/// after which the string no longer names the file. Instead, as Python's "surrogateescape" does with lone
/// surrogates (which a Swift `String` cannot hold), every byte that is not part of a valid UTF-8 sequence becomes
/// the private-use character U+F700 + byte. Such bytes are always 0x80 or more, so the escapes are U+F780…U+F7FF.
///
/// - A name that is valid UTF-8 and contains no character of U+F780…U+F7FF is its own string: ordinary names are
///   untouched.
/// - A name that does contain one of those characters has each of its three UTF-8 bytes escaped, so that the
///   escapes are never ambiguous: `raw(string(fromRaw: bytes)) == bytes` for every byte string.
/// - `raw` reads any string this way. Strings made by `string(fromRaw:)` are canonical: a string whose escapes
///   happen to spell valid UTF-8 (U+F7C3 U+F7A9 for "é") names the same bytes as the canonical one but is not equal
///   to it.
///
/// Every file-system call Ferret makes on documents goes through `withCString`; names read from the system go
/// through `string(fromRaw:)` (from `argv` too: `CommandLine.arguments` has already replaced bad bytes);
/// terminals get `display`. Foundation's own file APIs (`FileManager`, `Data(contentsOf:)`) encode escapes as UTF-8
/// and miss the file.
///
/// Swift's `==` on strings is canonical equivalence: "é" precomposed and "e" + combining accent are equal strings but
/// different names on disk. Where a path is an identity (a dictionary key, a database row), compare `.utf8`.
public enum PathBytes {
    /// The escape of byte `b` is U+F700 + b; only bytes 0x80…0xFF are ever escaped.
    static let escapeBase: UInt32 = 0xF700
    static let escapes: ClosedRange<UInt32> = 0xF780...0xF7FF

    /// The string for raw path bytes (a file name from `readdir`, a path from `argv`). No NUL expected.
    public static func string<Bytes: Collection>(fromRaw bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        var needsEscapes = false
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        // The fast path: valid UTF-8 without a character in the escape range is taken as is.
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if escapes.contains(Unicode.UTF8.decode(encoded).value) { needsEscapes = true; break loop }
            case .error:
                needsEscapes = true
                break loop
            case .emptyInput:
                break loop
            }
        }
        guard needsEscapes else { return String(decoding: bytes, as: UTF8.self) }

        parser = Unicode.UTF8.ForwardParser()
        iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if escapes.contains(scalar.value) {
                    for byte in encoded { scalars.append(escape(byte)) }
                } else {
                    scalars.append(scalar)
                }
                offset = bytes.index(offset, offsetBy: encoded.count)
            case .error(let length):
                let end = bytes.index(offset, offsetBy: length)
                for byte in bytes[offset..<end] { scalars.append(escape(byte)) }
                offset = end
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The raw bytes `path` names, without a terminating NUL: each escape character becomes its byte, everything
    /// else its UTF-8.
    public static func raw(_ path: String) -> [UInt8] {
        guard hasEscapes(path) else { return Array(path.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return bytes
    }

    /// Calls `body` with the path's raw bytes as a NUL-terminated C string, for `open`, `stat`, `opendir`… Ordinary
    /// paths are passed without copying.
    public static func withCString<Result>(_ path: String,
                                           _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        guard hasEscapes(path) else { return try path.withCString(body) }
        let bytes = raw(path).map { CChar(bitPattern: $0) } + [0]
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// The path for a terminal or a log: each escaped byte as `\xHH` (`caf\xE9.txt`), and control characters too
    /// (a name holding an escape sequence must not drive the terminal): C0 and DEL as `\xHH`, C1 as `\u{HH}`.
    /// For people, not for opening the file.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { escapes.contains($0.value) || isControl($0) }) else { return path }
        var shown = ""
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                shown += "\\x" + hex(UInt8(scalar.value - escapeBase))
            } else if scalar.value >= 0x80 && isControl(scalar) {
                shown += "\\u{" + hex(UInt8(scalar.value)) + "}"
            } else if isControl(scalar) {
                shown += "\\x" + hex(UInt8(scalar.value))
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Whether `path` names bytes that are not its UTF-8 (it holds escapes), i.e. it cannot be handed as is to
    /// anything outside Ferret that takes a path as text (an external program's arguments, Foundation's file APIs).
    public static func hasEscapes(_ path: String) -> Bool {
        // U+F780…U+F7FF is EF 9E 80…EF 9F BF in UTF-8.
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if previous == 0xEF && (byte == 0x9E || byte == 0x9F) { return true }
            previous = byte
        }
        return false
    }

    private static func escape(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(escapeBase + UInt32(byte))!
    }

    /// C0, DEL and C1 controls.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Two upper-case hex digits.
    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// Whether something exists at `path` (a dangling symbolic link counts: `lstat`).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return withCString(path) { lstat($0, &st) } == 0
    }
}
