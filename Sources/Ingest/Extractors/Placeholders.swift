// TEMPORARY during development of issue 10: each extractor replaces its placeholder here.
enum PDFExtractor: DocumentExtractor {
    static let name = "pdf", version = 0
    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText {
        throw IngestError.unsupportedType(file: path, detail: ".pdf (not built yet)")
    }
}
