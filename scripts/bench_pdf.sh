#!/usr/bin/env bash
# Measures the two ways of reading a PDF's text that docs/PERFORMANCE.md compares, on a generated 300-page manual:
# (a) poppler's `pdftotext` as a process (what PDFExtractor runs: -bbox-layout, plus plain output for reference) and
# Ferret's post-processing of its output; (b) libpoppler-cpp in process (scripts/bench/PopplerText.cpp: page text,
# and word boxes like -bbox-layout), when libpoppler-cpp-dev is installed. Median wall time of 5 runs and peak RSS
# (GNU time), with the machine's CPU.
#
#   scripts/bench_pdf.sh            # 300 pages
#   scripts/bench_pdf.sh 1000       # another page count
#
# Needs poppler-utils, GNU time (/usr/bin/time) and swiftc; libpoppler-cpp-dev and g++ for (b). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-300}"
work=.build/bench-pdf
mkdir -p "$work"

swiftc -O -parse-as-library Tests/Support/MinimalPDF.swift scripts/bench/MakeManualPDF.swift \
    -o "$work/make_manual_pdf"
pure_files=(Sources/Ingest/HTMLEntities.swift)
for f in Sources/Ingest/Extractors/PDF/*.swift; do
    [[ "$(basename "$f")" == PDFExtractor* ]] || pure_files+=("$f")
done
swiftc -O -parse-as-library "${pure_files[@]}" scripts/bench/PDFTextTiming.swift -o "$work/pdf_text_timing"
"$work/make_manual_pdf" "$work/manual.pdf" "$pages"
echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(pdftotext -v 2>&1 | head -1)"
echo "document: $pages pages, $(stat -c %s "$work/manual.pdf") bytes"

# Runs a command 5 times with the PDF on standard input; prints the median seconds and the largest peak RSS.
measure() {
    local label="$1"; shift
    local times=() rss=0
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" < "$work/manual.pdf" > "$work/out.txt" 2> /dev/null
        read -r seconds kb < "$work/time.txt"
        times+=("$seconds")
        (( kb > rss )) && rss=$kb
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    printf '%-44s %6s s  %7s MB peak RSS  %9s bytes out\n' "$label" "$median" "$(( rss / 1024 ))" \
        "$(stat -c %s "$work/out.txt")"
}

measure "pdftotext (plain, split on \\f)" pdftotext -enc UTF-8 - -
measure "pdftotext -bbox-layout (PDFExtractor)" pdftotext -bbox-layout -enc UTF-8 - -
pdftotext -bbox-layout -enc UTF-8 "$work/manual.pdf" "$work/layout.xhtml"
/usr/bin/time -f "%M" -o "$work/time.txt" "$work/pdf_text_timing" "$work/layout.xhtml" 5
echo "  (PDFLayout + PDFPageText, the output held in memory: $(( $(cat "$work/time.txt") / 1024 )) MB peak RSS)"
if pkg-config --exists poppler-cpp && command -v g++ > /dev/null; then
    g++ -O2 -std=c++17 scripts/bench/PopplerText.cpp $(pkg-config --cflags --libs poppler-cpp) -o "$work/poppler_text"
    measure "libpoppler-cpp page text (in process)" "$work/poppler_text" "$work/manual.pdf" text
    measure "libpoppler-cpp word boxes (in process)" "$work/poppler_text" "$work/manual.pdf" words
else
    echo "libpoppler-cpp-dev or g++ not installed: in-process numbers skipped (apt-get install libpoppler-cpp-dev g++)"
fi
