#!/usr/bin/env bash
# Adds the bench-only packages (scripts/requirements-bench.txt) to the git-ignored .venv-fixtures that
# scripts/setup_fixture_env.sh creates. Only scripts/bench_peers.py needs them; tests and CI do not.
# llama-cpp-python builds llama.cpp from source for this CPU (-DGGML_NATIVE=ON); the wheel is not cached because
# the machines change kind between sessions (a native build for one CPU can crash on another): rerun this script
# on a new machine (add --force to rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-fixtures/bin/python ] || scripts/setup_fixture_env.sh
force=()
[ "${1:-}" = "--force" ] && force=(--force-reinstall --no-deps)
CMAKE_ARGS="-DGGML_NATIVE=ON ${CMAKE_ARGS:-}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    .venv-fixtures/bin/pip install --no-cache-dir "${force[@]}" -r scripts/requirements-bench.txt
