import Foundation

/// Brings an XML part to valid UTF-8 before it reaches Foundation's parser, which traps on a name that is not valid
/// UTF-8 (FoundationXML force-unwraps its strings; found by scripts/fuzz_containers.sh) and which libxml2 lets
/// through. UTF-8 parts, nearly all of them, are only validated; UTF-16 (by byte-order mark or by the `<?` pattern)
/// and the declared single-byte encodings Latin-1, Windows-1252 and ASCII are transcoded, their declaration dropped.
enum XMLEncoding {
    /// `bytes` as UTF-8, or the reason it cannot be read.
    static func utf8(_ bytes: [UInt8]) -> Result<[UInt8], XMLPart.Failure> {
        if let utf16 = utf16Encoding(bytes) {
            guard let text = String(bytes: bytes, encoding: utf16) else {
                return .failure(.init(detail: "not valid UTF-16"))
            }
            return .success(Array(droppingDeclaration(text).utf8))
        }
        let declared = declaredEncoding(bytes)?.lowercased()
        switch declared {
        case nil, "utf-8", "utf8", "us-ascii", "ascii":
            // The standard library's validation is the fast path; the offset is only looked for in a bad part.
            if String(validating: bytes, as: UTF8.self) == nil, let offset = firstInvalidUTF8(bytes) {
                return .failure(.init(detail: "not valid UTF-8 (byte offset \(offset))"))
            }
            return .success(bytes)
        case "iso-8859-1", "iso_8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
            let encoding: String.Encoding = declared?.contains("1252") == true ? .windowsCP1252 : .isoLatin1
            guard let text = String(bytes: bytes, encoding: encoding) else {
                return .failure(.init(detail: "not valid \(declared ?? "")"))
            }
            return .success(Array(droppingDeclaration(text).utf8))
        case let other?:
            return .failure(.init(detail: "unsupported encoding \(other)"))
        }
    }

    private static func utf16Encoding(_ bytes: [UInt8]) -> String.Encoding? {
        guard bytes.count >= 4 else { return nil }
        switch (bytes[0], bytes[1], bytes[2], bytes[3]) {
        case (0xFF, 0xFE, _, _), (0x3C, 0x00, 0x3F, 0x00): return .utf16LittleEndian
        case (0xFE, 0xFF, _, _), (0x00, 0x3C, 0x00, 0x3F): return .utf16BigEndian
        default: return nil
        }
    }

    /// The `encoding` pseudo-attribute of a leading `<?xml …?>` declaration.
    private static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let head = bytes[start..<min(bytes.count, start + 200)]
        guard head.starts(with: Array("<?xml".utf8)), let close = head.firstIndex(of: UInt8(ascii: ">")) else {
            return nil
        }
        let declaration = String(decoding: head[head.startIndex..<close], as: UTF8.self)
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// `text` without a leading BOM and `<?xml …?>` declaration (which would name the encoding it no longer has).
    private static func droppingDeclaration(_ text: String) -> Substring {
        var rest = Substring(text)
        if rest.first == "\u{FEFF}" { rest = rest.dropFirst() }
        if rest.hasPrefix("<?xml"), let end = rest.range(of: "?>") { rest = rest[end.upperBound...] }
        return rest
    }

    /// The byte offset of the first invalid UTF-8 sequence, or nil when all of `bytes` is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}
