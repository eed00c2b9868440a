/// GPT-2's byte-level alphabet (`bytes_to_unicode` in openai/gpt-2 `encoder.py`, `bytes_char` in `tokenizers`).
///
/// Every byte gets a visible character: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 and
/// up, in byte order. Vocabulary strings are written in this alphabet (`Ġ` is a space, `Ċ` a newline). Internally
/// the tokenizer works on raw UTF-8 bytes and only uses this table to translate the vocabulary once, at load time.
enum ByteLevel {
    /// `character[byte]`: the alphabet character that stands for `byte`.
    static let character: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next).unsafelyUnwrapped  // 256...323: always valid scalars
                next += 1
            }
        }
        return table
    }()

    /// `byte[scalar]` for the 324 scalars below U+0144; -1 where a scalar is not in the alphabet.
    static let byte: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (value, scalar) in character.enumerated() { table[Int(scalar.value)] = Int16(value) }
        return table
    }()

    /// The raw bytes a vocabulary string stands for, or nil when it has a character outside the alphabet
    /// (such a token can never come out of byte-level pre-tokenization).
    static func bytes(of token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard scalar.value < 0x144, case let value = byte[Int(scalar.value)], value >= 0 else { return nil }
            out.append(UInt8(value))
        }
        return out
    }

    /// The bytes the ByteLevel decoder produces for one token: the alphabet mapping when every character is in the
    /// alphabet, else the token's own UTF-8 (what `tokenizers` does for added tokens such as `<|im_end|>` or `über`).
    static func decodedBytes(of token: String) -> [UInt8] {
        bytes(of: token) ?? Array(token.utf8)
    }

    /// The alphabet spelling of raw bytes (for debugging and tests).
    static func spelling(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(character[Int(byte)]) }
        return String(text)
    }
}
