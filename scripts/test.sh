#!/usr/bin/env bash
# Fresh machine → all tests: installs the pinned packages and Debian's chromium and CJK fonts,
# then runs every test, the browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-browser.sh
.venv/bin/ruff check --quiet .
.venv/bin/python -m pytest -q "$@"
