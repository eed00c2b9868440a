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
