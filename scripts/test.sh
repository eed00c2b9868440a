#!/usr/bin/env bash
# The test command of the README: builds (debug) and runs every test. Needs only Swift and the apt libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
