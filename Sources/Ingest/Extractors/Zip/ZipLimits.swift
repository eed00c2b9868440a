/// How much reading one ZIP container (DOCX, ODT, EPUB…) may decompress, so that a ZIP bomb, a small file whose parts
/// inflate to gigabytes, is refused before it is expanded rather than exhausting memory.
///
/// A part is refused when its declared size exceeds its share (the rest of `maxTotalBytes`, and `maxRatio` times its
/// compressed size unless it is under `ratioExemptBytes`), and while inflating as soon as it produces more than it
/// declared, so a part that lies about its size is stopped too.
struct ZipLimits: Sendable, Equatable {
    /// Most decompressed bytes read from one container, all parts together.
    var maxTotalBytes: Int
    /// Most a part may expand relative to its compressed size. Office XML compresses 5–30×; 100× leaves room for
    /// repetitive spreadsheets while refusing the 1000× and more of a bomb.
    var maxRatio: Int
    /// Parts that decompress to at most this many bytes are never refused for their ratio: tiny XML parts of
    /// repeated markup compress far better than 100×.
    var ratioExemptBytes: Int

    /// 200 MB in all, 100× per part above 1 MB.
    static let standard = ZipLimits(maxTotalBytes: 200_000_000, maxRatio: 100, ratioExemptBytes: 1_000_000)
}
