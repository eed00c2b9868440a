/// What an EPUB says about itself: where its package document is (`META-INF/container.xml`), its title and its
/// chapters in spine (reading) order, with hrefs resolved against the package document's folder and
/// percent-decoded.
struct EPUBPackage {
    struct Chapter: Equatable {
        /// The part in the archive (`OEBPS/Text/chapter%201.xhtml` → `OEBPS/Text/chapter 1.xhtml`).
        let path: String
        let mediaType: String

        /// XHTML or HTML, the only chapters with text to read (a spine may also list SVG or images).
        var isHTML: Bool {
            let lower = path.lowercased()
            return mediaType == "application/xhtml+xml" || mediaType == "text/html"
                || lower.hasSuffix(".xhtml") || lower.hasSuffix(".html") || lower.hasSuffix(".htm")
        }
    }

    /// The package document (`OEBPS/content.opf`).
    var packagePath: String
    var title: String?
    var chapters: [Chapter]
    /// Spine entries that name no manifest item.
    var unknownSpineIds: [String]

    static func read(_ zip: ZipContainer) throws -> EPUBPackage {
        let container = ContainerHandler()
        try zip.parseXML("META-INF/container.xml", into: container)
        guard let packagePath = container.packagePath.flatMap({ ZipPath.resolve($0, from: "") }) else {
            throw zip.malformed("META-INF/container.xml", "no rootfile names the package document")
        }
        let opf = PackageHandler()
        try zip.parseXML(packagePath, into: opf)
        let folder = ZipPath.folder(of: packagePath)
        var chapters: [Chapter] = [], unknown: [String] = []
        for id in opf.spine {
            guard let item = opf.manifest[id], let path = ZipPath.resolve(item.href, from: folder) else {
                unknown.append(id)
                continue
            }
            chapters.append(Chapter(path: path, mediaType: item.mediaType))
        }
        return EPUBPackage(packagePath: packagePath, title: opf.title, chapters: chapters, unknownSpineIds: unknown)
    }
}

/// `META-INF/container.xml`: the first `rootfile` of the EPUB package type (or the first at all).
private final class ContainerHandler: XMLPartHandler {
    private(set) var packagePath: String?
    private var isPackageType = false

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        guard name == "rootfile", let path = attributes["full-path"], !isPackageType else { return true }
        let type = attributes["media-type"] == "application/oebps-package+xml"
        if packagePath == nil || type {
            packagePath = path
            isPackageType = type
        }
        return true
    }
}

/// The package document: the first `dc:title`, the manifest (`item` id → href, media type) and the spine
/// (`itemref` idrefs in order).
private final class PackageHandler: XMLPartHandler {
    private(set) var title: String?
    private(set) var manifest: [String: (href: String, mediaType: String)] = [:]
    private(set) var spine: [String] = []
    private var titleText: String?

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "title": if title == nil { titleText = "" }
        case "item":
            if let id = attributes["id"], let href = attributes["href"], manifest[id] == nil {
                manifest[id] = (href, attributes["media-type"] ?? "")
            }
        case "itemref": if let id = attributes["idref"] { spine.append(id) }
        case "guide", "collection", "bindings": return false
        default: break
        }
        return true
    }

    func end(_ name: String) {
        guard name == "title", let text = titleText else { return }
        let collapsed = SectionWriter.oneLine(text)
        if !collapsed.isEmpty { title = collapsed }
        titleText = nil
    }

    func text(_ text: String) { titleText? += text }
}
