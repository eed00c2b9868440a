#!/usr/bin/env bash
# Runs the official `openai` Python client (PyPI, pure Python, in the git-ignored .venv-openai) against
# `ferret serve` with the fixture models on a small index: list, chat, stream, completions, errors.
# Needs the debug build (scripts/test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
ferret=${FERRET_BIN:-.build/debug/ferret}
venv=.venv-openai
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check 'openai>=1.40,<4'

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/notes"
printf '# Kettle\n\nThe kettle switches off by itself when the water boils. Descale it every month.\n' > "$work/notes/kettle.md"
printf '# Bicycle\n\nOil the bicycle chain every 300 km and check the tyre pressure weekly.\n' > "$work/notes/bicycle.md"
export FERRET_CONFIG=/dev/null
"$ferret" index "$work/notes" --index "$work/i.sqlite" --model Tests/Fixtures/colbert-causal-tiny >/dev/null 2>&1
"$ferret" serve --index "$work/i.sqlite" --model Tests/Fixtures/colbert-causal-tiny --generator Tests/Fixtures/lfm2-tiny \
    --port 0 --api-key test-key --max-tokens 8 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
    address=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" || true)
    [ -n "$address" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.1
done
[ -n "$address" ] || { echo "ferret serve did not start"; cat "$work/serve.log"; exit 1; }
"$venv/bin/python" scripts/openai_client_check.py "$address" test-key
