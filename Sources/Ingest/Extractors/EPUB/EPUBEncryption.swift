/// `META-INF/encryption.xml`: which parts of an EPUB are encrypted. Font obfuscation (the IDPF and Adobe algorithms
/// that only scramble embedded fonts) does not count; anything else covering a chapter is DRM.
enum EPUBEncryption {
    /// The algorithms that obfuscate fonts, not content.
    static let fontObfuscation: Set<String> = ["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"]

    /// The parts (resolved from the archive root) encrypted by something other than font obfuscation.
    static func encryptedParts(_ zip: ZipContainer) throws -> Set<String> {
        let handler = EncryptionHandler()
        try zip.parseXMLIfPresent("META-INF/encryption.xml", into: handler)
        return handler.encrypted
    }
}

/// `<EncryptedData><EncryptionMethod Algorithm="…"/>…<CipherReference URI="…"/></EncryptedData>`.
private final class EncryptionHandler: XMLPartHandler {
    private(set) var encrypted: Set<String> = []
    private var algorithm: String?
    private var references: [String] = []

    func start(_ name: String, _ attributes: XMLAttributes) -> Bool {
        switch name {
        case "EncryptedData": algorithm = nil; references = []
        case "EncryptionMethod": if algorithm == nil { algorithm = attributes["Algorithm"] }
        case "CipherReference": if let uri = attributes["URI"] { references.append(uri) }
        case "KeyInfo": return false
        default: break
        }
        return true
    }

    func end(_ name: String) {
        guard name == "EncryptedData" else { return }
        if let algorithm, EPUBEncryption.fontObfuscation.contains(algorithm) { return }
        for uri in references { if let path = ZipPath.resolve(uri, from: "") { encrypted.insert(path) } }
    }
}
