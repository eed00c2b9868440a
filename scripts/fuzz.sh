#!/usr/bin/env bash
# Fuzzes Ferret's parsers of untrusted files with libFuzzer + AddressSanitizer, each for a bounded time, and keeps
# any crash as a regression input under Tests/Fixtures/fuzz/TARGET/ (replayed by the test suite).
#
#   scripts/fuzz.sh                    # every target, 60 s each
#   scripts/fuzz.sh docx 600           # one target, 10 minutes
#   scripts/fuzz.sh all 30 -jobs=2     # anything after the seconds goes to libFuzzer as is
#
# Targets: pdf docx pptx xlsx odt odp ods epub html text tokenizer-json tokenizer-encode (Sources/FerretFuzz), each
# through the path every document takes (`TextExtractor`, then the chunker). Three scripts go deeper into one layer:
# scripts/fuzz_containers.sh (the ZIP/XML extractors with inputs packed into valid ZIPs, so mutations reach the XML
# handlers), scripts/fuzz_pdf_text.sh (the pure PDF page-text clean-up, without poppler) and scripts/fuzz_gguf.sh. Builds the `ferret-fuzz` product with
# `swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING` into .build-fuzz/. Seeds are small valid
# documents written below with Python's zipfile (office formats, EPUB), a hand-made PDF, and the sample corpus;
# each target's corpus grows in .build-fuzz/corpus/TARGET across runs. Needs the swift.org toolchain's libFuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."

which="${1:-all}"
seconds="${2:-60}"
shift $(( $# > 1 ? 2 : $# ))
work=.build-fuzz
targets=(pdf docx pptx xlsx odt odp ods epub html text tokenizer-json tokenizer-encode)
[[ "$which" == all ]] || targets=("$which")

echo "building ferret-fuzz with libFuzzer and AddressSanitizer" >&2
# SwiftPM renames an executable's entry point (so executables can be tested), which clashes with libFuzzer's own
# main: instrument with AddressSanitizer + libFuzzer's coverage, link libFuzzer without its main, and let
# Sources/FerretFuzz call LLVMFuzzerRunDriver.
fuzzer_lib=$(ls "$(dirname "$(dirname "$(command -v swiftc)")")"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)
swift build -c release --scratch-path "$work" --product ferret-fuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DFUZZING -Xswiftc -g -Xlinker "$fuzzer_lib" -Xlinker -lstdc++ >&2
binary="$work/release/ferret-fuzz"

mkdir -p "$work/seeds"
python3 - "$work/seeds" <<'PY'
import io, os, sys, zipfile
out = sys.argv[1]
def write_zip(name, parts, mimetype=None):
    os.makedirs(os.path.join(out, name.split(".")[-1]), exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if mimetype:
            z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for path, text in parts.items():
            z.writestr(path, text)
    open(os.path.join(out, name.split(".")[-1], name), "wb").write(buf.getvalue())
ct = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
rels = lambda target, kind: ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
write_zip("seed.docx", {"[Content_Types].xml": ct, "_rels/.rels": rels("word/document.xml", "officeDocument"),
    "word/document.xml": f'<w:document {W}><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">Hello </w:t></w:r><w:r><w:tab/><w:t>world</w:t></w:r></w:p>'
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>'})
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
write_zip("seed.pptx", {"[Content_Types].xml": ct, "_rels/.rels": rels("ppt/presentation.xml", "officeDocument"),
    "ppt/presentation.xml": f'<p:presentation {P}><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>',
    "ppt/_rels/presentation.xml.rels": rels("slides/slide1.xml", "slide"),
    "ppt/slides/slide1.xml": f'<p:sld {P}><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>'
    '<p:txBody><a:p><a:r><a:t>Slide title</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>'})
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
write_zip("seed.xlsx", {"[Content_Types].xml": ct, "_rels/.rels": rels("xl/workbook.xml", "officeDocument"),
    "xl/workbook.xml": f'<workbook {S}><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": rels("worksheets/sheet1.xml", "worksheet"),
    "xl/sharedStrings.xml": f'<sst {S}><si><t>Item</t></si><si><r><t>Co</t></r><r><t>st</t></r></si></sst>',
    "xl/worksheets/sheet1.xml": f'<worksheet {S}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Tea</t></is></c><c r="B2"><v>3.5</v></c></row></sheetData></worksheet>'})
O = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
     'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
     'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"')
manifest = '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
write_zip("seed.odt", {"META-INF/manifest.xml": manifest, "content.xml": f'<office:document-content {O}><office:body><office:text>'
    '<text:h text:outline-level="1">Heading</text:h><text:p>Para<text:s text:c="2"/>graph<text:note><text:note-body><text:p>note</text:p></text:note-body></text:note></text:p>'
    '</office:text></office:body></office:document-content>'}, "application/vnd.oasis.opendocument.text")
write_zip("seed.odp", {"META-INF/manifest.xml": manifest, "content.xml": f'<office:document-content {O}><office:body><office:presentation>'
    '<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>Slide one</text:p></draw:text-box></draw:frame></draw:page>'
    '</office:presentation></office:body></office:document-content>'}, "application/vnd.oasis.opendocument.presentation")
write_zip("seed.ods", {"META-INF/manifest.xml": manifest, "content.xml": f'<office:document-content {O}><office:body><office:spreadsheet>'
    '<table:table table:name="Sheet1"><table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell></table:table-row></table:table>'
    '</office:spreadsheet></office:body></office:document-content>'}, "application/vnd.oasis.opendocument.spreadsheet")
write_zip("seed.epub", {"META-INF/container.xml": '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    "OEBPS/content.opf": '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:title>Book</dc:title></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
    '<spine><itemref idref="c1"/></spine></package>',
    "OEBPS/c1.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Chapter</h1><p>Text.</p></body></html>'},
    "application/epub+zip")
os.makedirs(os.path.join(out, "pdf"), exist_ok=True)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
stream = b"BT /F1 12 Tf 72 720 Td (Hello PDF page one) Tj ET"
objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
pdf, offsets = b"%PDF-1.4\n", []
for i, body in enumerate(objs, 1):
    offsets.append(len(pdf)); pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(os.path.join(out, "pdf", "seed.pdf"), "wb").write(pdf)
PY
mkdir -p "$work/seeds/html" "$work/seeds/text" "$work/seeds/tokenizer-json" "$work/seeds/tokenizer-encode"
find corpora -name '*.html' -size -64k -exec cp {} "$work/seeds/html/" \; 2>/dev/null || true
find corpora -name '*.md' -size -16k | head -20 | xargs -r -I{} cp {} "$work/seeds/text/"
cp Tests/Fixtures/lfm2-tiny/tokenizer.json "$work/seeds/tokenizer-json/"
cp "$work/seeds/text/"* "$work/seeds/tokenizer-encode/" 2>/dev/null || true


export SWIFT_BACKTRACE=enable=no
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target" artifacts="$work/artifacts/$target/" kept="Tests/Fixtures/fuzz/$target"
    seeds="$work/seeds/$target"
    mkdir -p "$corpus" "$artifacts" "$seeds"
    echo "fuzzing $target for $seconds s" >&2
    FERRET_FUZZ_TARGET="$target" "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=3072 \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$@" "$corpus" "$seeds" || true
    if compgen -G "$artifacts*" > /dev/null; then
        mkdir -p "$kept"
        cp "$artifacts"* "$kept/"
        echo "$target: crashes kept in $kept/ (replay: swift run ferret-fuzz $target $kept/*)" >&2
    fi
done
