/// Counts valid multi-byte characters and invalid sequences the way `String(decoding:as:)` replaces them
/// (one U+FFFD per maximal invalid subpart).
struct UTF8Scan {
    var invalidSequences = 0
    var validMultibyte = 0
    var firstInvalidOffset = 0

    init(_ bytes: ArraySlice<UInt8>) {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count > 1 { validMultibyte += 1 }
                offset += encoded.count
            case .emptyInput:
                break loop
            case .error(let length):
                if invalidSequences == 0 { firstInvalidOffset = offset }
                invalidSequences += 1
                offset += length
            }
        }
    }
}
