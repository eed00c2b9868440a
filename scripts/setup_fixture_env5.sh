#!/usr/bin/env bash
# Creates .venv-fixtures5 (git-ignored): a second reference stack with transformers 5.x, which has lfm2_moe
# (modeling_lfm2_moe.py) that the pinned 4.57 line of .venv-fixtures lacks. Only scripts/fixtures/lfm2_moe.py needs
# it; tests and CI do not. The dense fixtures stay on .venv-fixtures (spec gotcha 17 pins 4.57 for them).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-fixtures5
.venv-fixtures5/bin/pip install --upgrade pip
# The CPU index is preferred (no CUDA libraries); PyPI's torch wheel works too when it is unreachable.
.venv-fixtures5/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu \
  || .venv-fixtures5/bin/pip install torch
.venv-fixtures5/bin/pip install -r scripts/requirements-fixtures5.txt
