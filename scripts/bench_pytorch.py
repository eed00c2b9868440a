#!/usr/bin/env python3
"""PyTorch (transformers, float32) against `ferret bench model` on the same machine, shapes and thread count.

    swift build -c release
    .venv-fixtures/bin/python scripts/bench_pytorch.py --shape 350m --threads 2
    .venv-fixtures/bin/python scripts/bench_pytorch.py --encode --threads 2   # against `ferret bench encode`

Builds an Lfm2ForCausalLM of the real LFM2-350M or LFM2-1.2B shape with random weights (no download), measures
prefill of a 512-token prompt and decode of 128 tokens (median of 3, same protocol as Ferret's bench), runs the
Ferret benchmark, and prints both with the ratio.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import time

import torch
from transformers import Lfm2Config, Lfm2ForCausalLM, Lfm2Model

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHAPES = {
    "350m": dict(hidden_size=1024, num_attention_heads=16, intermediate_size=6656),
    "1.2b": dict(hidden_size=2048, num_attention_heads=32, intermediate_size=12288),
}


def lfm2_config(shape):
    return Lfm2Config(vocab_size=65536, num_hidden_layers=16, num_key_value_heads=8, block_auto_adjust_ff_dim=True,
                      block_multiple_of=256, block_ffn_dim_multiplier=1.0, max_position_embeddings=128000,
                      layer_types=["full_attention" if i in (2, 5, 8, 10, 12, 14) else "conv" for i in range(16)],
                      eos_token_id=7, **SHAPES[shape])


def pytorch_encode_rates(passages, tokens, batch_tokens, repeats):
    """The ColBERT backbone's document pass (Lfm2Model, no head): one passage per forward, then batches of
    equal-length passages (no padding, so batching is exact here)."""
    torch.manual_seed(0)
    model = Lfm2Model(lfm2_config("350m")).to(torch.float32).eval()
    inputs = torch.randint(0, 64000, (passages, tokens))
    per_batch = max(1, batch_tokens // tokens)
    single, batched = [], []
    with torch.inference_mode():
        model(inputs[:1, :16])  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            for row in range(passages):
                model(inputs[row:row + 1])
            single.append(passages * tokens / (time.perf_counter() - start))
            start = time.perf_counter()
            for first in range(0, passages, per_batch):
                model(inputs[first:first + per_batch])
            batched.append(passages * tokens / (time.perf_counter() - start))
    return statistics.median(single), statistics.median(batched)


def pytorch_rates(shape, prompt_tokens, decode_tokens, repeats):
    config = lfm2_config(shape)
    torch.manual_seed(0)
    model = Lfm2ForCausalLM(config).to(torch.float32).eval()
    prompt = torch.randint(0, 64000, (1, prompt_tokens))
    prefill, decode = [], []
    with torch.inference_mode():
        model(prompt[:, :16], use_cache=True)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            out = model(prompt, use_cache=True)
            prefill.append(prompt_tokens / (time.perf_counter() - start))
            cache = out.past_key_values
            token = out.logits[:, -1:].argmax(-1)
            start = time.perf_counter()
            for _ in range(decode_tokens):
                out = model(token, past_key_values=cache, use_cache=True)
                cache = out.past_key_values
                token = out.logits[:, -1:].argmax(-1)
            decode.append(decode_tokens / (time.perf_counter() - start))
    return statistics.median(prefill), statistics.median(decode)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=SHAPES, default="350m")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--decode-tokens", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ferret", default=str(ROOT / ".build" / "release" / "ferret"))
    parser.add_argument("--encode", action="store_true", help="compare document encoding instead of generation")
    parser.add_argument("--passages", type=int, default=32)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--batch-tokens", type=int, default=4096)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.encode:
        compare_encoding(args)
        return

    ferret = json.loads(subprocess.run(
        [args.ferret, "bench", "model", "--shape", args.shape, "--threads", str(args.threads), "--json",
         "--prompt-tokens", str(args.prompt_tokens), "--decode-tokens", str(args.decode_tokens),
         "--repeats", str(args.repeats)], check=True, capture_output=True, text=True).stdout)
    torch_prefill, torch_decode = pytorch_rates(args.shape, args.prompt_tokens, args.decode_tokens, args.repeats)

    print(f"LFM2-{args.shape} random weights, {args.threads} threads, median of {args.repeats}; "
          f"torch {torch.__version__} float32")
    print(f"{'':10}{'Ferret':>12}{'PyTorch':>12}{'ratio':>8}")
    for label, ours, theirs in [(f"prefill {args.prompt_tokens}", ferret["prefill_tok_s"], torch_prefill),
                                (f"decode {args.decode_tokens}", ferret["decode_tok_s"], torch_decode)]:
        print(f"{label:10}{ours:12.1f}{theirs:12.1f}{ours / theirs:8.2f}x")


def compare_encoding(args):
    ferret = json.loads(subprocess.run(
        [args.ferret, "bench", "encode", "--threads", str(args.threads), "--json", "--passages", str(args.passages),
         "--tokens", str(args.tokens), "--batch-tokens", str(args.batch_tokens), "--repeats", str(args.repeats)],
        check=True, capture_output=True, text=True).stdout)
    torch_single, torch_batched = pytorch_encode_rates(args.passages, args.tokens, args.batch_tokens, args.repeats)
    print(f"LFM2-350M backbone encoding {args.passages} passages x {args.tokens} tokens, random weights, "
          f"{args.threads} threads, median of {args.repeats}; torch {torch.__version__} float32")
    print(f"{'':24}{'Ferret':>12}{'PyTorch':>12}{'ratio':>8}")
    for label, ours, theirs in [("one by one", ferret["single_tok_s"], torch_single),
                                (f"batched ({args.batch_tokens} tok)", ferret["packed_tok_s"], torch_batched)]:
        print(f"{label:24}{ours:12.1f}{theirs:12.1f}{ours / theirs:8.2f}x")


if __name__ == "__main__":
    main()
