#!/usr/bin/env python3
"""LFM2-8B-A1B decode, Ferret against llama.cpp on the same GGUF in the same run (issue 14).

    .venv-fixtures/bin/python scripts/bench_moe.py [--threads 2] [--quant q4_k_m] [--out /tmp/ferret-bench]

Writes random weights in the real LFM2-8B-A1B shape (spec §7: 24 blocks, attention at 2,6,10,14,18,21, hidden 2048,
32/8 heads, two dense blocks of width 7168, then 32 experts of width 1792, top-4, sigmoid router with expert bias,
vocab 65536) straight into a BF16 GGUF with gguf's writer, names and keys as llama.cpp's converter writes them
(`lfm2moe`), one tensor in memory at a time (16.7 GB on disk); quantises it with llama.cpp's own
`llama_model_quantize`; then measures llama.cpp (llama-cpp-python) and `ferret bench model --model FILE.gguf` on that
file, each in its own process, with the memory bandwidth measured around them. Bytes read per token are the dense
tensors plus top-k/E of each expert stack (only the chosen experts' rows are read); the roofline is bandwidth ÷ that.
The BF16 file is deleted after quantising unless --keep-bf16.
"""
import argparse
import json
import math
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_peers as peers  # noqa: E402  (shared workers: llama.cpp runs, quantiser, Ferret runner, bandwidth)

SHAPE = dict(layers=24, attention=(2, 6, 10, 14, 18, 21), hidden=2048, heads=32, kv_heads=8, dense_layers=2,
             dense_width=7168, experts=32, per_token=4, expert_width=1792, vocab=65536, conv_cache=3)


def write_random_moe_gguf(path, seed=8):
    import gguf
    import numpy as np
    if path.is_file() and path.with_suffix(".complete").is_file():
        return
    s = SHAPE
    h, heads, kv, hd = s["hidden"], s["heads"], s["kv_heads"], s["hidden"] // s["heads"]
    rng = np.random.default_rng(seed)
    tensors = [("token_embd.weight", [s["vocab"], h], "bf16"), ("token_embd_norm.weight", [h], "norm")]
    for i in range(s["layers"]):
        p = f"blk.{i}."
        tensors.append((p + "attn_norm.weight", [h], "norm"))
        tensors.append((p + "ffn_norm.weight", [h], "norm"))
        if i in s["attention"]:
            tensors += [(p + "attn_q.weight", [heads * hd, h], "bf16"), (p + "attn_k.weight", [kv * hd, h], "bf16"),
                        (p + "attn_v.weight", [kv * hd, h], "bf16"), (p + "attn_output.weight", [h, h], "bf16"),
                        (p + "attn_q_norm.weight", [hd], "norm"), (p + "attn_k_norm.weight", [hd], "norm")]
        else:
            tensors += [(p + "shortconv.in_proj.weight", [3 * h, h], "bf16"),
                        (p + "shortconv.conv.weight", [h, s["conv_cache"]], "f32"),
                        (p + "shortconv.out_proj.weight", [h, h], "bf16")]
        if i < s["dense_layers"]:
            w = s["dense_width"]
            tensors += [(p + "ffn_gate.weight", [w, h], "bf16"), (p + "ffn_up.weight", [w, h], "bf16"),
                        (p + "ffn_down.weight", [h, w], "bf16")]
        else:
            e, w = s["experts"], s["expert_width"]
            tensors += [(p + "ffn_gate_inp.weight", [e, h], "f32"), (p + "exp_probs_b.bias", [e], "bias"),
                        (p + "ffn_gate_exps.weight", [e, w, h], "bf16"), (p + "ffn_up_exps.weight", [e, w, h], "bf16"),
                        (p + "ffn_down_exps.weight", [e, h, w], "bf16")]

    def data(shape, kind):
        if kind == "norm":
            return np.ones(shape, dtype=np.float32)
        if kind == "bias":
            return (rng.standard_normal(shape, dtype=np.float32) * 0.1).astype(np.float32)
        values = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)
        if kind == "f32":
            return values
        bits = values.view(np.uint32)
        return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)  # round to nearest even

    peers.log(f"writing {path.name} (random LFM2-8B-A1B shape, BF16)")
    tmp = path.with_suffix(".partial")
    writer = gguf.GGUFWriter(str(tmp), "lfm2moe")
    writer.add_type(gguf.GGUFType.MODEL)
    writer.add_name("LFM2-8B-A1B shape (random weights)")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_BF16)
    writer.add_block_count(s["layers"])
    writer.add_context_length(128000)
    writer.add_embedding_length(h)
    writer.add_feed_forward_length(s["dense_width"])
    writer.add_head_count(heads)
    writer.add_head_count_kv([kv if i in s["attention"] else 0 for i in range(s["layers"])])
    writer.add_rope_freq_base(1e6)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_expert_count(s["experts"])
    writer.add_expert_used_count(s["per_token"])
    writer.add_expert_feed_forward_length(s["expert_width"])
    writer.add_leading_dense_block_count(s["dense_layers"])
    writer.add_expert_gating_func(gguf.ExpertGatingFuncType.SIGMOID)
    writer.add_vocab_size(s["vocab"])
    writer.add_shortconv_l_cache(s["conv_cache"])
    tokens, types, merges = peers.gguf_vocab(peers.FIXTURES / "lfm2-tiny", s["vocab"])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("lfm2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(7)
    writer.add_pad_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    for name, shape, kind in tensors:
        f32 = kind != "bf16"
        qtype = gguf.GGMLQuantizationType.F32 if f32 else gguf.GGMLQuantizationType.BF16
        writer.add_tensor_info(name, shape, np.dtype(np.float32 if f32 else np.uint16),
                               math.prod(shape) * (4 if f32 else 2), raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for name, shape, kind in tensors:
        writer.write_tensor_data(data(shape, kind))
    writer.close()
    tmp.rename(path)
    path.with_suffix(".complete").write_text("1\n")


def bytes_per_token(path):
    """Weight bytes a decode step reads: every tensor once, the expert stacks only for the chosen top-k of E."""
    import gguf
    reader = gguf.GGUFReader(str(path))
    total = active = 0
    for tensor in reader.tensors:
        size = int(tensor.n_bytes)
        total += size
        active += size * SHAPE["per_token"] // SHAPE["experts"] if "_exps." in tensor.name else size
    return total, active


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quant", default="q4_k_m", choices=sorted(peers.QUANTS))
    parser.add_argument("--out", default="/tmp/ferret-bench")
    parser.add_argument("--prompt-tokens", type=int, default=64)
    parser.add_argument("--decode-tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ferret", default=str(peers.ROOT / ".build" / "release" / "ferret"))
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--keep-bf16", action="store_true")
    args = parser.parse_args()
    out = pathlib.Path(args.out) / "moe"
    out.mkdir(parents=True, exist_ok=True)
    source, target = out / "lfm2-8b-a1b-bf16.gguf", out / f"lfm2-8b-a1b-{args.quant}.gguf"
    if not (target.is_file() and target.with_suffix(".complete").is_file()):
        write_random_moe_gguf(source)
        peers.quantize_gguf(source, target, args.quant)
        if not args.keep_bf16:
            source.unlink(missing_ok=True)
            source.with_suffix(".complete").unlink(missing_ok=True)
    total, active = bytes_per_token(target)
    peers.log(f"{target.name}: {total / 1e9:.2f} GB, {active / 1e9:.3f} GB read per decoded token")

    results = {}
    bandwidth = [peers.run_worker("bandwidth", args)[0]]
    results["llama.cpp"], llama_command = peers.run_worker("llama_model", args, gguf=target, prompt_tokens=args.prompt_tokens,
                                                           decode_tokens=args.decode_tokens)
    bandwidth.append(peers.run_worker("bandwidth", args)[0])
    binary = peers.ferret_binary(args)
    results["ferret"], ferret_command = peers.ferret_bench(binary, args, "model", args.quant, model=target) if binary else (None, "")
    bandwidth.append(peers.run_worker("bandwidth", args)[0])
    rates = [b["read_bytes_per_s"] / 1e9 for b in bandwidth if b and "read_bytes_per_s" in b]
    gb_s = sum(rates) / len(rates) if rates else None

    cpu = peers.cpu_info()
    print(f"\nCPU: {cpu['model']} ({', '.join(cpu['simd'])}) · {args.threads} threads · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"Model: random LFM2-8B-A1B shape, {args.quant.upper()} ({target.stat().st_size / 1e9:.2f} GB file, "
          f"{active / 1e9:.3f} GB of weights read per token); memory bandwidth {gb_s or float('nan'):.1f} GB/s\n")
    print("| runtime | prefill tok/s | decode tok/s | % of roofline | peak RSS | foreign CPU |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("ferret", "llama.cpp"):
        r = results.get(name)
        if not r:
            print(f"| {name} | failed | | | | |")
            continue
        roof = gb_s * 1e9 / active if gb_s else None
        share = f"{100 * r['decode_tok_s'] / roof:.0f} %" if roof else "?"
        print(f"| {name} | {r['prefill_tok_s']:.1f} | {r['decode_tok_s']:.1f} | {share} | "
              f"{r.get('peak_rss_bytes', 0) / 1e9:.2f} GB | {100 * (r.get('foreign_load') or 0):.0f} % |")
    if results.get("ferret") and results.get("llama.cpp"):
        print(f"\nFerret / llama.cpp decode: {results['ferret']['decode_tok_s'] / results['llama.cpp']['decode_tok_s']:.2f}× "
              f"(target ≥ 1.1×); prefill {results['ferret']['prefill_tok_s'] / results['llama.cpp']['prefill_tok_s']:.2f}×")
    print(f"\nCommands:\n  {llama_command}\n  {ferret_command}")


if __name__ == "__main__":
    main()
