import Foundation

// Writes a long text-only PDF shaped like a software manual, for scripts/bench_pdf.sh: a running header with the
// chapter name, a footer "Page n of N", paragraphs of lines about 88 characters wide (45 lines, some 550 words a
// page) set apart by space or by a first-line indent, long words hyphenated at line ends. Compiled with
// Tests/Support/MinimalPDF.swift.
//
//   make_manual_pdf <out.pdf> [pages]

@main
enum MakeManualPDF {
    static let vocabulary = """
        the index stores passages and their vectors so that a query finds the nearest ones quickly while the \
        extractor reads documents of many formats configuration options control how folders are walked and which \
        files are ignored a passage never crosses a page boundary tokenizer encoder retrieval performance \
        installation requirements repository command interface operation synchronisation measurement \
        documentation transaction incremental reindexing administrator permission directory
        """.split(separator: " ").map(String.init)

    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: make_manual_pdf <out.pdf> [pages]\n".utf8))
            exit(2)
        }
        let pageCount = arguments.count >= 3 ? Int(arguments[2]) ?? 300 : 300
        var random = Generator()
        let pages = (1...pageCount).map { number in
            MinimalPDF.page(body(&random), header: "Ferret Reference Manual — Chapter \((number - 1) / 20 + 1)",
                            footer: "Page \(number) of \(pageCount)", leading: 13.5)
        }
        let pdf = MinimalPDF(pages: pages, title: "Ferret Reference Manual")
        guard FileManager.default.createFile(atPath: arguments[1], contents: Data(pdf.bytes())) else {
            FileHandle.standardError.write(Data("cannot write \(arguments[1])\n".utf8))
            exit(1)
        }
    }

    /// 45 lines: paragraphs of 3 to 9 lines, each started by a blank line or a first-line indent (`\t`).
    static func body(_ random: inout Generator) -> [String] {
        var lines: [String] = []
        while lines.count < 45 {
            let spaced = random.next(2) == 0
            if spaced && !lines.isEmpty { lines.append("") }
            let paragraph = self.paragraph(lines: 3 + random.next(7), &random)
            lines += paragraph.enumerated().map { $0 == 0 && !spaced ? "\t" + $1 : $1 }
        }
        return Array(lines.prefix(45))
    }

    /// Sentences filling `count` lines of at most 88 characters; the last line is shorter and ends a sentence.
    static func paragraph(lines count: Int, _ random: inout Generator) -> [String] {
        let width = 88
        var lines: [String] = []
        var line = ""
        var sentenceStart = true
        while true {
            var word = vocabulary[random.next(vocabulary.count)]
            if sentenceStart { word = word.prefix(1).uppercased() + word.dropFirst() }
            sentenceStart = random.next(9) == 0
            if sentenceStart { word += "." }
            if line.count + 1 + word.count <= width {
                line += line.isEmpty ? word : " " + word
            } else if word.count >= 10 {   // "synch-" / "ronisation"
                let cut = word.index(word.startIndex, offsetBy: 5)
                lines.append(line + " " + word[..<cut] + "-")
                line = String(word[cut...])
            } else {
                lines.append(line)
                line = word
            }
            if lines.count == count - 1 && sentenceStart && line.count > 20 { return lines + [line] }
            if lines.count >= count + 3 { return lines + [line + "."] }   // a long sentence: end it here
        }
    }

    /// A fixed linear congruential generator: the same document on every machine.
    struct Generator {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }
}
