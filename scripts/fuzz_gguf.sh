#!/usr/bin/env bash
# Fuzzes the GGUF reader (`GGUFFile` in Sources/Weights) with libFuzzer and AddressSanitizer, for a bounded time.
# Not part of CI or scripts/test.sh: run it after changing GGUFFile.swift, GGUFValue.swift or GGMLType.swift.
#
#   scripts/fuzz_gguf.sh                 # 60 seconds
#   scripts/fuzz_gguf.sh 600             # 10 minutes
#   scripts/fuzz_gguf.sh 600 -jobs=2     # anything after the seconds goes to libFuzzer as is
#   FUZZ_RUNS=200000 scripts/fuzz_gguf.sh   # stop after that many inputs (or the time, whichever comes first)
#
# It compiles Sources/Weights/*.swift with scripts/fuzz/GGUFFuzzEntry.swift (which writes each input to a temp file,
# opens it with `GGUFFile(path:)` and reads whatever it accepts) using `swiftc -sanitize=fuzzer,address`, into
# .build/fuzz/. Seeds: small complete GGUFs written below with Python's `struct` (a v3 file with every value type and
# F32/F16/BF16/Q4_0/Q8_0/Q4_K tensors, a v2 file with 64-byte alignment, an empty one), plus Tests/Fixtures/gguf/*.gguf
# when that folder exists. The fixtures are megabytes and libFuzzer cuts inputs to -max_len, so they only seed the
# header and tokenizer metadata; the small seeds reach the tensor checks. The corpus grows in .build/fuzz/corpus
# across runs. A crash leaves its input in .build/fuzz/artifacts/; reproduce it with `.build/fuzz/fuzz_gguf <file>`.
# Needs the Swift toolchain's libFuzzer and lld (both ship with the swift.org Linux toolchains) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
work=.build/fuzz
rm -rf "$work/seeds"
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"

echo "building $work/fuzz_gguf (swiftc -sanitize=fuzzer,address)" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g -use-ld=lld -module-name WeightsFuzz \
    Sources/Weights/*.swift scripts/fuzz/GGUFFuzzEntry.swift -o "$work/fuzz_gguf"

if compgen -G "Tests/Fixtures/gguf/*.gguf" > /dev/null; then
    cp Tests/Fixtures/gguf/*.gguf "$work/seeds/"
fi
python3 - "$work/seeds" <<'PY'
import struct, sys, os

def s(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data

def kv(key, type_id, payload):
    return s(key) + struct.pack("<I", type_id) + payload

def array(elem_type, items, fmt=None):
    body = b"".join(s(x) for x in items) if elem_type == 8 else b"".join(struct.pack(fmt, x) for x in items)
    return struct.pack("<IQ", elem_type, len(items)) + body

# ggml type id: (block elements, block bytes)
TYPES = {0: (1, 4), 1: (1, 2), 30: (1, 2), 2: (32, 18), 8: (32, 34), 12: (256, 144)}

def gguf(version, alignment, entries, tensors):
    if alignment != 32:
        entries = entries + [kv("general.alignment", 4, struct.pack("<I", alignment))]
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(entries)) + b"".join(entries)
    data, offsets = b"", []
    for name, type_id, dims in tensors:
        offsets.append(len(data))
        count = 1
        for d in dims:
            count *= d
        block_elements, block_bytes = TYPES[type_id]
        data += bytes((i * 31 + len(offsets)) & 0xFF for i in range(count // block_elements * block_bytes))
        data += b"\0" * (-len(data) % alignment)
    for (name, type_id, dims), offset in zip(tensors, offsets):
        out += s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", type_id, offset)
    out += b"\0" * (-len(out) % alignment)
    return out + data

entries = [
    kv("general.architecture", 8, s("lfm2")),
    kv("lfm2.block_count", 4, struct.pack("<I", 2)),
    kv("lfm2.rope.freq_base", 6, struct.pack("<f", 1e6)),
    kv("tokenizer.ggml.add_bos_token", 7, b"\1"),
    kv("test.u8", 0, b"\7"), kv("test.i8", 1, b"\xf9"), kv("test.u16", 2, struct.pack("<H", 9)),
    kv("test.i16", 3, struct.pack("<h", -9)), kv("test.i32", 5, struct.pack("<i", -7)),
    kv("test.u64", 10, struct.pack("<Q", 2**64 - 1)), kv("test.i64", 11, struct.pack("<q", -2**40)),
    kv("test.f64", 12, struct.pack("<d", 1e-5)),
    kv("tokenizer.ggml.tokens", 9, array(8, ["<|pad|>", "\u0120the", "\u00e9", "\u65e5"])),
    kv("tokenizer.ggml.token_type", 9, array(5, [3, 1, 1, 1], "<i")),
    kv("lfm2.attention.head_count_kv", 9, array(4, [0, 8], "<I")),
]
tensors = [
    ("token_embd.weight", 30, [8, 4]), ("token_embd_norm.weight", 0, [8]), ("blk.0.ffn_up.weight", 2, [64, 2]),
    ("blk.0.ffn_down.weight", 8, [32, 2]), ("blk.0.attn_q.weight", 12, [256, 1]), ("blk.0.shortconv.conv.weight", 1, [3, 2]),
]
folder = sys.argv[1]
for name, data in [("v3.gguf", gguf(3, 32, entries, tensors)),
                   ("v2-align64.gguf", gguf(2, 64, entries[:4], tensors[:3])),
                   ("empty.gguf", gguf(3, 32, [], []))]:
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
PY

cat > "$work/gguf.dict" <<'DICT'
"GGUF"
"general.alignment"
"\x03\x00\x00\x00"
"\x02\x00\x00\x00"
"\x09\x00\x00\x00"
"\x08\x00\x00\x00"
"\xff\xff\xff\xff\xff\xff\xff\xff"
"\x00\x00\x00\x00\x00\x00\x00\x80"
DICT

# Swift's own crash handler would race AddressSanitizer and libFuzzer for the signal; let them report instead.
export SWIFT_BACKTRACE=enable=no
runs=()
if [[ -n "${FUZZ_RUNS:-}" ]]; then runs=(-runs="$FUZZ_RUNS"); fi
echo "fuzzing for at most $seconds s; crashes go to $work/artifacts/" >&2
"$work/fuzz_gguf" -max_total_time="$seconds" "${runs[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -dict="$work/gguf.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" \
    "$work/corpus" "$work/seeds"
