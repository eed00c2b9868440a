/// Recognises an OLE compound file (Microsoft's "structured storage"), the container of legacy Office 97–2003 files
/// and of password-protected OOXML: Office encrypts a DOCX/PPTX/XLSX into an `EncryptedPackage` stream of a compound
/// file, so an encrypted `.docx` is not a ZIP at all.
enum OLECompoundFile {
    /// D0 CF 11 E0 A1 B1 1A E1, the first 8 bytes of every compound file.
    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func hasSignature(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// Whether the file names an `EncryptedPackage` stream: directory entries hold names in UTF-16LE, so a byte
    /// search finds it without parsing the sector chains.
    static func hasEncryptedPackage(_ bytes: [UInt8]) -> Bool {
        let needle = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
