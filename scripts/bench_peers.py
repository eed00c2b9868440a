#!/usr/bin/env python3
"""Ferret against PyTorch and llama.cpp, side by side in one run, on the same random BF16 weights (issue 8, part 6),
and against llama.cpp on GGUF quantisations of them (issue 9).

    scripts/setup_fixture_env.sh && scripts/setup_bench_env.sh      # once per machine (llama.cpp builds ~10 min)
    swift build -c release --product ferret                         # else this script builds it when missing
    .venv-fixtures/bin/python scripts/bench_peers.py [--threads 2] [--shapes 350m,1.2b] [--out DIR] [--json-out FILE]

What it does, with no network (every weight is random and made here):
 1. writes BF16 checkpoints in the exact Hugging Face layout of LFM2-350M and LFM2-1.2B (Lfm2ForCausalLM, vocab
    65536, tied embeddings, attention at 2,5,8,10,12,14) and an LFM2-ColBERT-350M-style sentence-transformers folder
    (Lfm2Model without the `model.` prefix, vocab 64402, 1_Dense 1024→128), tokenizers copied from the test fixtures;
 2. writes GGUF F32 and BF16 files of them for llama.cpp with gguf's GGUFWriter (names and keys as llama.cpp's own
    LFM2 converter writes them; norms and the conv kernel stay F32 as there);
 3. llama.cpp (llama-cpp-python's low-level API): prefill of 512 tokens in one llama_decode (n_batch = n_ubatch =
    512), decode of 128 tokens one at a time after it (logits computed each step), ColBERT per-token embeddings of
    256-token documents (embeddings on, no pooling, dense_2 head applied by llama.cpp), F32 and BF16;
 4. PyTorch F32 and BF16 (transformers, SDPA): the same prefill (logits of the last position only) and decode with the
    KV cache, and ColBERT encoding (Lfm2Model → Linear 1024→128 → L2) of 256-token documents, batch 1;
 5. Ferret: `ferret bench model|encode --dtype f32|bf16 --json`, then end to end with the BF16 ColBERT folder:
    `ferret index` of a generated corpus, `ferret search`, and `ferret ask` with the BF16 1.2B folder as generator;
 6. the memory read bandwidth with the same thread count, before and after every decode measurement (a shared host's
    bandwidth drifts by ±15 % within minutes), for each row's roofline: bandwidth ÷ weight bytes per token;
 7. one markdown table with ratios and the targets of issue 8, the CPU and its flags, and the commands;
 8. GGUF quantisations (--quants, default Q8_0, Q4_0, Q4_K_M, Q6_K): the BF16 GGUF quantised by llama.cpp's own
    `llama_model_quantize`, then llama.cpp and `ferret bench model --model FILE.gguf` on the same file, with each
    one's roofline (bandwidth ÷ file size: a token reads every matrix once, the tied embedding being the head).

Every measurement runs in its own process (`--worker …`), so one runtime's threads and memory never disturb another's;
its peak RSS comes from wait4 and its "foreign CPU" is the share of the machine other processes used meanwhile (the
header says when a run was not quiet, > 8 %). Medians of --repeats runs after a warm-up. A part that fails is reported
and the run goes on; a Ferret without `--dtype` is measured without the flag (its only path, F32). Every run saves its
numbers to OUT/last-run.json first; `--report FILE` reprints the table. `--skip pytorch,llama.cpp,ferret,e2e,bandwidth`
leaves parts out; `--repeats 1 --prompt-tokens 64 --decode-tokens 8 --documents 1 --corpus-docs 4` is a quick check.
"""
import argparse
import json
import math
import os
import pathlib
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "Tests" / "Fixtures"
PYTHON = sys.executable
LAYOUT_VERSION = 1  # bump when the files written change, so cached folders are rebuilt

ATTENTION_LAYERS = (2, 5, 8, 10, 12, 14)
SHAPES = {
    # hidden, heads, block_ff_dim (auto-adjusted: int(2·ff/3) rounded up to 256 → 4608 / 8192)
    "350m": dict(hidden_size=1024, num_attention_heads=16, intermediate_size=6656),
    "1.2b": dict(hidden_size=2048, num_attention_heads=32, intermediate_size=12288),
}
VOCAB = 65536
COLBERT_VOCAB = 64402  # LFM2-ColBERT-350M: 64,400 tokenizer entries + "[Q] ", "[D] " (spec §4.1)
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja")
CPU_FLAGS = ("avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
             "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8")
WORDS = ("index search answer model token vector passage query local file folder memory speed kernel matrix "
         "weight layer attention convolution prefill decode embedding retrieval document note paper library "
         "python swift river mountain harbour engine signal garden winter letter market bridge station window "
         "careful quiet bright simple early strong light small green ancient modern useful rapid").split()


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------------------
# 1. Checkpoints


def lfm2_config(shape, vocab=VOCAB, architecture="Lfm2ForCausalLM"):
    from transformers import Lfm2Config
    return Lfm2Config(vocab_size=vocab, num_hidden_layers=16, num_key_value_heads=8, block_auto_adjust_ff_dim=True,
                      block_multiple_of=256, block_ffn_dim_multiplier=1.0, max_position_embeddings=128000,
                      layer_types=["full_attention" if i in ATTENTION_LAYERS else "conv" for i in range(16)],
                      bos_token_id=1, eos_token_id=7, pad_token_id=0, norm_eps=1e-5, rope_theta=1000000.0,
                      conv_L_cache=3, conv_bias=False, tie_word_embeddings=True, architectures=[architecture],
                      **SHAPES[shape])


def complete(folder):
    marker = folder / ".complete"
    return marker.is_file() and marker.read_text().strip() == str(LAYOUT_VERSION)


def mark_complete(folder):
    (folder / ".complete").write_text(f"{LAYOUT_VERSION}\n")


def copy_tokenizer(source, target):
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)


def random_bf16(build, seed):
    """A model built directly in BF16 (no F32 copy of 1.2B parameters), seeded, in eval mode."""
    import torch
    torch.manual_seed(seed)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        return build().eval()
    finally:
        torch.set_default_dtype(previous)


def write_causal_checkpoint(folder, shape, seed):
    import torch
    from transformers import Lfm2ForCausalLM
    if complete(folder):
        return
    log(f"writing random BF16 LFM2-{shape.upper()} checkpoint → {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    model = random_bf16(lambda: Lfm2ForCausalLM(lfm2_config(shape)), seed)
    model.save_pretrained(folder, safe_serialization=True, max_shard_size="20GB")
    copy_tokenizer(FIXTURES / "lfm2-tiny", folder)  # chat template + a small vocab (ids < 2608 are sampled)
    mark_complete(folder)


def write_colbert_checkpoint(folder, seed):
    import torch
    from safetensors.torch import save_file
    from transformers import Lfm2Model
    if complete(folder):
        return
    log(f"writing random BF16 LFM2-ColBERT-350M-style folder → {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    model = random_bf16(lambda: Lfm2Model(lfm2_config("350m", vocab=COLBERT_VOCAB, architecture="Lfm2Model")), seed)
    model.save_pretrained(folder, safe_serialization=True, max_shard_size="20GB")  # keys without `model.`
    source = FIXTURES / "colbert-causal-tiny"
    copy_tokenizer(source, folder)
    for name in ("modules.json",):
        shutil.copy2(source / name, folder / name)
    st_config = json.loads((source / "config_sentence_transformers.json").read_text())
    st_config.update(query_length=32, document_length=512)  # the real model's lengths (spec §4.1)
    (folder / "config_sentence_transformers.json").write_text(json.dumps(st_config, indent=2))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 511, "do_lower_case": False},
                                                                  indent=4))
    dense = folder / "1_Dense"
    dense.mkdir()
    (dense / "config.json").write_text(json.dumps({
        "in_features": 1024, "out_features": 128, "bias": False,
        "activation_function": "torch.nn.modules.linear.Identity", "use_residual": False}, indent=4))
    weight = (torch.randn(128, 1024) * (1024 ** -0.5)).to(torch.bfloat16)
    save_file({"linear.weight": weight.contiguous()}, str(dense / "model.safetensors"), metadata={"format": "pt"})
    mark_complete(folder)


# ----------------------------------------------------------------------------------------------------------------
# 2. GGUF


def gguf_vocab(folder, size):
    """The fixture tokenizer as llama.cpp's gpt2-style vocab, padded with [PADn] tokens to the embedding rows."""
    import gguf
    data = json.loads((folder / "tokenizer.json").read_text())
    by_id = {i: t for t, i in data["model"]["vocab"].items()}
    special = set()
    for added in data.get("added_tokens", []):
        by_id[added["id"]] = added["content"]
        if added.get("special"):
            special.add(added["id"])
    tokens, types = [], []
    for i in range(size):
        if i in by_id:
            tokens.append(by_id[i])
            types.append(gguf.TokenType.CONTROL if i in special else gguf.TokenType.NORMAL)
        else:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
    merges = [m if isinstance(m, str) else " ".join(m) for m in data["model"].get("merges", [])]
    return tokens, types, merges


def gguf_name(hf_name):
    name = hf_name[len("model."):] if hf_name.startswith("model.") else hf_name
    if name == "embed_tokens.weight":
        return "token_embd.weight"
    if name == "embedding_norm.weight":
        return "token_embd_norm.weight"
    if name == "lm_head.weight":
        return "output.weight"
    match = re.fullmatch(r"layers\.(\d+)\.(.+)", name)
    if not match:
        raise ValueError(f"unexpected tensor {hf_name}")
    layer, rest = match.groups()
    table = {
        "operator_norm.weight": "attn_norm.weight", "ffn_norm.weight": "ffn_norm.weight",
        "feed_forward.w1.weight": "ffn_gate.weight", "feed_forward.w3.weight": "ffn_up.weight",
        "feed_forward.w2.weight": "ffn_down.weight",
        "conv.in_proj.weight": "shortconv.in_proj.weight", "conv.conv.weight": "shortconv.conv.weight",
        "conv.out_proj.weight": "shortconv.out_proj.weight",
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.out_proj.weight": "attn_output.weight",
        "self_attn.q_layernorm.weight": "attn_q_norm.weight", "self_attn.k_layernorm.weight": "attn_k_norm.weight",
    }
    return f"blk.{layer}.{table[rest]}"


def write_gguf(folder, path, dtype, colbert=False):
    """GGUF of an HF LFM2 folder, as llama.cpp's converter (conversion/lfm2.py) writes it: F32 for 1-D tensors, norms
    and the conv kernel; everything else F32 or BF16. Streams tensor by tensor (the 1.2B F32 file is 4.7 GB)."""
    import gguf
    import numpy as np
    import torch
    from safetensors import safe_open
    if path.is_file() and path.with_suffix(".complete").is_file():
        return
    log(f"writing {path.name}")
    config = json.loads((folder / "config.json").read_text())
    hidden, layers = config["hidden_size"], config["num_hidden_layers"]
    ff = config.get("block_ff_dim", config["intermediate_size"])
    if config.get("block_auto_adjust_ff_dim"):
        ff = int(2 * ff / 3)
        if config.get("block_ffn_dim_multiplier") is not None:
            ff = int(config["block_ffn_dim_multiplier"] * ff)
        multiple = config["block_multiple_of"]
        ff = multiple * ((ff + multiple - 1) // multiple)
    kinds = config["layer_types"]
    bf16 = dtype == "bf16"

    tensors = []  # (gguf name, loader) in file order
    with safe_open(str(folder / "model.safetensors"), "pt") as f:
        names = list(f.keys())
    for name in names:
        tensors.append((gguf_name(name), folder / "model.safetensors", name))
    if colbert:
        tensors.append(("dense_2.weight", folder / "1_Dense" / "model.safetensors", "linear.weight"))

    def keep_f32(name, dims):
        return dims <= 1 or name.endswith("conv.conv.weight") or name.endswith("norm.weight")

    def plan(file, name):
        """(shape, GGML type, bytes) without reading the data."""
        with safe_open(str(file), "pt") as f:
            shape = list(f.get_slice(name).get_shape())
        if name.endswith("conv.conv.weight"):
            shape = [shape[0], shape[2]]
        f32 = not bf16 or keep_f32(name, len(shape))
        qtype = gguf.GGMLQuantizationType.F32 if f32 else gguf.GGMLQuantizationType.BF16
        return shape, (np.float32 if f32 else np.uint16), math.prod(shape) * (4 if f32 else 2), qtype

    def load(file, name):
        with safe_open(str(file), "pt") as f:
            t = f.get_tensor(name)
        if name.endswith("conv.conv.weight"):
            t = t.squeeze(1)
        if bf16 and not keep_f32(name, t.dim()):
            return t.to(torch.bfloat16).contiguous().view(torch.int16).numpy().view(np.uint16)
        return t.to(torch.float32).contiguous().numpy()

    tmp = path.with_suffix(".partial")
    writer = gguf.GGUFWriter(str(tmp), "lfm2")
    writer.add_type(gguf.GGUFType.MODEL)
    writer.add_name(f"{folder.name} (random weights)")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_BF16 if bf16 else gguf.LlamaFileType.ALL_F32)
    writer.add_block_count(layers)
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(config["num_attention_heads"])
    writer.add_head_count_kv([config["num_key_value_heads"] if k != "conv" else 0 for k in kinds])
    writer.add_rope_freq_base(config.get("rope_theta", 1e6))
    writer.add_layer_norm_rms_eps(config["norm_eps"])
    writer.add_vocab_size(config["vocab_size"])
    writer.add_shortconv_l_cache(config["conv_L_cache"])
    if colbert:
        writer.add_embedding_length_out(128)
    tokens, types, merges = gguf_vocab(folder, config["vocab_size"])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("lfm2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(config.get("bos_token_id", 1))
    writer.add_eos_token_id(7)
    writer.add_pad_token_id(config.get("pad_token_id", 0))
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)

    # Tensor infos first (shapes and types only), then the data, one tensor in memory at a time.
    for gname, file, name in tensors:
        shape, np_dtype, nbytes, qtype = plan(file, name)
        writer.add_tensor_info(gname, shape, np.dtype(np_dtype), nbytes, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for gname, file, name in tensors:
        writer.write_tensor_data(load(file, name))
    writer.close()
    tmp.rename(path)
    path.with_suffix(".complete").write_text(f"{LAYOUT_VERSION}\n")


# ----------------------------------------------------------------------------------------------------------------
# Workers: each runs in its own process and prints one JSON object on stdout.


def token_stream(count, seed):
    import random
    rng = random.Random(seed)
    return [rng.randrange(64000) for _ in range(count)]


def next_token(token):
    return (token * 31 + 7) % 64000  # the same sequence as `ferret bench model`


def worker_torch_model(args):
    import torch
    from transformers import Lfm2ForCausalLM
    torch.set_num_threads(args.threads)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    model = Lfm2ForCausalLM.from_pretrained(args.folder, dtype=dtype).eval()
    prompt = torch.tensor([token_stream(args.prompt_tokens, 42)])
    prefill, decode = [], []
    with torch.inference_mode():
        model(prompt[:, :16], use_cache=True, logits_to_keep=1)  # warm-up
        out = model(prompt, use_cache=True, logits_to_keep=1)
        for _ in range(args.repeats):
            start = time.perf_counter()
            out = model(prompt, use_cache=True, logits_to_keep=1)
            prefill.append(args.prompt_tokens / (time.perf_counter() - start))
            cache, token = out.past_key_values, 1
            start = time.perf_counter()
            for _ in range(args.decode_tokens):
                out = model(torch.tensor([[token]]), past_key_values=cache, use_cache=True)
                cache, token = out.past_key_values, next_token(token)
            decode.append(args.decode_tokens / (time.perf_counter() - start))
    return dict(prefill_tok_s=statistics.median(prefill), decode_tok_s=statistics.median(decode),
                prefill_runs=prefill, decode_runs=decode, torch=torch.__version__,
                parameters=sum(p.numel() for p in model.parameters()))


def worker_torch_encode(args):
    import torch
    import torch.nn.functional as F
    from safetensors.torch import load_file
    from transformers import Lfm2Model
    torch.set_num_threads(args.threads)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    folder = pathlib.Path(args.folder)
    backbone = Lfm2Model.from_pretrained(folder, dtype=dtype).eval()
    head = torch.nn.Linear(1024, 128, bias=False, dtype=dtype)
    head.weight.data.copy_(load_file(str(folder / "1_Dense" / "model.safetensors"))["linear.weight"].to(dtype))
    documents = [torch.tensor([token_stream(args.doc_tokens, 1000 + i)]) for i in range(args.documents)]

    def encode(ids):
        hidden = backbone(input_ids=ids).last_hidden_state
        return F.normalize(head(hidden).float(), dim=-1)

    rates = []
    with torch.inference_mode():
        encode(documents[0][:, :16])
        encode(documents[0])  # warm-up
        for _ in range(args.repeats):
            start = time.perf_counter()
            for ids in documents:
                encode(ids)
            rates.append(args.documents * args.doc_tokens / (time.perf_counter() - start))
    return dict(encode_tok_s=statistics.median(rates), encode_runs=rates, torch=torch.__version__)


def llama_open(path, threads, n_ctx, embeddings):
    import llama_cpp as L
    L.llama_backend_init()
    mparams = L.llama_model_default_params()
    if os.environ.get("FERRET_BENCH_LLAMA_NO_REPACK") == "1":
        mparams.use_extra_bufts = False  # llama.cpp's --no-repack: weights used as stored, not repacked at load
    model = L.llama_model_load_from_file(str(path).encode(), mparams)
    if not model:
        raise RuntimeError(f"llama.cpp could not load {path}")
    cparams = L.llama_context_default_params()
    cparams.n_ctx = n_ctx
    cparams.n_batch = 512
    cparams.n_ubatch = 512
    cparams.n_seq_max = 1
    cparams.n_threads = threads
    cparams.n_threads_batch = threads
    if embeddings:
        cparams.embeddings = True
        cparams.pooling_type = L.LLAMA_POOLING_TYPE_NONE
    ctx = L.llama_init_from_model(model, cparams)
    if not ctx:
        raise RuntimeError("llama.cpp could not create a context")
    L.llama_set_n_threads(ctx, threads, threads)
    return L, model, ctx


class LlamaBatch:
    def __init__(self, L, capacity):
        self.L = L
        self.batch = L.llama_batch_init(capacity, 0, 1)

    def fill(self, tokens, first_pos, outputs):
        """outputs: "last" or "all" positions get logits/embeddings."""
        b = self.batch
        b.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            b.token[i] = token
            b.pos[i] = first_pos + i
            b.n_seq_id[i] = 1
            b.seq_id[i][0] = 0
            b.logits[i] = 1 if outputs == "all" or i == len(tokens) - 1 else 0
        return b


def llama_decode(L, ctx, batch):
    code = L.llama_decode(ctx, batch)
    if code != 0:
        raise RuntimeError(f"llama_decode returned {code}")


def worker_llama_model(args):
    L, model, ctx = llama_open(args.gguf, args.threads, 1024, embeddings=False)
    memory = L.llama_get_memory(ctx)
    batch = LlamaBatch(L, 512)
    prompt = token_stream(args.prompt_tokens, 42)
    llama_decode(L, ctx, batch.fill(prompt[:16], 0, "last"))  # warm-up
    L.llama_memory_clear(memory, True)
    prefill, decode = [], []
    for _ in range(args.repeats + 1):  # the first full pass is a warm-up too
        L.llama_memory_clear(memory, True)
        filled = batch.fill(prompt, 0, "last")
        start = time.perf_counter()
        llama_decode(L, ctx, filled)
        prefill.append(args.prompt_tokens / (time.perf_counter() - start))
        token, pos = 1, args.prompt_tokens
        start = time.perf_counter()
        for _ in range(args.decode_tokens):
            llama_decode(L, ctx, batch.fill([token], pos, "last"))
            L.llama_get_logits_ith(ctx, -1)
            token, pos = next_token(token), pos + 1
        decode.append(args.decode_tokens / (time.perf_counter() - start))
    prefill, decode = prefill[1:], decode[1:]
    L.llama_free(ctx)
    L.llama_model_free(model)
    return dict(prefill_tok_s=statistics.median(prefill), decode_tok_s=statistics.median(decode),
                prefill_runs=prefill, decode_runs=decode, weight_bytes=os.path.getsize(args.gguf),
                llama_cpp_python=llama_version(), system_info=llama_system_info(L))


def worker_llama_encode(args):
    import ctypes
    import numpy as np
    L, model, ctx = llama_open(args.gguf, args.threads, 512, embeddings=True)
    memory = L.llama_get_memory(ctx)
    width = L.llama_model_n_embd_out(model) if hasattr(L, "llama_model_n_embd_out") else 128
    batch = LlamaBatch(L, 512)
    documents = [token_stream(args.doc_tokens, 1000 + i) for i in range(args.documents)]

    def encode(tokens):
        L.llama_memory_clear(memory, True)
        llama_decode(L, ctx, batch.fill(tokens, 0, "all"))
        pointer = L.llama_get_embeddings(ctx)
        vectors = np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)),
                                        shape=(len(tokens), width)).copy()
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    first = encode(documents[0][:16])
    encode(documents[0])  # warm-up
    rates = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for tokens in documents:
            encode(tokens)
        rates.append(args.documents * args.doc_tokens / (time.perf_counter() - start))
    L.llama_free(ctx)
    L.llama_model_free(model)
    return dict(encode_tok_s=statistics.median(rates), encode_runs=rates, output_dim=int(first.shape[1]),
                finite=bool(np.isfinite(first).all()), llama_cpp_python=llama_version())


def llama_version():
    try:
        import llama_cpp
        return llama_cpp.__version__
    except Exception:  # noqa: BLE001
        return None


def llama_system_info(L):
    """llama.cpp's own line of the CPU features it was built with and uses (AVX512_BF16 = 1 | AMX_INT8 = 1 …)."""
    try:
        return L.llama_print_system_info().decode().strip()
    except Exception:  # noqa: BLE001
        return None


def worker_bandwidth(args):
    """Near-peak read bandwidth of a 1 GiB float32 array with `threads` threads, each taking the max of its share
    (numpy releases the GIL in reductions; max is cheaper than a pairwise sum, so it runs at the memory's speed:
    ~35 GB/s with two threads on the AMD machine, where llama.cpp's BF16 decode streams ~34.5 GB/s)."""
    import concurrent.futures
    import numpy as np
    n = (1 << 30) // 4
    data = np.ones(n, dtype=np.float32)
    parts = np.array_split(data, args.threads)
    runs = []
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        for _ in range(max(10, args.repeats)):
            start = time.perf_counter()
            list(pool.map(lambda part: float(np.max(part)), parts))
            runs.append(data.nbytes / (time.perf_counter() - start))
    top = sorted(runs)[-3:]  # the median of the best three: near the peak, robust to a single odd timing
    return dict(read_bytes_per_s=statistics.median(top), median_bytes_per_s=statistics.median(runs),
                bytes=data.nbytes, threads=args.threads, runs=len(runs))


QUANTS = {  # --quants name → llama.cpp ftype (llama_ftype in llama.h)
    "q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0", "q4_0": "LLAMA_FTYPE_MOSTLY_Q4_0", "q4_k_m": "LLAMA_FTYPE_MOSTLY_Q4_K_M",
    "q6_k": "LLAMA_FTYPE_MOSTLY_Q6_K", "q5_k_m": "LLAMA_FTYPE_MOSTLY_Q5_K_M", "q4_1": "LLAMA_FTYPE_MOSTLY_Q4_1",
    "q5_0": "LLAMA_FTYPE_MOSTLY_Q5_0", "q5_1": "LLAMA_FTYPE_MOSTLY_Q5_1",
}


def quantize_gguf(source, target, quant):
    """llama.cpp's own quantiser (llama_model_quantize, as `llama-quantize` runs it) on the BF16 GGUF."""
    if target.is_file() and target.with_suffix(".complete").is_file():
        return
    import llama_cpp as L
    params = L.llama_model_quantize_default_params()
    params.ftype = getattr(L, QUANTS[quant])
    params.nthread = os.cpu_count() or 2
    log(f"quantising {source.name} → {target.name}")
    code = L.llama_model_quantize(str(source).encode(), str(target).encode(), params)
    if code != 0:
        raise RuntimeError(f"llama_model_quantize returned {code} for {target}")
    target.with_suffix(".complete").write_text("")


WORKERS = dict(torch_model=worker_torch_model, torch_encode=worker_torch_encode, llama_model=worker_llama_model,
               llama_encode=worker_llama_encode, bandwidth=worker_bandwidth)


def run_worker(kind, args, **options):
    """Runs a worker in a fresh process; returns (result dict or None, command string)."""
    command = [PYTHON, str(pathlib.Path(__file__).resolve()), "--worker", kind, "--threads", str(args.threads),
               "--repeats", str(args.repeats)]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    pretty = shlex.join([os.path.relpath(c, ROOT) if c.startswith(str(ROOT)) else c for c in command])
    log(f"$ {pretty}")
    run = run_measured(command, env=env)
    if run["exit"] != 0:
        tail = "\n".join(run["stderr"].strip().splitlines()[-6:])
        log(f"  failed (exit {run['exit']}):\n{tail}")
        return None, pretty
    result = json.loads(run["stdout"].strip().splitlines()[-1])
    result["peak_rss_bytes"] = run["peak_rss_bytes"]
    result["foreign_load"] = run["foreign_load"]
    log(f"  {run['seconds']:.0f}s: " + json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                                  for k, v in result.items() if not k.endswith("runs")}))
    return result, pretty


# ----------------------------------------------------------------------------------------------------------------
# Ferret


def ferret_binary(args):
    binary = pathlib.Path(args.ferret)
    if binary.is_file():
        return binary
    if args.no_build:
        log(f"{binary} is missing and --no-build was given: skipping Ferret")
        return None
    log("building Ferret: swift build -c release --product ferret (the release binary is missing)")
    proc = subprocess.run(["swift", "build", "-c", "release", "--product", "ferret"], cwd=ROOT)
    return binary if proc.returncode == 0 and binary.is_file() else None


def cpu_busy_seconds():
    """Busy CPU seconds of the whole machine so far (all cores), from /proc/stat; None where there is none."""
    try:
        fields = [int(x) for x in pathlib.Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_measured(command, first_line=None, env=None):
    """Runs a command; returns wall seconds, peak RSS bytes (its own, from wait4), exit code, stdout, stderr, the
    time at which a stdout line matching `first_line` appeared (None if never), and `foreign_load`: the share of the
    machine's CPU time that other processes used meanwhile (busy time from /proc/stat minus the command's own)."""
    busy_before = cpu_busy_seconds()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, env=env)
        first_at, lines = None, []
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            if first_at is None and first_line is not None and first_line(line):
                first_at = time.perf_counter() - start
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    busy_after, foreign = cpu_busy_seconds(), None
    if busy_before is not None and busy_after is not None and wall > 0:
        own = usage.ru_utime + usage.ru_stime
        foreign = max(0.0, (busy_after - busy_before - own) / (wall * (os.cpu_count() or 1)))
    return dict(seconds=wall, peak_rss_bytes=usage.ru_maxrss * 1024, exit=proc.returncode, stdout="".join(lines),
                stderr=stderr, first_at=first_at, foreign_load=foreign)


def ferret_bench(binary, args, kind, dtype, shape=None, with_dtype=True, model=None):
    """`model`: a GGUF file measured as stored (its quantisation is `dtype`), instead of random weights."""
    if model is not None:
        with_dtype = False
    command = [str(binary), "bench", kind] + (["--shape", shape] if kind == "model" and model is None else []) \
        + (["--model", str(model)] if model is not None else []) \
        + (["--dtype", dtype] if with_dtype else []) \
        + ["--threads", str(args.threads), "--json", "--repeats", str(args.repeats)]
    if kind == "model":
        command += ["--prompt-tokens", str(args.prompt_tokens), "--decode-tokens", str(args.decode_tokens)]
    else:
        command += ["--tokens", str(args.doc_tokens)]
    pretty = shlex.join([os.path.relpath(command[0], ROOT)] + command[1:])
    log(f"$ {pretty}")
    run = run_measured(command)
    if run["exit"] != 0:
        message = next((line.strip() for line in run["stderr"].splitlines() if line.strip()), "(no message)")
        log(f"  ferret bench {kind}{' --dtype ' + dtype if with_dtype else ''} failed (exit {run['exit']}): {message}")
        if with_dtype and dtype == "f32" and "dtype" in run["stderr"]:
            # A Ferret from before `--dtype` (issue 8) runs F32 only: measure that, marked as such.
            log("  this Ferret has no --dtype; its only path is F32: measuring that without the flag")
            result, pretty = ferret_bench(binary, args, kind, dtype, shape, with_dtype=False)
            if result is not None:
                result.setdefault("dtype", "f32 (no --dtype flag)")
            return result, pretty
        return None, pretty
    try:
        result = json.loads(run["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        log("  ferret bench printed no JSON")
        return None, pretty
    result.setdefault("peak_rss_bytes", run["peak_rss_bytes"])
    result["foreign_load"] = run["foreign_load"]
    log("  " + json.dumps(result))
    return result, pretty


def make_corpus(folder, documents, tokens, tokenizer_file):
    """~`documents` text files of ~`tokens` tokens each (counted with the ColBERT folder's tokenizer)."""
    import random
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    stamp = folder / ".complete"
    if stamp.is_file() and stamp.read_text().strip() == f"{documents} {tokens} {LAYOUT_VERSION}":
        return sum(int(line.split()[1]) for line in (folder / ".tokens").read_text().splitlines())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(5)
    counts = []
    for d in range(documents):
        sentences, count = [], 0
        while count < tokens:
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
            sentence = " ".join(words).capitalize() + "."
            n = len(tokenizer.encode(sentence, add_special_tokens=False).ids) + 1
            if count + n > tokens and sentences:
                break
            sentences.append(sentence)
            count += n
        text = f"# Note {d}\n\n" + " ".join(sentences) + "\n"
        (folder / f"note_{d:03d}.md").write_text(text)
        counts.append(len(tokenizer.encode(text, add_special_tokens=False).ids))
    (folder / ".tokens").write_text("".join(f"note_{d:03d}.md {c}\n" for d, c in enumerate(counts)))
    stamp.write_text(f"{documents} {tokens} {LAYOUT_VERSION}\n")
    return sum(counts)


def ferret_end_to_end(binary, args, paths, results, commands):
    corpus = paths["cache"] / "corpus"
    corpus_tokens = make_corpus(corpus, args.corpus_docs, args.doc_tokens, paths["colbert"] / "tokenizer.json")
    index = paths["cache"] / "bench-index.sqlite"
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(index) + suffix).unlink(missing_ok=True)
    threads = ["--threads", str(args.threads)]
    e2e = {}

    def show(command):
        return shlex.join([os.path.relpath(command[0], ROOT)] + command[1:])

    command = [str(binary), "index", str(corpus), "--model", str(paths["colbert"]), "--index", str(index),
               "--json"] + threads
    commands.append(show(command))
    log(f"$ {show(command)}")
    run = run_measured(command)
    if run["exit"] != 0:
        log(f"  ferret index failed (exit {run['exit']}): {run['stderr'].strip()[-400:]}")
        results["ferret_e2e"] = e2e
        return
    summary = {}
    try:
        summary = json.loads(run["stdout"])
    except ValueError:
        pass
    tokens = summary.get("tokens") or None
    if not tokens:
        status = subprocess.run([str(binary), "status", "--index", str(index), "--json"], capture_output=True,
                                text=True, cwd=ROOT)
        try:
            tokens = json.loads(status.stdout).get("tokens")
        except ValueError:
            tokens = None
    e2e["index"] = dict(seconds=run["seconds"], run_seconds=summary.get("seconds"), tokens=tokens,
                        tokens_estimated=tokens is None, corpus_tokens=corpus_tokens,
                        passages=summary.get("passages"), peak_rss_bytes=run["peak_rss_bytes"],
                        foreign_load=run["foreign_load"])
    tokens = tokens or corpus_tokens
    e2e["index"]["tok_s_wall"] = tokens / run["seconds"]
    if summary.get("seconds"):
        e2e["index"]["tok_s_run"] = tokens / summary["seconds"]
    log(f"  {json.dumps(e2e['index'])}")

    command = [str(binary), "search", "local kernel memory speed", "--model", str(paths["colbert"]),
               "--index", str(index), "--json"] + threads
    commands.append(show(command))
    log(f"$ {show(command)}")
    search = [run_measured(command) for _ in range(args.repeats)]
    if all(r["exit"] == 0 for r in search):
        e2e["search"] = dict(seconds=statistics.median(r["seconds"] for r in search),
                             runs=[r["seconds"] for r in search],
                             peak_rss_bytes=max(r["peak_rss_bytes"] for r in search),
                             foreign_load=max(r["foreign_load"] or 0 for r in search))
        log(f"  {json.dumps(e2e['search'])}")
    else:
        log(f"  ferret search failed: {search[-1]['stderr'].strip()[-400:]}")

    if "1.2b" in paths["causal"]:
        command = [str(binary), "ask", "Which engine keeps the harbour quiet in winter?", "--model",
                   str(paths["colbert"]), "--generator", str(paths["causal"]["1.2b"]), "--index", str(index),
                   "-k", str(args.ask_passages), "--max-tokens", str(args.ask_tokens), "--min-score=-1",
                   "--jsonl"] + threads
        commands.append(show(command))
        log(f"$ {show(command)}")
        run = run_measured(command, first_line=lambda line: '"delta"' in line)
        done = {}
        for line in run["stdout"].splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("type") == "done":
                done = event
        if run["exit"] in (0, 1):
            e2e["ask"] = dict(seconds=run["seconds"], first_token_seconds=run["first_at"],
                              peak_rss_bytes=run["peak_rss_bytes"], timings=done.get("timings"),
                              abstained=done.get("abstained"), exit=run["exit"], foreign_load=run["foreign_load"])
            log(f"  {json.dumps(e2e['ask'])}")
        else:
            log(f"  ferret ask failed (exit {run['exit']}): {run['stderr'].strip()[-400:]}")
    results["ferret_e2e"] = e2e


# ----------------------------------------------------------------------------------------------------------------
# Report


def cpu_info():
    model, flags = None, []
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = line.split(":", 1)[1].split()
    except OSError:
        pass
    return dict(model=model or platform.processor() or "unknown", cores=os.cpu_count(), flags=flags,
                simd=[f for f in CPU_FLAGS if f in flags])


def fmt(value, digits=1):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def pct(share):
    return "—" if share is None else f"{100 * share:.0f} %"


def gb(value):
    return "—" if not value else f"{value / 1e9:,.2f} GB"


def ratio(a, b):
    return a / b if a and b else None


def check(value, target, above=True):
    if value is None:
        return "—"
    return "✓" if (value >= target if above else value <= target) else "✗"


def report(args, results, commands):
    cpu = results["cpu"]
    bw = (results.get("bandwidth") or {}).get("read_bytes_per_s")
    lines = [f"## Ferret vs PyTorch vs llama.cpp — {results.get('started') or time.strftime('%Y-%m-%d %H:%M')}", ""]
    lines.append(f"- CPU: {cpu['model']}, {cpu['cores']} logical cores; SIMD: {' '.join(cpu['simd']) or '—'}")
    lines.append(f"- threads: {args.threads}; medians of {args.repeats} after warm-up; random weights (BF16 on disk, "
                 f"real LFM2 shapes); prompt {args.prompt_tokens} tokens, decode {args.decode_tokens} after it; "
                 f"ColBERT documents of {args.doc_tokens} tokens, batch 1")
    versions = results.get("versions", {})
    lines.append("- " + ", ".join(f"{k} {v}" for k, v in versions.items() if v))
    samples = (results.get("bandwidth") or {}).get("samples") or []
    lines.append(f"- read bandwidth ({args.threads} threads, a 1 GiB array, median of the best 3 of 10 passes), "
                 f"measured before and after every decode measurement: median {fmt(bw / 1e9 if bw else None)} GB/s, "
                 f"range {fmt(min(samples) / 1e9 if samples else None)}–{fmt(max(samples) / 1e9 if samples else None)}"
                 f" GB/s. Each row's decode roofline = the bandwidth around it ÷ (parameters × bytes per weight)")
    loads = [r.get("foreign_load") for group in ("model", "encode") for r in results.get(group, {}).values()]
    loads += [r.get("foreign_load") for r in results.get("ferret_e2e", {}).values() if isinstance(r, dict)]
    worst = max((x for x in loads if x is not None), default=None)
    if worst is not None:
        quiet = "quiet" if worst < 0.08 else "**NOT quiet: numbers above 8 % foreign CPU are disturbed; rerun**"
        lines.append(f"- other processes used at most {100 * worst:.0f} % of the machine's CPU during a measurement "
                     f"({quiet})")
    system_info = next((r.get("system_info") for r in results.get("model", {}).values() if r.get("system_info")), None)
    if system_info:
        lines.append(f"- llama.cpp build: `{system_info}`")
    ferret_cpu = next((r.get("cpu") for r in results.get("model", {}).values() if r.get("cpu")), None)
    if ferret_cpu:
        lines.append(f"- Ferret reports: {json.dumps(ferret_cpu) if not isinstance(ferret_cpu, str) else ferret_cpu}")
    lines.append("")
    lines.append("| model | runtime | dtype | prefill tok/s | decode tok/s | bandwidth around it | decode roofline tok/s "
                 "| % of roofline | weight bytes | peak RSS | foreign CPU |")
    lines.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape in args.shapes:
        params = results.get("parameters", {}).get(shape)
        for runtime in ("ferret", "pytorch", "llama.cpp"):
            for dtype in ("f32", "bf16"):
                r = results.get("model", {}).get(f"{runtime}/{shape}/{dtype}")
                weight = params * (4 if dtype == "f32" else 2) if params else None
                near = (r or {}).get("bandwidth_bytes_per_s") or bw
                roof = near / weight if near and weight else None
                if r is None:
                    lines.append(f"| LFM2-{shape.upper()} | {runtime} | {dtype.upper()} | — | — | — | — | — "
                                 f"| {gb(weight)} | — | — |")
                    continue
                decode = r.get("decode_tok_s")
                rss = r.get("peak_rss_bytes")
                extra = f" ({r['kernel_path']})" if r.get("kernel_path") else ""
                if "no --dtype" in str(r.get("dtype", "")):
                    extra += " (no --dtype: F32 only)"
                lines.append(f"| LFM2-{shape.upper()} | {runtime}{extra} | {dtype.upper()} | "
                             f"{fmt(r.get('prefill_tok_s'))} | {fmt(decode)} | "
                             f"{fmt(near / 1e9 if near else None)} GB/s | {fmt(roof)} | "
                             f"{fmt(100 * decode / roof if decode and roof else None, 0)} % | "
                             f"{gb(r.get('weight_bytes') or weight)} | {gb(rss)} | {pct(r.get('foreign_load'))} |")
    lines.append("")
    lines.append(f"| ColBERT encoding, {args.doc_tokens}-token documents | dtype | tok/s | peak RSS | foreign CPU "
                 "| notes |")
    lines.append("|---|---|---:|---:|---:|---|")
    for runtime in ("ferret", "pytorch", "llama.cpp"):
        for dtype in ("f32", "bf16"):
            r = results.get("encode", {}).get(f"{runtime}/{dtype}") or {}
            if runtime == "ferret":
                value = r.get("single_tok_s")
                note = "`bench encode`, one by one" + (f"; packed {fmt(r.get('packed_tok_s'))} tok/s"
                                                       if r.get("packed_tok_s") else "")
                note += f"; {r['kernel_path']}" if r.get("kernel_path") else ""
            elif runtime == "pytorch":
                value, note = r.get("encode_tok_s"), "Lfm2Model → Linear 1024→128 → L2, batch 1"
            else:
                value, note = r.get("encode_tok_s"), "embeddings on, no pooling, dense_2 in the GGUF, L2 in numpy"
            lines.append(f"| {runtime} | {dtype.upper()} | {fmt(value)} | {gb(r.get('peak_rss_bytes'))} | "
                         f"{pct(r.get('foreign_load'))} | {note} |")
    lines.extend(quant_report(args, results, bw))
    e2e = results.get("ferret_e2e", {})
    lines.append("")
    lines.append("### Ratios and the targets of issue 8")
    lines.append("")
    lines.append("| measure | Ferret | ÷ PyTorch BF16 | ÷ llama.cpp BF16 | target | met |")
    lines.append("|---|---:|---:|---:|---|---|")
    enc = results.get("encode", {})
    models = results.get("model", {})
    pe = (enc.get("pytorch/bf16") or {}).get("encode_tok_s")
    le = (enc.get("llama.cpp/bf16") or {}).get("encode_tok_s")
    # The targets are for Ferret BF16; Ferret F32 rows are shown too when measured (today's path, for reference).
    ferret_dtypes = ["bf16"] + [d for d in args.dtypes if d != "bf16" and (
        enc.get(f"ferret/{d}") or any(models.get(f"ferret/{s}/{d}") for s in args.shapes))]
    for dtype in ferret_dtypes:
        fe = (enc.get(f"ferret/{dtype}") or {}).get("single_tok_s")
        rp, rl = ratio(fe, pe), ratio(fe, le)
        lines.append(f"| ColBERT encoding tok/s, Ferret {dtype.upper()} | {fmt(fe)} | {fmt(rp, 2)}× | {fmt(rl, 2)}× "
                     f"| ≥ 1.2× PyTorch, ≥ 1.5× llama.cpp | {check(rp, 1.2)} {check(rl, 1.5)} |")
    for shape in args.shapes:
        p = models.get(f"pytorch/{shape}/bf16") or {}
        q = models.get(f"llama.cpp/{shape}/bf16") or {}
        for dtype in ferret_dtypes:
            f = models.get(f"ferret/{shape}/{dtype}") or {}
            rp = ratio(f.get("prefill_tok_s"), p.get("prefill_tok_s"))
            rl = ratio(f.get("prefill_tok_s"), q.get("prefill_tok_s"))
            lines.append(f"| LFM2-{shape.upper()} prefill tok/s, Ferret {dtype.upper()} | {fmt(f.get('prefill_tok_s'))} "
                         f"| {fmt(rp, 2)}× | {fmt(rl, 2)}× | ≥ 1.2× PyTorch, ≥ 1.5× llama.cpp | "
                         f"{check(rp, 1.2)} {check(rl, 1.5)} |")
        params = results.get("parameters", {}).get(shape)
        for dtype in ferret_dtypes:
            f = models.get(f"ferret/{shape}/{dtype}") or {}
            near = f.get("bandwidth_bytes_per_s") or bw
            roof = near / ((2 if dtype == "bf16" else 4) * params) if near and params else None
            d = f.get("decode_tok_s")
            rp, rl = ratio(d, p.get("decode_tok_s")), ratio(d, q.get("decode_tok_s"))
            share = d / roof if d and roof else None
            lines.append(f"| LFM2-{shape.upper()} decode tok/s, Ferret {dtype.upper()} | {fmt(d)} "
                         f"({fmt(100 * share if share else None, 0)} % of its roofline) | {fmt(rp, 2)}× | {fmt(rl, 2)}× "
                         f"| ≥ 1.1× llama.cpp, ≥ 85 % of roofline | {check(rl, 1.1)} {check(share, 0.85)} |")
    ix = e2e.get("index") or {}
    tok = ix.get("tok_s_wall")
    rp = ratio(tok, pe)
    rss = ix.get("peak_rss_bytes")
    lines.append(f"| `ferret index` end to end tok/s (wall{', tokens estimated' if ix.get('tokens_estimated') else ''})"
                 f" | {fmt(tok)} | {fmt(rp, 2)}× | — | ≥ 1.2× PyTorch BF16 encoding | {check(rp, 1.2)} |")
    lines.append(f"| `ferret index` peak RSS | {gb(rss)} | — | — | ≤ 1.0 GB | "
                 f"{check(rss / 1e9 if rss else None, 1.0, above=False)} |")
    s = (e2e.get("search") or {}).get("seconds")
    lines.append(f"| `ferret search` wall time | {fmt(s, 2)} s | — | — | < 0.5 s | {check(s, 0.5, above=False)} |")
    a = e2e.get("ask") or {}
    first, arss = a.get("first_token_seconds"), a.get("peak_rss_bytes")
    prompt = (a.get("timings") or {}).get("prompt_tokens")
    lines.append(f"| `ferret ask` (1.2B BF16 generator, {prompt or '?'}-token prompt) first answer token | "
                 f"{fmt(first, 2)} s | — | — | ≤ 6 s | {check(first, 6.0, above=False)} |")
    lines.append(f"| `ferret ask` peak RSS | {gb(arss)} | — | — | ≤ 3.0 GB | "
                 f"{check(arss / 1e9 if arss else None, 3.0, above=False)} |")
    if ix:
        lines.append("")
        lines.append(f"`ferret index`: {ix.get('tokens') or ix.get('corpus_tokens')} tokens in "
                     f"{ix.get('passages') or '?'} passages, {fmt(ix.get('seconds'), 2)} s wall "
                     f"({fmt(ix.get('run_seconds'), 2)} s inside the run → {fmt(ix.get('tok_s_run'))} tok/s).")
    if a.get("timings"):
        lines.append(f"`ferret ask`: timings {json.dumps(a['timings'])}; whole command {fmt(a.get('seconds'), 2)} s.")
    lines.append("")
    lines.append("Commands (workers run one measurement each in a fresh process; `--threads` sets torch's and "
                 "llama.cpp's decode and batch threads):")
    lines.append("")
    lines.append("```")
    lines.extend(commands)
    lines.append("```")
    lines.append("")
    lines.append("CPU flags: " + " ".join(cpu["flags"]))
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------------------


def quant_report(args, results, bw):
    """The GGUF quantisation rows (issue 9): Ferret and llama.cpp on the same files, their ratios and rooflines.
    A token reads every matrix once (the tied embedding is the output head), so bytes per token ≈ the file size."""
    quants = [q for q in getattr(args, "quants", []) if any(
        results.get("model", {}).get(f"{r}/{s}/{q}") for r in ("ferret", "llama.cpp") for s in args.shapes)]
    if not quants:
        return []
    lines = ["", "### GGUF quantisations (issue 9): same files, llama.cpp's quantiser", "",
             "| model | quant | file | Ferret prefill | llama.cpp prefill | ÷ | Ferret decode | llama.cpp decode | ÷ "
             "| Ferret % of roofline | llama.cpp % of roofline | Ferret peak RSS | targets (decode ≥ 1.1×, ≥ 85 %; "
             "prefill ≥ 1.0×) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for shape in args.shapes:
        for quant in quants:
            f = results.get("model", {}).get(f"ferret/{shape}/{quant}") or {}
            q = results.get("model", {}).get(f"llama.cpp/{shape}/{quant}") or {}
            size = q.get("weight_bytes") or f.get("weight_bytes_file")

            def roof(r):
                near = r.get("bandwidth_bytes_per_s") or bw
                d = r.get("decode_tok_s")
                return d * size / near if d and size and near else None
            rp = ratio(f.get("prefill_tok_s"), q.get("prefill_tok_s"))
            rd = ratio(f.get("decode_tok_s"), q.get("decode_tok_s"))
            fr, lr = roof(f), roof(q)
            path = f" ({f['kernel_path']})" if f.get("kernel_path") else ""
            lines.append(f"| LFM2-{shape.upper()} | {quant.upper()}{path} | {gb(size)} | {fmt(f.get('prefill_tok_s'))} | "
                         f"{fmt(q.get('prefill_tok_s'))} | {fmt(rp, 2)}× | {fmt(f.get('decode_tok_s'))} | "
                         f"{fmt(q.get('decode_tok_s'))} | {fmt(rd, 2)}× | {fmt(100 * fr if fr else None, 0)} % | "
                         f"{fmt(100 * lr if lr else None, 0)} % | {gb(f.get('peak_rss_bytes'))} | "
                         f"{check(rd, 1.1)} {check(fr, 0.85)} {check(rp, 1.0)} |")
    return lines


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--shapes", default="350m,1.2b", help="comma-separated subset of 350m,1.2b")
    parser.add_argument("--out", default="/tmp/ferret-bench", help="cache of checkpoints, GGUF files and the corpus")
    parser.add_argument("--json-out", help="also write every number as JSON here")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--decode-tokens", type=int, default=128)
    parser.add_argument("--doc-tokens", type=int, default=256)
    parser.add_argument("--documents", type=int, default=8, help="ColBERT documents per timed repetition (peers)")
    parser.add_argument("--corpus-docs", type=int, default=64, help="documents in the `ferret index` corpus")
    parser.add_argument("--ask-passages", type=int, default=3, help="-k of `ferret ask` (3 × 256 tokens ≈ 900)")
    parser.add_argument("--ask-tokens", type=int, default=32)
    parser.add_argument("--dtypes", default="f32,bf16")
    parser.add_argument("--quants", default="q8_0,q4_0,q4_k_m,q6_k",
                        help=f"GGUF quantisations measured for Ferret and llama.cpp (issue 9); any of {','.join(QUANTS)}"
                             ", or empty")
    parser.add_argument("--skip", default="", help="comma-separated: pytorch,llama.cpp,ferret,e2e,bandwidth")
    parser.add_argument("--ferret", default=str(ROOT / ".build" / "release" / "ferret"))
    parser.add_argument("--no-build", action="store_true", help="do not run `swift build` when the binary is missing")
    parser.add_argument("--report", metavar="JSON", help="only print the table of a saved run (--json-out, or "
                                                         "OUT/last-run.json, which every run writes)")
    # worker mode
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--gguf", help=argparse.SUPPRESS)
    parser.add_argument("--dtype", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.shapes = [s for s in args.shapes.split(",") if s]
    for s in args.shapes:
        if s not in SHAPES:
            parser.error(f"unknown shape {s}")
    args.dtypes = [d for d in args.dtypes.split(",") if d]
    args.quants = [q for q in args.quants.split(",") if q]
    for q in args.quants:
        if q not in QUANTS:
            parser.error(f"unknown quantisation {q}")
    args.skip = set(s for s in args.skip.split(",") if s)
    return args


def main():
    args = parse_args()
    if args.report:
        results = json.loads(pathlib.Path(args.report).read_text())
        for key, value in results.get("settings", {}).items():
            if key in ("shapes", "dtypes", "quants", "repeats", "threads", "prompt_tokens", "decode_tokens",
                       "doc_tokens"):
                setattr(args, key, value)
        print(report(args, results, results.get("commands", [])))
        return
    if args.worker:
        result = WORKERS[args.worker](args)
        print(json.dumps(result))
        return

    cache = pathlib.Path(args.out)
    cache.mkdir(parents=True, exist_ok=True)
    results = dict(cpu=cpu_info(), threads=args.threads, model={}, encode={}, parameters={}, versions={},
                   started=time.strftime("%Y-%m-%d %H:%M"))
    commands = []
    paths = dict(cache=cache, causal={}, gguf={}, colbert=cache / "lfm2-colbert-350m-bf16")
    try:
        import torch
        import transformers
        results["versions"].update(torch=torch.__version__, transformers=transformers.__version__)
    except ImportError:
        pass
    results["versions"]["llama-cpp-python"] = llama_version()

    # 1–2: checkpoints and GGUF files
    for i, shape in enumerate(args.shapes):
        folder = cache / f"lfm2-{shape}-bf16"
        write_causal_checkpoint(folder, shape, seed=10 + i)
        paths["causal"][shape] = folder
    write_colbert_checkpoint(paths["colbert"], seed=30)
    for shape, folder in paths["causal"].items():
        from safetensors import safe_open
        with safe_open(str(folder / "model.safetensors"), "pt") as f:
            results["parameters"][shape] = sum(math.prod(f.get_slice(k).get_shape()) for k in f.keys())
    if "llama.cpp" not in args.skip:
        try:
            for shape, folder in paths["causal"].items():
                for dtype in args.dtypes:
                    target = cache / "gguf" / f"lfm2-{shape}-{dtype}.gguf"
                    target.parent.mkdir(exist_ok=True)
                    write_gguf(folder, target, dtype)
                    paths["gguf"][f"{shape}/{dtype}"] = target
            for shape, folder in paths["causal"].items():
                for quant in args.quants:
                    source = cache / "gguf" / f"lfm2-{shape}-bf16.gguf"
                    write_gguf(folder, source, "bf16")
                    target = cache / "gguf" / f"lfm2-{shape}-{quant}.gguf"
                    quantize_gguf(source, target, quant)
                    paths["gguf"][f"{shape}/{quant}"] = target
            for dtype in args.dtypes:
                target = cache / "gguf" / f"lfm2-colbert-350m-{dtype}.gguf"
                write_gguf(paths["colbert"], target, dtype, colbert=True)
                paths["gguf"][f"colbert/{dtype}"] = target
        except ImportError as error:
            log(f"GGUF writing needs the bench packages (scripts/setup_bench_env.sh): {error}; skipping llama.cpp")
            args.skip.add("llama.cpp")

    # 6: bandwidth first, on a quiet machine
    samples = []  # every bandwidth measurement, in order

    def bandwidth_sample():
        if "bandwidth" in args.skip:
            return None
        r, command = run_worker("bandwidth", args)
        if command not in commands:
            commands.append(command)
        if r:
            samples.append(r["read_bytes_per_s"])
            return r["read_bytes_per_s"]
        return None

    def with_bandwidth(result, before):
        """A decode measurement keeps the bandwidth measured just before and just after it: a shared host's
        bandwidth drifts (28–40 GB/s within minutes on the AMD machine), so each row gets its own roofline."""
        if result is not None and before is not None:
            after = bandwidth_sample()
            result["bandwidth_bytes_per_s"] = (before + after) / 2 if after else before
            return result, after
        return result, bandwidth_sample() if before is None else before

    last_bw = bandwidth_sample()

    # 3–4: peers
    for shape in args.shapes:
        for dtype in args.dtypes:
            if "pytorch" not in args.skip:
                r, command = run_worker("torch_model", args, folder=paths["causal"][shape], dtype=dtype,
                                        prompt_tokens=args.prompt_tokens, decode_tokens=args.decode_tokens)
                commands.append(command)
                r, last_bw = with_bandwidth(r, last_bw)
                if r:
                    results["model"][f"pytorch/{shape}/{dtype}"] = r
            if "llama.cpp" not in args.skip:
                r, command = run_worker("llama_model", args, gguf=paths["gguf"][f"{shape}/{dtype}"],
                                        prompt_tokens=args.prompt_tokens, decode_tokens=args.decode_tokens)
                commands.append(command)
                r, last_bw = with_bandwidth(r, last_bw)
                if r:
                    results["model"][f"llama.cpp/{shape}/{dtype}"] = r
    for shape in args.shapes:
        for quant in args.quants:
            gguf = paths["gguf"].get(f"{shape}/{quant}")
            if gguf is None:
                continue
            if "llama.cpp" not in args.skip:
                r, command = run_worker("llama_model", args, gguf=gguf, prompt_tokens=args.prompt_tokens,
                                        decode_tokens=args.decode_tokens)
                commands.append(command)
                r, last_bw = with_bandwidth(r, last_bw)
                if r:
                    results["model"][f"llama.cpp/{shape}/{quant}"] = r
            if "ferret" not in args.skip:
                binary = ferret_binary(args)
                if binary is not None:
                    r, command = ferret_bench(binary, args, "model", quant, shape, model=gguf)
                    commands.append(command)
                    r, last_bw = with_bandwidth(r, last_bw)
                    if r:
                        r["weight_bytes_file"] = os.path.getsize(gguf)
                        results["model"][f"ferret/{shape}/{quant}"] = r
    for dtype in args.dtypes:
        if "pytorch" not in args.skip:
            r, command = run_worker("torch_encode", args, folder=paths["colbert"], dtype=dtype,
                                    doc_tokens=args.doc_tokens, documents=args.documents)
            commands.append(command)
            if r:
                results["encode"][f"pytorch/{dtype}"] = r
        if "llama.cpp" not in args.skip:
            r, command = run_worker("llama_encode", args, gguf=paths["gguf"][f"colbert/{dtype}"],
                                    doc_tokens=args.doc_tokens, documents=args.documents)
            commands.append(command)
            if r:
                results["encode"][f"llama.cpp/{dtype}"] = r

    # 5: Ferret
    if "ferret" not in args.skip or "e2e" not in args.skip:
        binary = ferret_binary(args)
        if binary is None:
            log("no Ferret binary: the Ferret rows stay empty")
        else:
            if "ferret" not in args.skip:
                for dtype in args.dtypes:
                    for shape in args.shapes:
                        r, command = ferret_bench(binary, args, "model", dtype, shape)
                        commands.append(command)
                        r, last_bw = with_bandwidth(r, last_bw)
                        if r:
                            results["model"][f"ferret/{shape}/{dtype}"] = r
                    r, command = ferret_bench(binary, args, "encode", dtype)
                    commands.append(command)
                    if r:
                        results["encode"][f"ferret/{dtype}"] = r
                if not any(k.startswith("ferret/") for k in results["model"]):
                    log("note: `ferret bench … --dtype` failed everywhere — this Ferret predates --dtype (issue 8)")
            if "e2e" not in args.skip:
                ferret_end_to_end(binary, args, paths, results, commands)

    if samples:
        results["bandwidth"] = dict(read_bytes_per_s=statistics.median(samples), samples=samples)

    # Save every number before formatting, so a report problem never loses a run (`--report FILE` reprints it).
    results["settings"] = {k: sorted(v) if isinstance(v, set) else v for k, v in vars(args).items()}
    results["commands"] = commands
    saved = json.dumps(results, indent=2, default=str)
    (cache / "last-run.json").write_text(saved)
    if args.json_out:
        pathlib.Path(args.json_out).write_text(saved)
        log(f"wrote {args.json_out}")
    print(report(args, results, commands))


if __name__ == "__main__":
    main()
