#!/usr/bin/env bash
# The README's first command: installs the system libraries, builds Ferret (release), indexes the sample corpus in
# corpora/, searches it and answers a question from it. No network beyond the Debian packages; no model download.
#
# Without an encoder the index is lexical-only (BM25 over ICU-segmented text). With the official encoder
# (`ferret models pull LiquidAI/LFM2-ColBERT-350M`, on a machine with internet) pass
# FERRET_ENCODER=LiquidAI/LFM2-ColBERT-350M to get hybrid MaxSim + BM25 search, and
# FERRET_GENERATOR=LiquidAI/LFM2.5-1.2B-Instruct for a generated answer instead of an extractive one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ferret
ferret=.build/release/ferret
index=indexes/demo-lexical.sqlite
model_args=()
if [ -n "${FERRET_ENCODER:-}" ]; then
  index="indexes/demo-$(basename "${FERRET_ENCODER%%@*}").sqlite"
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
echo "\$ ferret ask \"How do bicycle derailleurs change gear?\""
$ferret ask "How do bicycle derailleurs change gear?" "${model_args[@]}" ${FERRET_GENERATOR:+--generator "$FERRET_GENERATOR"}
echo
$ferret status --index "$index"
