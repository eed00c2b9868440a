import Foundation
import Ingest
import Tokenizers

/// What `ferret-fuzz` can fuzz: each extractor (through `TextExtractor.extract(bytes:format:path:)`, the path every
/// document takes), text decoding, and the tokenizer (its JSON file and its encoder). A target returns normally or
/// throws; anything else — a trap, an out-of-bounds read AddressSanitizer sees, a hang — is a bug.
enum FuzzTarget: String, CaseIterable {
    case pdf, docx, pptx, xlsx, odt, odp, ods, epub, html, text
    case tokenizerJSON = "tokenizer-json"
    case tokenizerEncode = "tokenizer-encode"

    func run(_ data: [UInt8]) {
        switch self {
        case .pdf: extract(data, .pdf)
        case .docx: extract(data, .docx)
        case .pptx: extract(data, .pptx)
        case .xlsx: extract(data, .xlsx)
        case .odt: extract(data, .odt)
        case .odp: extract(data, .odp)
        case .ods: extract(data, .ods)
        case .epub: extract(data, .epub)
        case .html: extract(data, .html)
        case .text: extract(data, .plainText)
        case .tokenizerJSON: Self.loadTokenizer(json: data)
        case .tokenizerEncode:
            guard let tokenizer = Self.fixtureTokenizer else { return }
            let text = String(decoding: data, as: UTF8.self)
            let ids = tokenizer.encode(text)
            _ = tokenizer.decode(ids)
        }
    }

    private func extract(_ data: [UInt8], _ format: DocumentFormat) {
        guard let extracted = try? TextExtractor.extract(bytes: data, format: format, path: "fuzz-input") else { return }
        // Everything downstream of extraction must hold too: chunking with located sections.
        _ = Chunker(maxTokens: 64) { $0.utf8.count / 4 + 1 }.split(extracted)
    }

    /// The tokenizer folder used by the tokenizer targets: `$FERRET_FUZZ_TOKENIZER`, else the tiny LFM2 fixture.
    static let tokenizerFolder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FERRET_FUZZ_TOKENIZER"]
                                     ?? "Tests/Fixtures/lfm2-tiny")
    static let fixtureTokenizer = try? Tokenizer.load(directory: tokenizerFolder)

    /// Writes `json` as tokenizer.json beside the fixture's tokenizer_config.json and loads the folder.
    private static func loadTokenizer(json: [UInt8]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferret-fuzz-tok-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("tokenizer_config.json")
        if !FileManager.default.fileExists(atPath: config.path) {
            try? FileManager.default.copyItem(at: tokenizerFolder.appendingPathComponent("tokenizer_config.json"), to: config)
        }
        try? Data(json).write(to: folder.appendingPathComponent("tokenizer.json"))
        if let tokenizer = try? Tokenizer.load(directory: folder) {
            _ = tokenizer.decode(tokenizer.encode("Héllo wörld 日本語 <|im_start|>"))
        }
    }
}
