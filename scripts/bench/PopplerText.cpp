// The in-process alternative measured by scripts/bench_pdf.sh: libpoppler-cpp reading a PDF from memory and
// extracting every page's text, as a C shim linked into Ferret would. Not part of the build.
//
//   poppler_text <file.pdf> text     page::text() in reading order (what `pdftotext` writes)
//   poppler_text <file.pdf> words    page::text_list(): every word with its box (what `pdftotext -bbox-layout` writes)
//
// Prints the pages and the number of bytes of text to standard error.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

int main(int argc, char **argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: poppler_text <file.pdf> text|words\n"); return 2; }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(bytes.data(), int(bytes.size())));
    if (!doc || doc->is_locked()) { std::fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    bool words = std::strcmp(argv[2], "words") == 0;
    size_t total = 0;
    int pages = doc->pages();
    for (int i = 0; i < pages; i++) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        if (words) {
            for (const auto &box : page->text_list()) {
                auto utf8 = box.text().to_utf8();
                auto rect = box.bbox();
                total += utf8.size();
                std::fwrite(utf8.data(), 1, utf8.size(), stdout);
                std::fprintf(stdout, "\t%.2f\t%.2f\t%.2f\t%.2f\n", rect.left(), rect.top(), rect.right(), rect.bottom());
            }
        } else {
            auto utf8 = page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
            total += utf8.size();
            std::fwrite(utf8.data(), 1, utf8.size(), stdout);
        }
        std::fputc('\f', stdout);
    }
    std::fprintf(stderr, "%d pages, %zu bytes of text\n", pages, total);
    return 0;
}
