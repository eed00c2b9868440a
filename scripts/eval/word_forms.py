#!/usr/bin/env python3
"""hit@1 / hit@5 of the inflected queries in word-forms.tsv, lexical mode, against an index of corpora/.

Usage: scripts/eval/word_forms.py FERRET_BINARY INDEX_FILE
A hit at k: a passage of the expected file is among the first k passages. Prints one line per query and the
totals per language and overall.
"""
import json
import pathlib
import subprocess
import sys
from collections import defaultdict

def main() -> None:
    ferret, index = sys.argv[1], sys.argv[2]
    rows = [line.split("\t") for line in (pathlib.Path(__file__).parent / "word-forms.tsv").read_text().splitlines()
            if line and not line.startswith("#")]
    totals = defaultdict(lambda: [0, 0, 0])  # language → [queries, hit@1, hit@5]
    for query, language, expected in rows:
        out = subprocess.run([ferret, "search", query, "--index", index, "--mode", "lexical", "-k", "5", "--json"],
                             capture_output=True, text=True, check=True).stdout
        paths = [hit["path"] for hit in json.loads(out)]
        rank = next((i + 1 for i, p in enumerate(paths) if p.endswith("/" + expected)), None)
        for key in (language, "all"):
            totals[key][0] += 1
            totals[key][1] += rank == 1
            totals[key][2] += rank is not None
        print(f"{language}\t{query}\trank={rank or '-'}\t{len(paths)} hits")
    for language, (n, h1, h5) in totals.items():
        print(f"{language}: hit@1 {h1}/{n}  hit@5 {h5}/{n}")

if __name__ == "__main__":
    main()
