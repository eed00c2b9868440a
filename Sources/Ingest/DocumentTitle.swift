/// Titles of plain-text formats, read from their own conventions.
enum DocumentTitle {
    /// Markdown: `title:` in YAML front matter, else the first level-1 heading (`# Title`, or `Title` underlined with
    /// `===`) outside code fences.
    static func markdown(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(2_000)
        var index = lines.startIndex
        if lines.first?.trimmingTrailingSpaces == "---" {
            index += 1
            while index < lines.endIndex, lines[index].trimmingTrailingSpaces != "---" {
                let line = lines[index]
                if line.hasPrefix("title:") {
                    let value = line.dropFirst(6).trimmingSpaces.trimmingQuotes
                    if !value.isEmpty { return String(value) }
                }
                index += 1
            }
            index += 1
        }
        var inFence = false
        var previous: Substring = ""
        while index < lines.endIndex {
            let line = lines[index]
            index += 1
            if line.trimmingSpaces.hasPrefix("```") || line.trimmingSpaces.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence { previous = ""; continue }
            if line.hasPrefix("# ") {
                let title = line.dropFirst(2).trimmingSpaces
                let withoutClosing = title.reversed().drop { $0 == "#" }.reversed()
                let cleaned = String(Substring(String(withoutClosing)).trimmingSpaces)
                if !cleaned.isEmpty { return cleaned }
            }
            let trimmed = line.trimmingTrailingSpaces
            if !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "=" }), !previous.trimmingSpaces.isEmpty {
                return String(previous.trimmingSpaces)
            }
            previous = line
        }
        return nil
    }

    /// reStructuredText: the first line underlined (and optionally overlined) with a run of one punctuation
    /// character at least as long as the text.
    static func restructuredText(_ text: String) -> String? {
        let lines = Array(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(200))
        for i in 0..<max(0, lines.count - 1) {
            let candidate = lines[i].trimmingSpaces
            let underline = lines[i + 1].trimmingTrailingSpaces
            guard !candidate.isEmpty, let mark = underline.first, "=-~*#^\"'`:.+_".contains(mark),
                  underline.allSatisfy({ $0 == mark }), underline.count >= candidate.count,
                  !candidate.allSatisfy({ $0 == mark }) else { continue }
            return String(candidate)
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring { trimmingLeadingSpaces.trimmingTrailingSpaces }
    var trimmingLeadingSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
    var trimmingTrailingSpaces: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
    var trimmingQuotes: Substring {
        if count >= 2, let f = first, let l = last, f == l, f == "\"" || f == "'" { return dropFirst().dropLast() }
        return self
    }
}
