import Testing
@testable import Ingest

@Suite("gitignore patterns")
struct IgnoreRulesTests {
    /// Whether `pattern` (in an ignore file at the walk root) ignores `path`.
    func ignores(_ pattern: String, _ path: String, directory: Bool = false) -> Bool {
        guard let rule = IgnoreRule(line: Substring(pattern), origin: "test") else { return false }
        let matched = rule.matches(path.split(separator: "/")[...], isDirectory: directory)
        return matched && !rule.negated
    }

    @Test func namesMatchAtAnyDepth() {
        #expect(ignores("draft.md", "draft.md"))
        #expect(ignores("draft.md", "a/b/draft.md"))
        #expect(!ignores("draft.md", "a/draft.md.bak"))
        #expect(ignores("*.log", "deep/er/x.log"))
        #expect(!ignores("*.log", "x.logs"))
    }

    @Test func slashesAnchor() {
        #expect(ignores("/build", "build", directory: true))
        #expect(!ignores("/build", "src/build", directory: true))
        #expect(ignores("doc/frotz", "doc/frotz"))
        #expect(!ignores("doc/frotz", "a/doc/frotz"))
    }

    @Test func trailingSlashMeansDirectoriesOnly() {
        #expect(ignores("cache/", "cache", directory: true))
        #expect(ignores("cache/", "x/cache", directory: true))
        #expect(!ignores("cache/", "cache", directory: false))
    }

    @Test func doubleStars() {
        #expect(ignores("**/logs", "logs", directory: true))
        #expect(ignores("**/logs", "a/b/logs", directory: true))
        #expect(ignores("a/**/b", "a/b"))
        #expect(ignores("a/**/b", "a/x/y/b"))
        #expect(!ignores("a/**/b", "z/a/x/b"))
        #expect(ignores("abc/**", "abc/x/y"))
        #expect(!ignores("abc/**", "abc", directory: true))  // everything inside, not the directory itself
        #expect(ignores("a**b", "axxb"))                     // `**` inside a name is `*`
    }

    @Test func wildcardsAndClasses() {
        #expect(ignores("file?.txt", "file1.txt"))
        #expect(!ignores("file?.txt", "file10.txt"))
        #expect(ignores("[abc].md", "b.md"))
        #expect(!ignores("[abc].md", "d.md"))
        #expect(ignores("[a-c]x", "bx"))
        #expect(ignores("[!a-c]x", "dx"))
        #expect(!ignores("[!a-c]x", "ax"))
        #expect(ignores("[^a]x", "bx"))
        #expect(ignores("[[:digit:]].txt", "7.txt"))
        #expect(ignores("[]]x", "]x"))
        #expect(!ignores("*.md", "a/b"))  // `*` never crosses a slash
    }

    @Test func commentsBlanksEscapes() {
        #expect(IgnoreRule(line: "# comment", origin: "t") == nil)
        #expect(IgnoreRule(line: "   ", origin: "t") == nil)
        #expect(ignores("\\#notes.md", "#notes.md"))
        #expect(ignores("\\!important.md", "!important.md"))
        #expect(ignores("trailing   ", "trailing"))
        #expect(ignores("space\\ ", "space "))
        #expect(ignores("\\*literal", "*literal"))
        #expect(!ignores("\\*literal", "xliteral"))
    }

    @Test func negationReincludes() {
        let rule = IgnoreRule(line: "!keep.md", origin: "t")
        #expect(rule?.negated == true)
        #expect(rule?.matches(["keep.md"], isDirectory: false) == true)
    }

    @Test func globsAreLinearOnPathologicalInput() {
        let pattern = GlobPattern(Substring(String(repeating: "*a", count: 30) + "b"))
        #expect(!pattern.matches(Substring(String(repeating: "a", count: 200))))
    }
}
