/// One `Chunker.split` call: the text's layout, its units, and the packing state.
struct ChunkRun {
    /// The smallest piece the packer moves: a sentence, a heading, a line, or part of an over-long one.
    struct Unit {
        var range: Range<Int>
        /// `countTokens(text) - overhead`: what the unit adds to a passage.
        var tokens: Int
        var block: Int
        var isHeading: Bool
        /// Part of a fenced code block (kept whole where it fits).
        var inFence: Bool
        var headingPath: [String]
    }

    let chunker: Chunker
    let layout: TextLayout
    let segmentation: Segmentation
    /// `countTokens("")`: what every call costs regardless of text (special tokens, a prefix).
    let overhead: Int
    var maxTokens: Int { chunker.maxTokens }

    init(chunker: Chunker, text: String, segmentation: Segmentation) {
        self.chunker = chunker
        self.layout = TextLayout(Array(text.utf8))
        self.segmentation = segmentation
        self.overhead = max(0, chunker.countTokens(""))
    }

    func text(_ range: Range<Int>) -> String { String(decoding: layout.bytes[range], as: UTF8.self) }

    func count(_ range: Range<Int>) -> Int { chunker.countTokens(text(range)) }

    func passages() -> [Passage] {
        let units = makeUnits()
        guard !units.isEmpty else { return [] }
        var packer = Packer(run: self, units: units)
        return packer.pack()
    }
}
