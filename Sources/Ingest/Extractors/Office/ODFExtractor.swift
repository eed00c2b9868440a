/// OpenDocument: Writer (ODT), Impress (ODP) and Calc (ODS) files, read natively from `content.xml`
/// (`ODFContentHandler`), with the title from `meta.xml`. A password-protected document (its `content.xml` listed
/// with encryption data in `META-INF/manifest.xml`) is a skip, `IngestError.noText`.
enum ODFExtractor: DocumentExtractor {
    static let name = "odf", version = 1

    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText {
        guard format == .odt || format == .odp || format == .ods else {
            throw IngestError.unsupportedType(file: path, detail: "\(format.displayName) (not an OpenDocument format)")
        }
        let zip = try ZipContainer(bytes: bytes, file: path, format: format)
        let manifest = ODFManifestHandler()
        try zip.parseXMLIfPresent("META-INF/manifest.xml", into: manifest)
        if manifest.encryptedPaths.contains("content.xml") {
            throw IngestError.noText(file: path, reason: "password-protected \(format.displayName) file; remove the "
                + "password to index it")
        }
        var warnings: [String] = []
        let title = try zip.dublinCoreTitle("meta.xml", warnings: &warnings)
        let content = ODFContentHandler(format: format)
        try zip.parseXML("content.xml", into: content)
        content.finish()
        return StructuredText(title: title, sections: content.sections, warnings: warnings + content.warnings)
    }
}

/// `META-INF/manifest.xml`: the parts that carry `manifest:encryption-data`, i.e. are encrypted with a password.
private final class ODFManifestHandler: XMLPartHandler {
    private(set) var encryptedPaths: Set<String> = []
    private var entry: String?

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "file-entry": entry = attributes["full-path"]
        case "encryption-data": if let entry { encryptedPaths.insert(entry) }
        default: break
        }
        return true
    }

    func end(_ name: String) {
        if name == "file-entry" { entry = nil }
    }
}
