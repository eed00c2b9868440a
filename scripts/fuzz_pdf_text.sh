#!/usr/bin/env bash
# Fuzzes the pure part of PDF extraction (reading `pdftotext -bbox-layout` output, dropping running headers and
# footers, joining hyphenated lines into paragraphs: Sources/Ingest/Extractors/PDF) with libFuzzer and
# AddressSanitizer, for a bounded time. Not part of CI or scripts/test.sh: run it after changing those files.
#
#   scripts/fuzz_pdf_text.sh                 # 60 seconds
#   scripts/fuzz_pdf_text.sh 600 -jobs=2     # anything after the seconds goes to libFuzzer as is
#   FUZZ_RUNS=200000 scripts/fuzz_pdf_text.sh
#
# It compiles Sources/Ingest/HTMLEntities.swift and the PDF files that do no I/O with scripts/fuzz/PDFTextFuzzEntry.swift
# (which checks that every page text keeps StructuredText's promises: no blank line at either end, at most one blank
# line in a row, single spaces, no control characters or soft hyphens) using `swiftc -sanitize=fuzzer,address`, into
# .build/fuzz-pdf/. Seeds: small hand-written layouts below, plus the layout of real PDFs written by the tests' MinimalPDF
# when pdftotext is installed. A crash leaves its input in .build/fuzz-pdf/artifacts/; reproduce it with
# `.build/fuzz-pdf/fuzz_pdf_text <file>`. Needs the Swift toolchain's libFuzzer and lld.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
work=.build/fuzz-pdf
rm -rf "$work/seeds"
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"

pure_files=(Sources/Ingest/HTMLEntities.swift)
for f in Sources/Ingest/Extractors/PDF/*.swift; do
    [[ "$(basename "$f")" == PDFExtractor* ]] || pure_files+=("$f")
done

echo "building $work/fuzz_pdf_text (swiftc -sanitize=fuzzer,address)" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g -use-ld=lld -module-name PDFTextFuzz \
    "${pure_files[@]}" scripts/fuzz/PDFTextFuzzEntry.swift -o "$work/fuzz_pdf_text"

cat > "$work/seeds/two-pages.xhtml" <<'XHTML'
<html><head><title>A &lt;b&gt; &amp; title</title></head><body><doc>
<page width="612" height="792"><flow>
<block xMin="72" yMin="35" xMax="160" yMax="43"><line xMin="72" yMin="35" xMax="160" yMax="43"><word>Manual</word><word>v2</word><word>—</word><word>17</word></line></block>
<block xMin="72" yMin="84" xMax="540" yMax="136">
<line xMin="72" yMin="84" xMax="540" yMax="94"><word>The</word><word>opera-</word></line>
<line xMin="72" yMin="98" xMax="540" yMax="108"><word>tion</word><word>is</word><word>well-</word></line>
<line xMin="72" yMin="112" xMax="300" yMax="122"><word>Known</word><word>in</word><word>1990-</word></line>
<line xMin="90" yMin="126" xMax="540" yMax="136"><word>2000.</word><word>soft&#xAD;</word></line>
<line xMin="72" yMin="140" xMax="540" yMax="150"><word>hyphen</word><word>ﬁle</word><word>&quot;x&quot;</word></line>
</block>
<block xMin="72" yMin="160" xMax="540" yMax="200">
<line xMin="72" yMin="160" xMax="540" yMax="170"><word>•</word><word>item</word><word>one</word></line>
<line xMin="72" yMin="174" xMax="540" yMax="184"><word>•two</word></line>
<line xMin="72" yMin="188" xMax="540" yMax="198"><word>-</word><word>three</word></line>
</block>
<block xMin="72" yMin="745" xMax="120" yMax="753"><line xMin="72" yMin="745" xMax="120" yMax="753"><word>Page</word><word>1</word><word>of</word><word>2</word></line></block>
</flow></page>
<page width="612" height="792"></page>
</doc></body></html>
XHTML

if command -v pdftotext > /dev/null; then
    echo "writing seed PDFs with MinimalPDF and reading their layout with pdftotext" >&2
    swiftc -O -parse-as-library Tests/Support/MinimalPDF.swift scripts/bench/MakeManualPDF.swift \
        -o "$work/make_manual_pdf"
    "$work/make_manual_pdf" "$work/manual.pdf" 6
    pdftotext -bbox-layout -enc UTF-8 "$work/manual.pdf" "$work/seeds/manual.xhtml"
fi

cat > "$work/pdf.dict" <<'DICT'
"<page width=\"612\" height=\"792\">"
"</page>"
"<block>"
"</block>"
"<line xMin=\"72\" yMin=\"84\" xMax=\"540\" yMax=\"94\">"
"</line>"
"<word>"
"</word>"
"</doc>"
"<title>"
"&amp;"
"&#xAD;"
"\xc2\xad"
"-"
"\xe2\x80\x90"
"\xe2\x80\xa2"
"\xef\xac\x81"
DICT

# Swift's own crash handler would race AddressSanitizer and libFuzzer for the signal; let them report instead.
export SWIFT_BACKTRACE=enable=no
runs=()
if [[ -n "${FUZZ_RUNS:-}" ]]; then runs=(-runs="$FUZZ_RUNS"); fi
echo "fuzzing for at most $seconds s; crashes go to $work/artifacts/" >&2
"$work/fuzz_pdf_text" -max_total_time="$seconds" "${runs[@]}" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -dict="$work/pdf.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" \
    "$work/corpus" "$work/seeds"
