/// Which `DocumentExtractor` reads each container format.
enum ExtractorRegistry {
    static func extractor(for format: DocumentFormat) -> (any DocumentExtractor.Type)? {
        switch format {
        case .pdf: return PDFExtractor.self
        case .docx, .pptx, .xlsx: return OOXMLExtractor.self
        case .odt, .odp, .ods: return ODFExtractor.self
        case .epub: return EPUBExtractor.self
        case .plainText, .markdown, .restructuredText, .html, .json, .csv, .source: return nil
        }
    }
}
