#!/usr/bin/env python3
"""Writes every reference fixture under Tests/Fixtures from the pinned reference stack.

    scripts/setup_fixture_env.sh          # once per machine: .venv-fixtures with requirements-fixtures.txt
    .venv-fixtures/bin/python scripts/make_fixtures.py

The outputs are committed; tests and CI never need Python. Everything is seeded, so re-running reproduces them.

The mixture-of-experts fixture (lfm2-moe-tiny) needs transformers 5.x, which this environment's pinned 4.57 lacks;
it has its own environment and runs on its own (it reuses lfm2-tiny's tokenizer files and prompt ids):

    scripts/setup_fixture_env5.sh         # once per machine: .venv-fixtures5 with requirements-fixtures5.txt
    .venv-fixtures5/bin/python scripts/fixtures/lfm2_moe.py
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import importlib  # noqa: E402

# Order matters: the models use the tokenizer; ColBERT and the GGUF files use the models.
STEPS = ["tokenizer", "chat", "lfm2", "rag", "colbert", "quants", "gguf"]


def main():
    out = ROOT / "Tests" / "Fixtures"
    out.mkdir(parents=True, exist_ok=True)
    for step in sys.argv[1:] or STEPS:
        if step not in STEPS:
            sys.exit(f"unknown step {step!r}; steps: {', '.join(STEPS)}")
        print(f"fixtures: {step}", flush=True)
        importlib.import_module(f"scripts.fixtures.{step}").build(out)


if __name__ == "__main__":
    main()
