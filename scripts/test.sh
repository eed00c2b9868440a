#!/usr/bin/env bash
# The test command of the README: builds (debug) and runs every test, then the official `openai` Python client
# against `ferret serve` (installed from PyPI into .venv-openai). Needs Swift, python3 and the apt libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
scripts/check_openai_client.sh
