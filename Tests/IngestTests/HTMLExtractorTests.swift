import Testing
@testable import Ingest

@Suite("HTMLExtractor")
struct HTMLExtractorTests {
    @Test func stripsTagsScriptsAndStylesAndKeepsBlocks() {
        let html = """
        <!DOCTYPE html>
        <html><head><title>Bike &amp; gears</title>
        <style>p { color: red; }</style>
        <script>if (a < b) { alert("<p>no</p>"); }</script></head>
        <body>
        <h1>How   gears work</h1>
        <p>The <b>chain</b> moves
           the rear wheel.<br>Second line.</p>
        <!-- a comment <p>hidden</p> -->
        <ul><li>One</li><li>Two</li></ul>
        <table><tr><th>Gear</th><th>Ratio</th></tr><tr><td>1</td><td>2.5</td></tr></table>
        <pre>  keep
           spacing</pre>
        <noscript>enable JS</noscript>
        </body></html>
        """
        let out = HTMLExtractor.extract(html)
        #expect(out.title == "Bike & gears")
        #expect(out.text == """
        # How gears work

        The chain moves the rear wheel.
        Second line.

        - One
        - Two

        Gear | Ratio
        1 | 2.5

          keep
           spacing
        """)
    }

    @Test func decodesEntities() {
        let out = HTMLExtractor.extract("<p>caf&eacute; &lt;tag&gt; &#233;&#xE9; &#x1F600; &copy 2024 AT&T &bogus; &#150; &nbsp;x</p>")
        #expect(out.text == "café <tag> éé 😀 © 2024 AT&T &bogus; – x")
    }

    @Test func tracksSourceLines() {
        let html = "<html>\n<head><title>T</title></head>\n<body>\n<h2>Intro</h2>\n<p>First\nparagraph</p>\n\n<p>Second</p>\n</body></html>"
        let out = HTMLExtractor.extract(html)
        #expect(out.text == "## Intro\n\nFirst paragraph\n\nSecond")
        // Blank lines take the line of the text that follows them; passages never start or end on one.
        #expect(out.sourceLineSpans == [4...4, 5...5, 5...6, 8...8, 8...8])
        #expect(out.title == "T")
    }

    @Test func titleFallsBackToFirstHeading() {
        #expect(HTMLExtractor.extract("<h1>Only &quot;heading&quot;</h1><p>x</p>").title == "Only \"heading\"")
    }

    @Test func toleratesBrokenMarkup() {
        #expect(HTMLExtractor.extract("a < b and 3<4 <p>x").text == "a < b and 3<4\n\nx")
        #expect(HTMLExtractor.extract("c<d <p>x").text == "cx")  // `<d` opens a tag, as in a browser
        #expect(HTMLExtractor.extract("<p title='a>b'>quoted</p><script>never closed").text == "quoted")
    }
}

@Suite struct HTMLBoilerplateTests {
    @Test func navigationAndPageChromeAreDroppedContentAndHeadingsKept() {
        let html = """
            <html><head><title>Kettle care</title></head><body>
            <header><a href="/">Home</a> <a href="/shop">Shop</a></header>
            <nav><ul><li>Products</li><li>Support</li></ul></nav>
            <main><article>
            <header><h1>Kettle care</h1></header>
            <h2>Descaling</h2><p>Descale once a month with citric acid.</p>
            <aside>Tip: use filtered water.</aside>
            </article></main>
            <aside>Related: toasters</aside>
            <footer>© 2026 Example Ltd · Privacy · Cookies</footer>
            </body></html>
            """
        let out = HTMLExtractor.extract(html)
        #expect(out.text.contains("# Kettle care") && out.text.contains("## Descaling"))
        #expect(out.text.contains("Descale once a month") && out.text.contains("Tip: use filtered water."))
        for chrome in ["Home", "Shop", "Products", "Support", "toasters", "Privacy"] {
            #expect(!out.text.contains(chrome), "\(chrome) is page chrome: \(out.text)")
        }
        let passages = Chunker(maxTokens: 8) { $0.split(separator: " ").count }.split(out.text)
        #expect(passages.contains { $0.text.contains("citric") && $0.headingPath == ["Kettle care", "Descaling"] },
                "\(passages.map { ($0.headingPath, $0.text) })")
    }

    @Test func aPageWithoutMainKeepsItsHeaderAndFooter() {
        let out = HTMLExtractor.extract("<header><h1>Notes</h1></header><p>Body.</p><footer>Written in 2024.</footer><nav>Menu</nav>")
        #expect(out.text.contains("# Notes") && out.text.contains("Written in 2024.") && !out.text.contains("Menu"))
    }
}
