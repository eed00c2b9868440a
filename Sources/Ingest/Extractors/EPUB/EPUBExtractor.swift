/// EPUB e-books: the chapters of the spine in reading order, one section each, located `.chapter(n)` where n counts
/// the chapters that have text (a cover image page takes no number). Each XHTML chapter is read by
/// `XHTMLChapter`; the title is the package's `dc:title`. A book whose chapters `META-INF/encryption.xml` lists as
/// encrypted (DRM; font obfuscation does not count) is a skip, `IngestError.noText`.
enum EPUBExtractor: DocumentExtractor {
    static let name = "epub", version = 1

    static func extract(bytes: [UInt8], format: DocumentFormat, path: String) throws -> StructuredText {
        let zip = try ZipContainer(bytes: bytes, file: path, format: format)
        let package = try EPUBPackage.read(zip)
        let encrypted = try EPUBEncryption.encryptedParts(zip)
        if package.chapters.contains(where: { encrypted.contains($0.path) }) {
            throw IngestError.noText(file: path, reason: "DRM-protected e-book (META-INF/encryption.xml encrypts its "
                + "chapters); only DRM-free EPUBs can be indexed")
        }
        var warnings: [String] = []
        if !package.unknownSpineIds.isEmpty {
            warnings.append("\(package.packagePath): the spine names \(package.unknownSpineIds.count) item(s) missing "
                + "from the manifest (\(package.unknownSpineIds.prefix(3).joined(separator: ", ")))")
        }
        var sections: [StructuredText.Section] = []
        var missing: [String] = []
        for chapter in package.chapters where chapter.isHTML {
            guard let bytes = try zip.readIfPresent(chapter.path) else {
                missing.append(chapter.path)
                continue
            }
            let text = XHTMLChapter.text(bytes)
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            sections.append(.init(location: .chapter(sections.count + 1), text: text))
        }
        if !missing.isEmpty {
            warnings.append("\(missing.count) chapter(s) listed in the spine are missing from the archive "
                + "(\(missing.prefix(3).joined(separator: ", ")))")
        }
        return StructuredText(title: package.title, sections: sections, warnings: warnings)
    }
}
