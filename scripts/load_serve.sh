#!/usr/bin/env bash
# Load figures for `ferret serve` (release build): /v1/search with 32 concurrent clients for 30 s, alone and while
# answers are being generated, then /v1/chat/completions with 8 concurrent streams. Uses wrk (Debian) on a small
# index of corpora/en encoded with the fixture ColBERT model and the fixture generator (tiny random models: these
# figures measure the server around the models, not the models). Prints the CPU and wrk's numbers.
# Usage: scripts/load_serve.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk"; exit 1; }
swift build -c release --product ferret >/dev/null
ferret=.build/release/ferret
work=$(mktemp -d)
server=""; background=""
cleanup() { [ -n "$background" ] && kill "$background" 2>/dev/null; [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export FERRET_CONFIG=/dev/null
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p') · $(nproc) cores · $(date -u +%FT%TZ)"
"$ferret" index corpora/en --index "$work/i.sqlite" --model Tests/Fixtures/colbert-causal-tiny >/dev/null 2>&1
"$ferret" serve --index "$work/i.sqlite" --model Tests/Fixtures/colbert-causal-tiny --generator Tests/Fixtures/lfm2-tiny \
    --port 0 --max-tokens 64 --backlog 64 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
    address=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" || true); [ -n "$address" ] && break; sleep 0.1
done
[ -n "$address" ] || { cat "$work/serve.log"; exit 1; }

cat > "$work/search.lua" <<'LUA'
local queries = {"kettle descaling", "how to oil a bicycle chain", "backup schedule", "password manager", "tea brewing time"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/search", {["Content-Type"] = "application/json"},
                    '{"query":"' .. queries[n % #queries + 1] .. '","k":10}')
end
LUA
cat > "$work/chat.lua" <<'LUA'
request = function()
  return wrk.format("POST", "/v1/chat/completions", {["Content-Type"] = "application/json"},
    '{"messages":[{"role":"user","content":"What does the manual say about cleaning?"}],"max_tokens":64,"stream":true}')
end
LUA
report() { wrk -t2 -c"$1" -d"${seconds}s" --latency -s "$2" "$address" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|Socket errors|requests in"; }

echo "== /v1/search, 32 clients, ${seconds}s, nothing else running"
report 32 "$work/search.lua"
echo "== /v1/search, 32 clients, ${seconds}s, while answers are generated back to back"
( while true; do curl -s -o /dev/null -X POST "$address/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"messages":[{"role":"user","content":"Summarise the notes about travel."}],"max_tokens":64}'; done ) &
background=$!
report 32 "$work/search.lua"
kill "$background"; background=""
echo "== /v1/chat/completions, 8 concurrent streams, ${seconds}s"
report 8 "$work/chat.lua"
