import Foundation

/// The pre-tokenizer: how text between added tokens is cut into the pieces that BPE encodes one by one.
///
/// LFM2: `Sequence[Split(Llama-3 regex, Isolated), ByteLevel(add_prefix_space: false, use_regex: false)]`, i.e.
/// split with the regex, then map bytes to the byte-level alphabet (which this module does implicitly by working on
/// raw bytes). GPT-2 style files use a lone `ByteLevel(use_regex: true)`, which splits with GPT-2's regex.
struct PreTokenizer {
    enum Step {
        /// Cut with `pattern`. The known patterns match everywhere, so there is never text between matches:
        /// `Isolated` (and `Removed` with `invert`) keeps every piece, `Removed` without `invert` keeps nothing.
        case split(SplitPattern, keepsMatches: Bool)
        /// Prepend a space to every piece that lacks one, then optionally cut with GPT-2's regex.
        case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    }

    var steps: [Step] = []

    init(steps: [Step]) {
        self.steps = steps
    }

    /// `prefixSpaceOverride`: `transformers`' `PreTrainedTokenizerFast` replaces the `add_prefix_space` of a
    /// top-level pre-tokenizer (not one inside a Sequence) with tokenizer_config.json's `add_prefix_space`,
    /// false when absent. LFM2's pre-tokenizer is a Sequence, so this only matters for GPT-2 style files.
    init(_ json: JSONField?, file: URL, prefixSpaceOverride: Bool) throws {
        if let json { try append(json, prefixSpaceOverride: prefixSpaceOverride) }
        // BPE here runs on the byte-level alphabet; without a ByteLevel step the vocabulary is of another kind.
        guard case .byteLevel = steps.last else {
            throw TokenizerError.unsupported(file, component: "pre_tokenizer",
                                             found: "without a final ByteLevel step (not a byte-level BPE)")
        }
    }

    private mutating func append(_ json: JSONField, prefixSpaceOverride: Bool? = nil) throws {
        switch try json.type() {
        case "Sequence":
            for step in try json.required("pretokenizers").array() { try append(step) }
        case "ByteLevel":
            let ownSetting = try json.bool("add_prefix_space", default: true)
            steps.append(.byteLevel(addPrefixSpace: prefixSpaceOverride ?? ownSetting,
                                    useRegex: try json.bool("use_regex", default: true)))
        case "Split":
            if case .byteLevel = steps.last {
                throw TokenizerError.unsupported(json.file, component: "pre_tokenizer", found: "Split after ByteLevel")
            }
            let patternJSON = try json.required("pattern")
            guard let regex = try patternJSON["Regex"]?.string() else {
                throw TokenizerError.unsupported(json.file, component: "Split pattern",
                                                 found: "other than a known Regex")
            }
            guard let pattern = SplitPattern(regex: regex) else {
                throw TokenizerError.unsupported(json.file, component: "Split regex", found: "\"\(regex)\"")
            }
            let invert = try json.bool("invert", default: false)
            switch try json.required("behavior").string() {
            case "Isolated":
                steps.append(.split(pattern, keepsMatches: true))
            case "Removed":
                steps.append(.split(pattern, keepsMatches: invert))
            case let other:
                throw TokenizerError.unsupported(json.file, component: "Split behavior", found: "\"\(other)\"")
            }
        case let other:
            throw TokenizerError.unsupported(json.file, component: "pre_tokenizer", found: "\"\(other)\"")
        }
    }

    /// Cuts `buffer[range]` into pieces, returned as ranges of `buffer`. A step that prepends a space appends the
    /// new piece to the end of `buffer`, so earlier ranges stay valid.
    func pieces(of range: Range<Int>, in buffer: inout [UInt8], scratch: inout PreTokenizerScratch) -> [Range<Int>] {
        var current = [range]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(current.count * 4)
            switch step {
            case .split(let pattern, let keepsMatches):
                for piece in current where keepsMatches {
                    split(piece, with: pattern, buffer: buffer, into: &next, scratch: &scratch)
                }
            case .byteLevel(let addPrefixSpace, let useRegex):
                for var piece in current where !piece.isEmpty {
                    if addPrefixSpace, buffer[piece.lowerBound] != 0x20 {
                        let start = buffer.count
                        buffer.append(0x20)
                        buffer.append(contentsOf: buffer[piece])
                        piece = start..<buffer.count
                    }
                    if useRegex {
                        split(piece, with: .gpt2, buffer: buffer, into: &next, scratch: &scratch)
                    } else {
                        next.append(piece)
                    }
                }
            }
            current = next
        }
        return current
    }

    private func split(_ piece: Range<Int>, with pattern: SplitPattern, buffer: [UInt8],
                       into pieces: inout [Range<Int>], scratch: inout PreTokenizerScratch) {
        buffer.withUnsafeBufferPointer { scratch.text.load($0, piece) }
        var k = 0
        while k < scratch.text.count {
            let end = pattern.matchEnd(in: scratch.text, from: k)
            pieces.append(scratch.text.offsets[k]..<scratch.text.offsets[end])
            k = end
        }
    }
}

/// Buffers reused from piece to piece within one `encode` call.
struct PreTokenizerScratch: ~Copyable {
    var text = ScalarText()
}
