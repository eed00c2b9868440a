#!/usr/bin/env bash
# Installs the system libraries Ferret links against (Debian/Ubuntu). Swift 6.x must already be on PATH.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libopenblas-dev libsqlite3-dev libicu-dev libstemmer-dev libssl-dev libcurl4 poppler-utils qpdf >/dev/null
