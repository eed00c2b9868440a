import Foundation
import ZIPFoundation

// libFuzzer entry point for the ZIP-based extractors (`OOXMLExtractor`, `ODFExtractor`, `EPUBExtractor`), compiled
// together with Sources/Ingest by scripts/fuzz_containers.sh.
//
// The first byte selects the format (its low 7 bits modulo 7: docx, pptx, xlsx, odt, odp, ods, epub) and the mode:
// - high bit clear: the rest is the file itself, which exercises the ZIP reader (`ZipContainer`);
// - high bit set: the rest is a list of parts separated by NUL bytes, each `name\ncontent`, which this entry packs
//   into a valid stored ZIP first, so that mutations reach the XML parts and their handlers instead of failing the
//   CRC check.
// Any `IngestError` is an expected outcome; a trap, a sanitizer report, a timeout or another error type is a bug.

private let formats: [DocumentFormat] = [.docx, .pptx, .xlsx, .odt, .odp, .ods, .epub]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContainers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let format = formats[Int(data[0] & 0x7F) % formats.count]
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] & 0x80 == 0 ? rest : packParts(rest)
    guard let extractor = ExtractorRegistry.extractor(for: format) else { return 0 }
    do {
        let structured = try extractor.extract(bytes: bytes, format: format, path: "fuzz")
        _ = structured.assemble(format: format, contentHash: "", extractor: extractor.identity)
    } catch is IngestError {
    } catch {
        preconditionFailure("\(format): not an IngestError: \(error)")
    }
    return 0
}

/// `name\ncontent` parts separated by NUL bytes, as a ZIP archive of stored entries.
private func packParts(_ bytes: [UInt8]) -> [UInt8] {
    guard let archive = try? Archive(accessMode: .create) else { return [] }
    for part in bytes.split(separator: 0, omittingEmptySubsequences: true) {
        let newline = part.firstIndex(of: 0x0A) ?? part.endIndex
        let name = String(decoding: part[part.startIndex..<newline], as: UTF8.self)
        let content = Data(part[Swift.min(newline + 1, part.endIndex)...])
        // ZIPFoundation stores a name's length in 16 bits (and traps beyond); real part names are short.
        guard !name.isEmpty, name.utf8.count <= 1_024 else { continue }
        try? archive.addEntry(with: name, type: .file, uncompressedSize: Int64(content.count)) { position, size in
            content.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
    return [UInt8](archive.data ?? Data())
}
