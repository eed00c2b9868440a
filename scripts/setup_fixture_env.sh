#!/usr/bin/env bash
# Creates .venv-fixtures (git-ignored) with the pinned reference stack. Once per machine; installing torch takes a
# few minutes. Only scripts/make_fixtures.py and scripts/bench_peers.py need it; tests and CI do not.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-fixtures
.venv-fixtures/bin/pip install --upgrade pip
.venv-fixtures/bin/pip install -r scripts/requirements-fixtures.txt
# pylate pins fast-plaid, which pins a CUDA torch; its PLAID index is not used for the fixtures.
.venv-fixtures/bin/pip install --no-deps pylate==1.6.0 fastkmeans==0.5.0
