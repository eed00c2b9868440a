#!/usr/bin/env bash
# The README's first command: installs the system libraries, builds Ferret (release), indexes the sample corpus in
# corpora/ and searches it. No network beyond the Debian packages; no model download.
#
# Without a --model the index is lexical-only (BM25 over ICU-segmented text). With an official encoder folder
# (huggingface-cli download LiquidAI/LFM2-ColBERT-350M --local-dir models/LFM2-ColBERT-350M) pass
# FERRET_ENCODER=models/LFM2-ColBERT-350M to get hybrid MaxSim + BM25 search.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release
ferret=.build/release/ferret
index=indexes/demo-lexical.sqlite
model_args=()
if [ -n "${FERRET_ENCODER:-}" ]; then
  index="indexes/demo-$(basename "$FERRET_ENCODER").sqlite"
  model_args=(--model "$FERRET_ENCODER")
fi
model_args+=(--index "$index")
$ferret index corpora "${model_args[@]}"
for query in "water cycle evaporation" "imprimerie Gutenberg" "水循环" "電気ケトル" "Fahrrad Schaltung"; do
  echo
  echo "\$ ferret search \"$query\""
  $ferret search "$query" -k 3 "${model_args[@]}"
done
echo
$ferret status --index "$index"
