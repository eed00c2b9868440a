import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Receives the events of one XML part from `XMLPart.parse`, element names without their namespace prefix
/// (`w:p` → `p`): the files read here use fixed vocabularies, and prefixes vary between producers.
protocol XMLPartHandler: AnyObject {
    /// An element starts. Returning false skips everything inside it, and its `end` is not reported either.
    func start(_ name: String, _ attributes: XMLAttributes) throws -> Bool
    func end(_ name: String) throws
    /// Character data, entities and CDATA decoded, possibly split into several calls.
    func text(_ text: String) throws
}

extension XMLPartHandler {
    func end(_ name: String) throws {}
    func text(_ text: String) throws {}
}

/// Thrown by a handler that has read all it needs (a row limit reached): parsing stops, without error.
struct XMLPartFinished: Error {}

/// The attributes of one element by local name: `w:val="Heading1"` is `attributes["val"]`. When a prefixed and an
/// unprefixed attribute share a local name (`<p:sldId id="256" r:id="rId2"/>`), the prefixed one wins: in the
/// vocabularies read here it is always the one that matters. Namespace declarations are left out.
struct XMLAttributes {
    private var values: [String: String] = [:]

    init(_ raw: [String: String]) {
        var unprefixed: [String: String] = [:]
        for (name, value) in raw where name != "xmlns" && !name.hasPrefix("xmlns:") {
            if let colon = name.lastIndex(of: ":") {
                values[String(name[name.index(after: colon)...])] = value
            } else {
                unprefixed[name] = value
            }
        }
        values.merge(unprefixed) { prefixed, _ in prefixed }
    }

    subscript(_ localName: String) -> String? { values[localName] }
}

/// Streams one XML part through Foundation's SAX parser into an `XMLPartHandler`.
enum XMLPart {
    /// Why a part is not well-formed XML, with its line and column (`unexpected end of data at line 3, column 9`).
    struct Failure: Error {
        let detail: String
    }

    /// Parses `bytes`, throwing `Failure` for XML that is not well formed, or whatever the handler throws.
    /// Documents that declare entities are refused: no format read here uses them, and refusing them rules out
    /// entity-expansion bombs and external entities. Text in another encoding than UTF-8 goes through
    /// `XMLEncoding` first.
    static func parse(_ bytes: [UInt8], into handler: some XMLPartHandler) throws {
        let bytes = try XMLEncoding.utf8(bytes).get()
        if contains(bytes, Array("<!ENTITY".utf8)) { throw Failure(detail: "declares XML entities (not allowed)") }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let delegate = Delegate(handler)
        parser.delegate = delegate
        let finished = parser.parse()
        if let error = delegate.error {
            if error is XMLPartFinished { return }
            throw error
        }
        // On Linux `parse()` can return true for a document that ends early, with the error only in `parserError`.
        if let error = parser.parserError ?? (finished ? nil : NSError(domain: XMLParser.errorDomain, code: 1)) {
            let code = (error as NSError).code
            throw Failure(detail: "\(describe(code)) at line \(parser.lineNumber), column \(parser.columnNumber)")
        }
        if !delegate.sawElement { throw Failure(detail: "no XML element (empty part)") }
    }

    /// Words for libxml2's most frequent error codes, as `NSXMLParserError` numbers them.
    private static func describe(_ code: Int) -> String {
        switch code {
        case 4: return "empty document"
        case 5: return "unexpected end of data"
        case 9: return "invalid character"
        case 26: return "undeclared entity"
        case 38, 39, 40, 41: return "malformed attribute"
        case 64: return "missing XML declaration end"
        case 73: return "'>' expected"
        case 76: return "mismatched end tag"
        default: return "not well-formed XML (error \(code))"
        }
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Forwards the parser's callbacks, dropping prefixes and skipped subtrees; the first error thrown by the
    /// handler stops the parse and is kept for `parse` to rethrow.
    private final class Delegate: NSObject, XMLParserDelegate {
        let handler: any XMLPartHandler
        var error: Error?
        var sawElement = false
        private var skipDepth = 0

        init(_ handler: any XMLPartHandler) { self.handler = handler }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            sawElement = true
            guard error == nil else { return }
            if skipDepth > 0 { skipDepth += 1; return }
            run(parser) { if try !self.handler.start(Self.localName(elementName), XMLAttributes(attributeDict)) {
                self.skipDepth = 1
            } }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            guard error == nil else { return }
            if skipDepth > 0 { skipDepth -= 1; return }
            run(parser) { try self.handler.end(Self.localName(elementName)) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard error == nil, skipDepth == 0 else { return }
            run(parser) { try self.handler.text(string) }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard error == nil, skipDepth == 0 else { return }
            run(parser) { try self.handler.text(String(decoding: CDATABlock, as: UTF8.self)) }
        }

        private func run(_ parser: XMLParser, _ body: () throws -> Void) {
            do { try body() } catch {
                self.error = error
                parser.abortParsing()
            }
        }

        private static func localName(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }
    }
}

extension ZipContainer {
    /// Reads the XML part at `path` and parses it into `handler`. A missing part, a damaged entry or XML that is not
    /// well formed throws `IngestError.malformed` naming the part.
    func parseXML(_ path: String, into handler: some XMLPartHandler) throws {
        try parseXML(read(path), part: path, into: handler)
    }

    /// Like `parseXML(_:into:)`, but returns false when the archive has no part at `path`.
    @discardableResult
    func parseXMLIfPresent(_ path: String, into handler: some XMLPartHandler) throws -> Bool {
        guard let bytes = try readIfPresent(path) else { return false }
        try parseXML(bytes, part: path, into: handler)
        return true
    }

    /// Parses bytes already read from the part `part`.
    func parseXML(_ bytes: [UInt8], part: String, into handler: some XMLPartHandler) throws {
        do {
            try XMLPart.parse(bytes, into: handler)
        } catch let failure as XMLPart.Failure {
            throw malformed(part, failure.detail)
        }
    }
}
