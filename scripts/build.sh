#!/usr/bin/env bash
# Fresh machine → site/: installs the pinned packages, validates every policy, builds the site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m calculator validate
.venv/bin/mkdocs build --strict
