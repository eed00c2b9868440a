#!/usr/bin/env python3
"""Writes every reference fixture under Tests/Fixtures from the pinned reference stack.

    scripts/setup_fixture_env.sh          # once per machine: .venv-fixtures with requirements-fixtures.txt
    .venv-fixtures/bin/python scripts/make_fixtures.py

The outputs are committed; tests and CI never need Python. Everything is seeded, so re-running reproduces them.
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.fixtures import chat, lfm2, tokenizer  # noqa: E402


def main():
    out = ROOT / "Tests" / "Fixtures"
    out.mkdir(parents=True, exist_ok=True)
    steps = sys.argv[1:] or ["tokenizer", "chat", "lfm2"]
    for step in steps:
        print(f"fixtures: {step}", flush=True)
        {"tokenizer": tokenizer.build, "chat": chat.build, "lfm2": lfm2.build}[step](out)


if __name__ == "__main__":
    main()
