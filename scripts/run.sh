#!/usr/bin/env bash
# Command 1 of the README: set up if needed, then run Gapwatch on the bundled sample
# (or on the files given). With no display it writes the headless report and a PNG.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" "test,build"
exec "$ROOT/.venv/bin/python" "$ROOT/main.py" "$@"
