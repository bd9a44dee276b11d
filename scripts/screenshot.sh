#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the main window on the bundled sample at 1600x1000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh" "test,build"
QT_QPA_PLATFORM=offscreen "$ROOT/.venv/bin/python" "$ROOT/main.py" --smoke \
  --screenshot "$ROOT/docs/screenshot.png" --size 1600x1000
echo "wrote docs/screenshot.png"
