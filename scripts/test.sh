#!/usr/bin/env bash
# Installs what the tests need (system packages and Python packages) and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
exec .venv/bin/python -m pytest -q "$@"
